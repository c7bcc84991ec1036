package io.chukei.gateway.conformance;

import io.netty.channel.EventLoop;

import java.util.concurrent.TimeUnit;

/**
 * How long the relay's own event loop was held up (GC, a starved CPU): a tick every {@value #TICK_MS} ms adds up how
 * late each one ran. Silences the relay measures on a connection are judged net of this, so that the connector is
 * not blamed for the relay's pauses.
 */
final class StallClock
{
    static final long TICK_MS = 20;
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(TICK_MS);

    private long lastTickNs = System.nanoTime();
    private long stalledNs;

    StallClock(final EventLoop loop)
    {
        loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick()
    {
        final long nowNs = System.nanoTime();
        stalledNs += Math.max(0, nowNs - lastTickNs - TICK_NS);
        lastTickNs = nowNs;
    }

    /** Total time the loop ran late so far; subtract two readings for a window. */
    long stalledNs()
    {
        // Include the current, not yet ticked, lateness: the caller runs on the loop, perhaps right after a stall.
        return stalledNs + Math.max(0, System.nanoTime() - lastTickNs - TICK_NS);
    }

    /** Milliseconds of {@code sinceNs} (a System.nanoTime) to now, less the loop's stalls since {@code stalledAtNs}. */
    long netMsSince(final long sinceNs, final long stalledAtNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, System.nanoTime() - sinceNs - (stalledNs() - stalledAtNs)));
    }
}
