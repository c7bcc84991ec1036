package io.chukei.gateway.node;

import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bystander connector sending CARD_STATUS at a steady rate, each request timed from its
 * send to its Result. {@link #takeInterval()} hands over what was recorded since the last call,
 * so one test reads a quiet interval and a disturbed one from the same connection.
 */
final class SteadyConnector implements AutoCloseable
{
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    private final ConnectorClient client;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(task ->
    {
        final Thread thread = new Thread(task, "steady-connector");
        thread.setDaemon(true);
        return thread;
    });
    private final Recorder latencyMicros = new Recorder(1, HIGHEST_MICROS, 3);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    SteadyConnector(final ConnectorClient client, final int perSecond)
    {
        this.client = client;
        final long periodNs = TimeUnit.SECONDS.toNanos(1) / perSecond;
        sender.scheduleAtFixedRate(this::sendOne, 0, periodNs, TimeUnit.NANOSECONDS);
    }

    private void sendOne()
    {
        final long sentAt = System.nanoTime();
        sent.incrementAndGet();
        client.submit(NodeFixtures.cardStatus(String.format("%012d", 1 + sent.get() % 999_999_999L)))
            .whenComplete((answer, failure) ->
            {
                if (failure != null || !(answer instanceof Answer.Result))
                {
                    failures.incrementAndGet();
                    return;
                }
                latencyMicros.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - sentAt) / 1000));
            });
    }

    /** Latencies of the Results that came since the last call (the first call: since the start). */
    Histogram takeInterval()
    {
        return latencyMicros.getIntervalHistogram();
    }

    /** Requests that got anything but a Result. */
    long failures()
    {
        return failures.get();
    }

    @Override
    public void close()
    {
        sender.shutdownNow();
    }
}
