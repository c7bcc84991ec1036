package io.chukei.bench.cluster;

import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Open-loop load over a set of connectors: one request every {@code 1/rate} seconds, round-robin
 * over the municipalities, whatever happens to the answers (a stalled node must not slow the
 * sender). Every request is recorded for the consistency check. A request the SDK ends with its own
 * DEADLINE_EXCEEDED is sent again with the same id until a relay answers it ({@link SentRequest}).
 */
public final class SteadyLoad implements AutoCloseable
{
    private final List<ConnectorClient> clients;
    private final List<String> municipalities;
    private final Duration timeout;
    private final Function<Long, SubmitRequest.Builder> requests;
    private final Queue<SentRequest> sent = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread thread = new Thread(r, "steady-load");
        thread.setDaemon(true);
        return thread;
    });
    private long sequence;
    private long startNanos;
    private long periodNanos;

    /**
     * @param requests makes the request for sequence number n (e.g. a card status query with a card id from n)
     */
    public SteadyLoad(final List<ConnectorClient> clients, final List<String> municipalities, final Duration timeout,
        final Function<Long, SubmitRequest.Builder> requests)
    {
        if (clients.size() != municipalities.size() || clients.isEmpty())
        {
            throw new IllegalArgumentException("clients: " + clients.size() + ", municipalities: " + municipalities.size() +
                " (expected: the same number, > 0)");
        }
        this.clients = List.copyOf(clients);
        this.municipalities = List.copyOf(municipalities);
        this.timeout = timeout;
        this.requests = requests;
    }

    /** Card status queries, one card id per sequence number. */
    public static Function<Long, SubmitRequest.Builder> cardStatus()
    {
        return n -> SubmitRequest.builder(Operation.CARD_STATUS).cardId(String.format("%012d", n));
    }

    /** Starts sending {@code ratePerSecond} requests per second. */
    public void start(final double ratePerSecond)
    {
        if (!(ratePerSecond > 0))
        {
            throw new IllegalArgumentException("ratePerSecond: " + ratePerSecond + " (expected: > 0)");
        }
        periodNanos = Math.max(1, (long)(1e9 / ratePerSecond));
        startNanos = System.nanoTime();
        sender.scheduleAtFixedRate(this::catchUp, 0, Math.max(1, periodNanos / 2), TimeUnit.NANOSECONDS);
    }

    /** Sends every request whose intended time has come: late ticks send several, so the rate holds. */
    private void catchUp()
    {
        final long now = System.nanoTime();
        while (startNanos + sequence * periodNanos <= now)
        {
            final long intended = startNanos + sequence * periodNanos;
            final int index = (int)(sequence % clients.size());
            final long n = sequence + 1;
            final ConnectorClient client = clients.get(index);
            final SubmitRequest request = requests.apply(n).timeout(timeout).build();
            // After the SDK's own DEADLINE_EXCEEDED the same request goes again under its id (the connector's duty).
            sent.add(new SentRequest(client.send(request), municipalities.get(index), intended,
                id -> client.send(requests.apply(n).requestId(id).timeout(timeout).build())));
            sequence++;
        }
    }

    /** Stops sending; what was sent goes on. */
    public void stopSending() throws InterruptedException
    {
        sender.shutdown();
        sender.awaitTermination(10, TimeUnit.SECONDS);
    }

    public List<SentRequest> sent()
    {
        return List.copyOf(sent);
    }

    /** Waits until every request sent has its final answer; false when the timeout passes first. */
    public boolean awaitAnswers(final Duration timeoutToWait) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutToWait.toNanos();
        for (final SentRequest request : sent)
        {
            while (!request.answered())
            {
                if (System.nanoTime() > deadline)
                {
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException
    {
        stopSending();
    }
}
