package io.chukei.bench.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** GET /cluster/self on a node every 200 ms (each with the node client's timeout): how many failed, and the slowest. */
final class AdminProbe
{
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread thread = new Thread(r, "admin-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong slowest = new AtomicLong();

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
            if (node.adminGet("/cluster/self").isEmpty())
            {
                probe.failed.incrementAndGet();
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
        return failed.get();
    }

    long slowestMs()
    {
        return slowest.get();
    }
}
