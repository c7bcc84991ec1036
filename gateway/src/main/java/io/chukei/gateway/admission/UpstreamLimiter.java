package io.chukei.gateway.admission;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongSupplier;

/**
 * The adaptive window of requests in flight toward card management: Netflix concurrency-limits'
 * {@link Gradient2Limit} (it compares a short-term with a long-term average RTT, so growing latency
 * upstream shrinks the window before the upstream collapses; a latency that stays high becomes the
 * new baseline over its long window of 600 samples), with shedding by priority on top:
 * interactive work may use the whole window, batch work at most {@code batchShare} of it (never
 * less than one slot, so batch always moves). Batch is therefore refused first when the window
 * shrinks.
 *
 * <p>Each {@link Permit} must end exactly once: {@link Permit#onSuccess()} when card management
 * answered (its RTT feeds the limit), {@link Permit#onDropped()} on a timeout or a lost connection
 * (Gradient2 reads the drop's long RTT, e.g. the attempt timeout, not the drop flag, and backs off), {@link Permit#onIgnore()} when the attempt says nothing about upstream
 * capacity (e.g. cancelled before it was sent). Later calls are ignored. Thread-safe.
 */
public final class UpstreamLimiter
{
    private final Limit limit;
    private final double batchShare;
    private final LongSupplier nanoTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger batchInFlight = new AtomicInteger();
    /** When a permit last ended with an answer or a drop (not ignored): card management is still doing work. */
    private final java.util.concurrent.atomic.AtomicLong lastEndedNanos = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    /** When a permit last filled the window or was refused for want of room in it. */
    private final java.util.concurrent.atomic.AtomicLong lastFullNanos = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    public UpstreamLimiter(final AdmissionConfig config)
    {
        this(config, System::nanoTime);
    }

    /** {@code nanoTime} measures each permit's RTT (a controllable clock in tests). */
    public UpstreamLimiter(final AdmissionConfig config, final LongSupplier nanoTime)
    {
        this(Gradient2Limit.newBuilder()
            .initialLimit(config.upstreamInitialLimit())
            .minLimit(config.upstreamMinLimit())
            .maxConcurrency(config.upstreamMaxLimit())
            .build(), config.batchShare(), nanoTime);
    }

    /** Any {@link Limit} algorithm (e.g. a fixed one in tests of shedding). */
    public UpstreamLimiter(final Limit limit, final double batchShare, final LongSupplier nanoTime)
    {
        if (!(batchShare > 0 && batchShare <= 1))
        {
            throw new IllegalArgumentException("batchShare: " + batchShare + " (expected: > 0 and <= 1)");
        }
        this.limit = Objects.requireNonNull(limit, "limit");
        this.batchShare = batchShare;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A permit to send one request of this class now, or null when the window (or batch's part of it) is full. */
    public Permit tryAcquire(final Priority priority)
    {
        final int currentLimit = limit.getLimit();
        final boolean batch = priority == Priority.BATCH;
        if (batch && !increment(batchInFlight, batchLimit(currentLimit)))
        {
            lastFullNanos.lazySet(nanoTime.getAsLong());
            return null;
        }
        if (!increment(inFlight, currentLimit))
        {
            if (batch)
            {
                batchInFlight.decrementAndGet();
            }
            lastFullNanos.lazySet(nanoTime.getAsLong());
            return null;
        }
        final long now = nanoTime.getAsLong();
        final int inFlightNow = inFlight.get();
        if (inFlightNow >= currentLimit)
        {
            lastFullNanos.lazySet(now);
        }
        return new Permit(this, priority, now, inFlightNow);
    }

    /**
     * When the window was last full: a permit filled it, or was refused for want of room. {@code Long.MIN_VALUE} before
     * that. Between a permit's end and the next request's dispatch (on another thread) a full window has a place free
     * for a moment; this says it was full all the same.
     */
    public long lastFullNanos()
    {
        return lastFullNanos.get();
    }

    /** The window now. */
    public int currentLimit()
    {
        return limit.getLimit();
    }

    /** The most batch requests that may be in flight now. */
    public int currentBatchLimit()
    {
        return batchLimit(limit.getLimit());
    }

    /** No permit to be had now for interactive work, or batch's part is used up: whatever waits, waits on upstream. */
    public boolean isFull()
    {
        final int currentLimit = limit.getLimit();
        return inFlight.get() >= currentLimit || batchInFlight.get() >= batchLimit(currentLimit);
    }

    /** When a permit last ended with card management's answer or a drop; {@code Long.MIN_VALUE} before the first. */
    public long lastEndedNanos()
    {
        return lastEndedNanos.get();
    }

    public int inFlight()
    {
        return inFlight.get();
    }

    public int inFlight(final Priority priority)
    {
        return priority == Priority.BATCH ? batchInFlight.get() : inFlight.get() - batchInFlight.get();
    }

    private int batchLimit(final int currentLimit)
    {
        return Math.max(1, (int)(currentLimit * batchShare));
    }

    private static boolean increment(final AtomicInteger counter, final int max)
    {
        while (true)
        {
            final int current = counter.get();
            if (current >= max)
            {
                return false;
            }
            if (counter.compareAndSet(current, current + 1))
            {
                return true;
            }
        }
    }

    private void release(final Permit permit, final int outcome)
    {
        inFlight.decrementAndGet();
        if (permit.priority == Priority.BATCH)
        {
            batchInFlight.decrementAndGet();
        }
        if (outcome != Permit.IGNORED)
        {
            final long now = nanoTime.getAsLong();
            // A plain ordered store: the health check only needs a recent value, not the latest one.
            lastEndedNanos.lazySet(now);
            final long rtt = now - permit.startNanos;
            limit.onSample(permit.startNanos, rtt, permit.inFlightAtStart, outcome == Permit.DROPPED);
        }
    }

    /** One request's place in the window; end it once. */
    public static final class Permit
    {
        private static final int OPEN = 0;
        private static final int SUCCEEDED = 1;
        private static final int DROPPED = 2;
        private static final int IGNORED = 3;
        private static final AtomicIntegerFieldUpdater<Permit> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Permit.class, "state");

        private final UpstreamLimiter limiter;
        private final Priority priority;
        private final long startNanos;
        private final int inFlightAtStart;
        private volatile int state;

        private Permit(final UpstreamLimiter limiter, final Priority priority, final long startNanos, final int inFlightAtStart)
        {
            this.limiter = limiter;
            this.priority = priority;
            this.startNanos = startNanos;
            this.inFlightAtStart = inFlightAtStart;
        }

        public Priority priority()
        {
            return priority;
        }

        /** Card management answered; the time since the permit was taken is a latency sample. */
        public void onSuccess()
        {
            end(SUCCEEDED);
        }

        /** Timed out or the connection was lost: the long time since the permit was taken shrinks the window. */
        public void onDropped()
        {
            end(DROPPED);
        }

        /** Ended without telling anything about upstream capacity; frees the place only. */
        public void onIgnore()
        {
            end(IGNORED);
        }

        private void end(final int outcome)
        {
            if (STATE.compareAndSet(this, OPEN, outcome))
            {
                limiter.release(this, outcome);
            }
        }
    }
}
