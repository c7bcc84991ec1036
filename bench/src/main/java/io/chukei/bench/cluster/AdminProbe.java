package io.chukei.bench.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GET /cluster/self on a node every 200 ms (each with the node client's timeout): how many failed, the slowest, and the
 * worst event-loop lag the node reported of itself (its health check's latest, {@code eventLoopLagMs}).
 */
final class AdminProbe
{
    private static final long NOTED_LAG_MS = 100;
    private static final Pattern EVENT_LOOP_LAG = Pattern.compile("\"eventLoopLagMs\"\\s*:\\s*(\\d+)");

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread thread = new Thread(r, "admin-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicLong slowest = new AtomicLong();
    private final AtomicLong worstLag = new AtomicLong();
    /** Each report of a lag of at least {@link #NOTED_LAG_MS}, as "+SECONDS s: MS ms" from the probe's start. */
    private final List<String> lags = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final long startNanos = System.nanoTime();

    private AdminProbe()
    {
    }

    static AdminProbe start(final ClusterNode node)
    {
        final AdminProbe probe = new AdminProbe();
        probe.timer.scheduleWithFixedDelay(() ->
        {
            final long start = System.nanoTime();
            probe.sent.incrementAndGet();
            final Optional<String> self = node.adminGet("/cluster/self");
            if (self.isEmpty())
            {
                probe.failures.add(probe.since(start) + ", unanswered after " +
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            }
            else
            {
                final long lag = eventLoopLagMs(self.get());
                probe.worstLag.accumulateAndGet(lag, Math::max);
                if (lag >= NOTED_LAG_MS)
                {
                    probe.lags.add(probe.since(start) + ": " + lag + " ms");
                }
            }
            probe.slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
        }, 0, 200, TimeUnit.MILLISECONDS);
        return probe;
    }

    void stop() throws InterruptedException
    {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    int sent()
    {
        return sent.get();
    }

    int failed()
    {
        return failures.size();
    }

    /** "+SECONDS s" from the probe's start to {@code nanos}. */
    private String since(final long nanos)
    {
        return String.format(Locale.ROOT, "+%.1f s", (nanos - startNanos) / 1e9);
    }

    long slowestMs()
    {
        return slowest.get();
    }

    /** The worst event-loop lag the node reported while probed. */
    long worstEventLoopLagMs()
    {
        return worstLag.get();
    }

    /** When the node reported a lag of 100 ms or more, and how much (the same lag is seen by every probe until the next check). */
    List<String> notedLags()
    {
        return List.copyOf(lags);
    }

    /** When each failed probe was sent, from the probe's start, and how long it waited. */
    List<String> failures()
    {
        return List.copyOf(failures);
    }

    static long eventLoopLagMs(final String selfReport)
    {
        final Matcher lag = EVENT_LOOP_LAG.matcher(selfReport);
        return lag.find() ? Long.parseLong(lag.group(1)) : 0;
    }
}
