package io.chukei.gateway.admission;

import io.chukei.gateway.metrics.TopMunicipalities;

import java.util.concurrent.atomic.LongAdder;

/**
 * Admission counters as plain getters, for Micrometer to read: admitted by priority, rejected by
 * reason and priority, and rejections by municipality with bounded cardinality (top K plus
 * "other"; {@link HeavyHitters} tracks 4K keys so the top K are accurate). Recording an admission
 * touches one {@link LongAdder} and allocates nothing. Thread-safe.
 */
public final class AdmissionMetrics
{
    /** Label used for the sum of every municipality outside the top K. */
    public static final String OTHER = "other";

    private static final int TRACKED_PER_REPORTED = 4;
    private static final int MAX_TRACKED_MUNICIPALITIES = 4096;
    private static final Priority[] PRIORITIES = Priority.values();

    private final LongAdder[] admitted = adders(PRIORITIES.length);
    private final LongAdder[] rejected = adders(RejectReason.values().length * PRIORITIES.length);
    private final HeavyHitters rejectedByMunicipality;
    private final TopMunicipalities rejectedTop;
    private final int topK;

    public AdmissionMetrics(final AdmissionConfig config)
    {
        this(config.metricsTopK());
    }

    public AdmissionMetrics(final int topK)
    {
        if (topK <= 0)
        {
            throw new IllegalArgumentException("topK: " + topK + " (expected: > 0)");
        }
        this.topK = topK;
        this.rejectedByMunicipality = new HeavyHitters(topK * TRACKED_PER_REPORTED);
        this.rejectedTop = new TopMunicipalities("reason", TopMunicipalities.kinds(RejectReason.values()), false, topK,
            MAX_TRACKED_MUNICIPALITIES);
    }

    public void admitted(final Priority priority)
    {
        admitted[priority.ordinal()].increment();
    }

    public void rejected(final RejectReason reason, final Priority priority, final String municipality)
    {
        rejected[index(reason, priority)].increment();
        rejectedByMunicipality.increment(municipality);
        rejectedTop.record(municipality, reason.ordinal());
    }

    /** Refusals by municipality and reason as Prometheus counters (top K of the last minute + other). */
    public TopMunicipalities rejectedTop()
    {
        return rejectedTop;
    }

    public long admittedCount(final Priority priority)
    {
        return admitted[priority.ordinal()].sum();
    }

    public long rejectedCount(final RejectReason reason, final Priority priority)
    {
        return rejected[index(reason, priority)].sum();
    }

    public long rejectedCount(final RejectReason reason)
    {
        long sum = 0;
        for (final Priority priority : PRIORITIES)
        {
            sum += rejectedCount(reason, priority);
        }
        return sum;
    }

    /** The K municipalities with the most rejections and the rest as {@link #OTHER}. */
    public HeavyHitters.Snapshot rejectedByMunicipality()
    {
        return rejectedByMunicipality.snapshot(topK);
    }

    private static int index(final RejectReason reason, final Priority priority)
    {
        return reason.ordinal() * PRIORITIES.length + priority.ordinal();
    }

    private static LongAdder[] adders(final int n)
    {
        final LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++)
        {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
