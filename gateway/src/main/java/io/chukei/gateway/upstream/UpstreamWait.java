package io.chukei.gateway.upstream;

import io.chukei.gateway.admission.UpstreamLimiter;
import io.chukei.gateway.health.HealthMonitor;

import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

/**
 * Whether the requests waiting on this node wait on card management rather than on the node (issue 18, item 5): the
 * health check excuses their age then, since slow card management delays every node alike. True when no request has
 * waited for another attempt longer than the forward-age bound, the upstream window is full (or was within
 * {@link #FULL_RECENTLY_MS}), and card management
 * ended a permit (an answer, or a drop at the attempt timeout) recently enough. "Recently enough" is the forward-age
 * bound, but never less than the attempt timeout and a second: card management that goes silent still ends every
 * permit by its timeout, so only a full window in which nothing ended for longer than that says the node has stopped
 * ending them itself. With a forward-age bound under the attempt timeout (1 s against 2 s in a system test), a silence
 * of card management between the two was read as this node being stuck.
 */
public final class UpstreamWait implements HealthMonitor.UpstreamWaiting
{
    /** Beyond the attempt timeout: the timeout task's own lateness and the health check's interval. */
    static final long TIMEOUT_SLACK_MS = 1000;
    /**
     * A window full this recently counts as full. A check sees the window at one instant, and a full one has a place
     * free between a permit's end and the dispatch of the next queued request, or after the adaptive limit grows, until
     * the dispatcher fills it: in CI two nodes isolated themselves for "12 in flight of 13 (not full), last permit ended
     * 6 ms ago" under slow card management. A node that really leaves room unused goes unexcused a second later.
     */
    static final long FULL_RECENTLY_MS = 1000;

    private final UpstreamLimiter limiter;
    private final LongUnaryOperator oldestRetryWaitNanos;
    private final long retryWaitBoundNanos;
    private final long silenceBoundNanos;

    /**
     * @param oldestRetryWaitNanos at a time, how long the oldest request waiting for another attempt has waited
     */
    public UpstreamWait(final UpstreamLimiter limiter, final LongUnaryOperator oldestRetryWaitNanos,
        final long maxForwardAgeMs, final long attemptTimeoutMs)
    {
        this.limiter = limiter;
        this.oldestRetryWaitNanos = oldestRetryWaitNanos;
        this.retryWaitBoundNanos = TimeUnit.MILLISECONDS.toNanos(maxForwardAgeMs);
        this.silenceBoundNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(maxForwardAgeMs, attemptTimeoutMs + TIMEOUT_SLACK_MS));
    }

    /**
     * The three conditions as they stand, for the health line of a forward age that was not excused, so a verdict says
     * whether the window, a retry or a silence of card management kept it from being excused.
     */
    @Override
    public String describe(final long nowNanos)
    {
        final long lastEnded = limiter.lastEndedNanos();
        return "upstream window " + limiter.inFlight() + " in flight of " + limiter.currentLimit() +
            (limiter.isFull() ? " (full)" : " (not full, last full " + sinceMs(nowNanos, limiter.lastFullNanos()) + ")") +
            ", oldest retry wait " +
            TimeUnit.NANOSECONDS.toMillis(oldestRetryWaitNanos.applyAsLong(nowNanos)) + " ms (bound " +
            TimeUnit.NANOSECONDS.toMillis(retryWaitBoundNanos) + " ms), last permit ended " +
            sinceMs(nowNanos, lastEnded) +
            " (bound " + TimeUnit.NANOSECONDS.toMillis(silenceBoundNanos) + " ms)";
    }

    private static String sinceMs(final long nowNanos, final long thenNanos)
    {
        return thenNanos == Long.MIN_VALUE ? "never" : TimeUnit.NANOSECONDS.toMillis(nowNanos - thenNanos) + " ms ago";
    }

    @Override
    public boolean waiting(final long nowNanos)
    {
        return oldestRetryWaitNanos.applyAsLong(nowNanos) <= retryWaitBoundNanos &&
            (limiter.isFull() || within(nowNanos, limiter.lastFullNanos(), TimeUnit.MILLISECONDS.toNanos(FULL_RECENTLY_MS))) &&
            within(nowNanos, limiter.lastEndedNanos(), silenceBoundNanos);
    }

    /** Whether {@code thenNanos} (Long.MIN_VALUE: never) is at most {@code boundNanos} before now. */
    private static boolean within(final long nowNanos, final long thenNanos, final long boundNanos)
    {
        return thenNanos != Long.MIN_VALUE && nowNanos - thenNanos <= boundNanos;
    }
}
