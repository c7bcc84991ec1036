package io.chukei.gateway.status;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples rates every {@link #RATE_INTERVAL_MS} (latency intervals are closed by the per-stage histograms'
 * own writer), on a thread of its own: never on an event loop, so a busy node's page costs its connectors nothing.
 */
public final class StatusTicker implements AutoCloseable
{
    /** The page polls at the same pace. */
    public static final long RATE_INTERVAL_MS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(StatusTicker.class);

    private final ScheduledExecutorService thread;

    public StatusTicker(final int nodeId, final Clock clock, final StatusSampler sampler)
    {
        thread = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread t = new Thread(runnable, "chukei-status-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        sampler.tick(clock.millis());
        thread.scheduleAtFixedRate(() -> guarded(() -> sampler.tick(clock.millis())), RATE_INTERVAL_MS, RATE_INTERVAL_MS,
            TimeUnit.MILLISECONDS);
    }

    private static void guarded(final Runnable task)
    {
        try
        {
            task.run();
        }
        catch (final RuntimeException ex)
        {
            // An exception would cancel the schedule; the page would freeze silently.
            LOG.warn("Status sampling failed: {}", ex.toString());
        }
    }

    @Override
    public void close()
    {
        thread.shutdownNow();
    }
}
