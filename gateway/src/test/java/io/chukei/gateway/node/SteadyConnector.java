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
    private volatile String firstFailure = "-";
    private final AtomicLong sent = new AtomicLong();

    SteadyConnector(final ConnectorClient client, final int perSecond)
    {
        this.client = client;
        final long periodNs = TimeUnit.SECONDS.toNanos(1) / perSecond;
        // A fixed delay, not a fixed rate: after its own JVM or thread was held up (a CI run of 6 Dec: ~1 s, four JVMs on
        // two cores), a fixed rate sends every missed request at once, and a burst of more than
        // admission.queue.perMunicipality (200) within one turn of the node is rightly refused OVERLOADED: a failure of
        // the bystander's own making, not the attack's. A steady connector does not catch up in one burst.
        sender.scheduleWithFixedDelay(this::sendOne, 0, periodNs, TimeUnit.NANOSECONDS);
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
                    if (failures.getAndIncrement() == 0)
                    {
                        firstFailure = (failure != null ? failure.toString() : answer.toString()).replace(' ', '_');
                    }
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

    /** What the first of them got, for a failure message. */
    String firstFailure()
    {
        return firstFailure;
    }

    @Override
    public void close()
    {
        sender.shutdownNow();
    }

    /**
     * A bystander in a process of its own ({@link BystanderProcess}), so nothing else the test does — its own
     * connections, handshakes, garbage, Netty's paranoid leak detection — lands in the latencies it measures.
     * Arguments: node port, PKI directory, municipality, requests per second. Each line "take" on stdin is
     * answered with "interval COUNT P50 P90 P99 MAX FAILURES FIRST_FAILURE" (microseconds) for the time since the last one;
     * it stops when stdin closes.
     */
    public static void main(final String[] args) throws Exception
    {
        final java.net.InetSocketAddress node = new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        final io.chukei.gateway.pki.DevPki pki = io.chukei.gateway.pki.DevPki.openOrCreate(java.nio.file.Path.of(args[1]),
            io.chukei.gateway.tls.MunicipalityCodes::isValid);
        try (ConnectorClient client = ConnectorClient.builder()
            .nodes(java.util.List.of(node))
            .sslContext(io.chukei.gateway.tls.TlsContexts.client(pki.issueConnector(args[2]), io.chukei.gateway.tls.PeerPolicy.relayClient()))
            .municipalityCode(args[2])
            .connectorName("bystander/" + args[2])
            .defaultTimeout(java.time.Duration.ofSeconds(20))
            .build();
             SteadyConnector bystander = new SteadyConnector(client, Integer.parseInt(args[3]));
             java.io.BufferedReader commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                 java.nio.charset.StandardCharsets.UTF_8)))
        {
            for (String line = commands.readLine(); line != null; line = commands.readLine())
            {
                if ("take".equals(line.trim()))
                {
                    final Histogram interval = bystander.takeInterval();
                    System.out.println("interval " + interval.getTotalCount() + " " + interval.getValueAtPercentile(50) + " " +
                        interval.getValueAtPercentile(90) + " " + interval.getValueAtPercentile(99) + " " +
                        interval.getMaxValue() + " " + bystander.failures() + " " + bystander.firstFailure());
                }
            }
        }
    }
}
