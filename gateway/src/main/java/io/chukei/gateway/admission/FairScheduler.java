package io.chukei.gateway.admission;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Requests waiting for upstream capacity, dispatched fairly.
 *
 * <ul>
 *   <li><b>Per municipality, FIFO.</b> Each municipality has one queue per priority class.</li>
 *   <li><b>Round-robin within a class.</b> The municipalities with waiting work of a class form a
 *       ring; each turn takes one request from the head and moves it to the back. Every request costs
 *       one upstream slot, so deficit round-robin with equal costs is exactly this: a municipality with
 *       1,000 waiting gets one dispatch per round like one with a single request.</li>
 *   <li><b>Interactive first, batch never starved.</b> While both classes wait, interactive is
 *       served, except that batch is owed {@code batchMinShare} of those dispatches (0.1: every tenth).
 *       The debt is counted exactly (parts per million), so the share holds over any stretch of
 *       polls. When only one class waits, it gets every dispatch.</li>
 *   <li><b>Bounded.</b> At most {@code queuePerMunicipality} per municipality (both classes) and
 *       {@code queueTotal} in all; beyond that {@link Offer} is OVERLOADED with a retry-after hint:
 *       the time the queue ahead takes to drain at the measured dispatch rate (a municipality's own
 *       queue drains at 1/n of it with n municipalities waiting), within the configured bounds.</li>
 * </ul>
 *
 * <p>Admission and enqueueing can be split: {@link #reserve} takes a place before the request is
 * accepted (so OVERLOADED is answered before Accepted), {@link #enqueueReserved} fills it once the
 * request may be dispatched, {@link #cancel} gives it back. {@link #offer} does both at once.
 *
 * <p>Thread-safe: every method holds this object's monitor briefly (no I/O, no callbacks inside).
 * Dispatch through {@link UpstreamDispatcher}, which pairs each poll with an upstream permit.
 */
public final class FairScheduler<T>
{
    private static final int INTERACTIVE = Priority.INTERACTIVE.ordinal();
    private static final int BATCH = Priority.BATCH.ordinal();
    private static final long ONE_DISPATCH_PPM = 1_000_000;
    private static final long RATE_WINDOW_NANOS = 100_000_000L;

    private final int perMunicipalityBound;
    private final int totalBound;
    private final int retryAfterMinMs;
    private final int retryAfterMaxMs;
    private final long batchSharePpm;
    private final LongSupplier nanoTime;

    /**
     * Every municipality seen, kept when its queues run empty: dropping it then made a new entry (and two
     * deques) for nearly every request at moderate load (JFR, 4 % of the node's allocation). The set is
     * bounded by the municipalities with connector certificates (about 1,741, a few hundred bytes each).
     */
    private final Map<String, Municipality<T>> municipalities = new HashMap<>();
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Municipality<T>>[] rings = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    private final int[] queuedByClass = new int[2];
    private int total;
    private long batchCreditPpm;

    private long windowStartNanos;
    private int windowDispatches;
    private double dispatchesPerSecond = -1;

    /** One municipality's waiting work: a FIFO per class, and places reserved but not yet filled. */
    private static final class Municipality<T>
    {
        final String code;
        @SuppressWarnings("unchecked")
        final ArrayDeque<T>[] queues = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
        final boolean[] inRing = new boolean[2];
        int reserved;

        Municipality(final String code)
        {
            this.code = code;
        }

        int depth()
        {
            return queues[INTERACTIVE].size() + queues[BATCH].size() + reserved;
        }
    }

    public FairScheduler(final AdmissionConfig config)
    {
        this(config, System::nanoTime);
    }

    /** {@code nanoTime} times the dispatch rate behind the retry-after hint. */
    public FairScheduler(final AdmissionConfig config, final LongSupplier nanoTime)
    {
        this.perMunicipalityBound = config.queuePerMunicipality();
        this.totalBound = config.queueTotal();
        this.retryAfterMinMs = config.retryAfterMinMs();
        this.retryAfterMaxMs = config.retryAfterMaxMs();
        this.batchSharePpm = Math.round(config.batchMinShare() * ONE_DISPATCH_PPM);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.windowStartNanos = nanoTime.getAsLong();
    }

    /** Reserves a place and fills it with {@code item}: QUEUED, or OVERLOADED with nothing queued. */
    public synchronized Offer offer(final String municipality, final Priority priority, final T item)
    {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(priority, "priority");
        final Offer offer = reserve(municipality);
        if (offer.queued())
        {
            enqueueReserved(municipality, priority, item);
        }
        return offer;
    }

    /** Takes a place in the municipality's queue without an item yet: QUEUED, or OVERLOADED with nothing taken. */
    public synchronized Offer reserve(final String municipality)
    {
        Objects.requireNonNull(municipality, "municipality");
        final Municipality<T> m = municipalities.get(municipality);
        final int depth = m == null ? 0 : m.depth();
        if (depth >= perMunicipalityBound)
        {
            final int waiting = Math.max(1, activeMunicipalities());
            return Offer.overloaded(Offer.Bound.MUNICIPALITY, retryAfterMs((long)depth * waiting));
        }
        if (total >= totalBound)
        {
            return Offer.overloaded(Offer.Bound.TOTAL, retryAfterMs(total));
        }
        municipality(municipality).reserved++;
        total++;
        return Offer.QUEUED;
    }

    /** Fills a place taken by {@link #reserve}; never refused. */
    public synchronized void enqueueReserved(final String municipality, final Priority priority, final T item)
    {
        Objects.requireNonNull(item, "item");
        final Municipality<T> m = municipalities.get(municipality);
        if (m == null || m.reserved == 0)
        {
            throw new IllegalStateException("municipality " + municipality + ": no reserved place (expected: reserve() first)");
        }
        m.reserved--;
        final int c = priority.ordinal();
        m.queues[c].addLast(item);
        queuedByClass[c]++;
        if (!m.inRing[c])
        {
            m.inRing[c] = true;
            rings[c].addLast(m);
        }
    }

    /** Gives back a place taken by {@link #reserve} that will not be filled (e.g. the journal append failed). */
    public synchronized void cancel(final String municipality)
    {
        final Municipality<T> m = municipalities.get(municipality);
        if (m == null || m.reserved == 0)
        {
            throw new IllegalStateException("municipality " + municipality + ": no reserved place (expected: reserve() first)");
        }
        m.reserved--;
        total--;
    }

    /** The class {@link #poll()} would serve next, or null when nothing is queued. */
    public synchronized Priority nextPriority()
    {
        final boolean interactive = queuedByClass[INTERACTIVE] > 0;
        final boolean batch = queuedByClass[BATCH] > 0;
        if (interactive && batch)
        {
            return batchCreditPpm + batchSharePpm >= ONE_DISPATCH_PPM ? Priority.BATCH : Priority.INTERACTIVE;
        }
        return interactive ? Priority.INTERACTIVE : batch ? Priority.BATCH : null;
    }

    /** The next request to dispatch, or null when nothing is queued. */
    public synchronized T poll()
    {
        final Priority next = nextPriority();
        return next == null ? null : poll(next);
    }

    /**
     * The next request of one class (round-robin over its municipalities), or null when that class is
     * empty; used when only that class may go upstream now. Counts toward batch's minimum share.
     */
    public synchronized T poll(final Priority priority)
    {
        final int c = priority.ordinal();
        if (queuedByClass[c] == 0)
        {
            return null;
        }
        if (queuedByClass[INTERACTIVE] > 0 && queuedByClass[BATCH] > 0)
        {
            batchCreditPpm = Math.max(0, batchCreditPpm + batchSharePpm - (c == BATCH ? ONE_DISPATCH_PPM : 0));
        }
        final Municipality<T> m = rings[c].pollFirst();
        final T item = m.queues[c].pollFirst();
        if (m.queues[c].isEmpty())
        {
            m.inRing[c] = false;
        }
        else
        {
            rings[c].addLast(m);
        }
        queuedByClass[c]--;
        total--;
        windowDispatches++;
        foldRate(nanoTime.getAsLong());
        return item;
    }

    /** Queued requests plus reserved places. */
    public synchronized int size()
    {
        return total;
    }

    /** Queued requests of one class (reserved places have no class yet). */
    public synchronized int size(final Priority priority)
    {
        return queuedByClass[priority.ordinal()];
    }

    /** The municipality's queued requests plus reserved places. */
    public synchronized int depth(final String municipality)
    {
        final Municipality<T> m = municipalities.get(municipality);
        return m == null ? 0 : m.depth();
    }

    /**
     * The earliest {@code timeOf} (a nanoTime) among queued requests, or {@code none} when nothing is queued.
     * Each municipality's queue of a class is FIFO, so only the heads are looked at: one look per waiting
     * municipality, not per request.
     */
    public synchronized long oldest(final ToLongFunction<T> timeOf, final long none)
    {
        boolean found = false;
        long oldest = none;
        for (int c = 0; c < rings.length; c++)
        {
            for (final Municipality<T> m : rings[c])
            {
                final T head = m.queues[c].peekFirst();
                if (head != null)
                {
                    final long time = timeOf.applyAsLong(head);
                    if (!found || time - oldest < 0)
                    {
                        oldest = time;
                        found = true;
                    }
                }
            }
        }
        return oldest;
    }

    /** Municipalities with anything queued or reserved (not for hot paths: it looks at every one seen). */
    public synchronized int municipalityCount()
    {
        int waiting = 0;
        for (final Municipality<T> m : municipalities.values())
        {
            if (m.depth() > 0)
            {
                waiting++;
            }
        }
        return waiting;
    }

    private int activeMunicipalities()
    {
        return Math.max(rings[INTERACTIVE].size(), rings[BATCH].size());
    }

    private Municipality<T> municipality(final String code)
    {
        Municipality<T> m = municipalities.get(code);
        if (m == null)
        {
            m = new Municipality<>(code);
            municipalities.put(code, m);
        }
        return m;
    }

    /** Dispatches per second, averaged over windows of at least 100 ms, recent windows weighing most. */
    private void foldRate(final long now)
    {
        final long elapsed = now - windowStartNanos;
        if (elapsed >= RATE_WINDOW_NANOS)
        {
            final double rate = windowDispatches * 1e9 / elapsed;
            dispatchesPerSecond = dispatchesPerSecond < 0 ? rate : (dispatchesPerSecond + rate) / 2;
            windowStartNanos = now;
            windowDispatches = 0;
        }
    }

    private long retryAfterMs(final long dispatchesAhead)
    {
        // A stalled upstream shows here: a window with no dispatches halves the estimate.
        foldRate(nanoTime.getAsLong());
        if (dispatchesPerSecond <= 0)
        {
            return retryAfterMaxMs;
        }
        final double ms = Math.ceil(dispatchesAhead * 1000.0 / dispatchesPerSecond);
        return (long)Math.max(retryAfterMinMs, Math.min(retryAfterMaxMs, ms));
    }
}
