package io.chukei.gateway.metrics;

import io.chukei.protocol.codec.MunicipalityCodes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Per-municipality counts by kind (and, optionally, a latency histogram) exported as Prometheus
 * counters for the K busiest municipalities plus {@code other}, so 1,741 municipalities cost K + 1
 * series per kind, not 1,741.
 *
 * <p>Why not "the current top K, the rest summed into other" at each scrape: a municipality moving
 * into the top K would take its whole history out of {@code other}, which then falls, and
 * {@code rate()} reads a fall as a counter reset. Here every event is counted once, in the series
 * it belongs to <em>when it happens</em>: its municipality's own series if that one is named, else
 * {@code other}. Every exported series only grows. Which municipalities are named is decided by
 * {@link #rerank()} (once a minute by default) from the counts of the last ranking period; a
 * municipality that drops out stops being exported (its series goes stale) and counts go to
 * {@code other} again; named again later, its series continues from where it stopped.
 *
 * <p>Municipalities are keyed by their code as an int ({@link MunicipalityCodes}), in an open-addressing
 * table of fixed size: recording is a probe and one or two atomic adds, with no String and no object
 * made once a municipality is known (the relay records from its event loops, once per request). At most
 * {@code maxTracked} municipalities are tracked (beyond that, straight to {@code other}), so a flood of
 * made-up codes cannot grow memory. Thread-safe.
 */
public final class TopMunicipalities
{
    public static final String OTHER = "other";
    /** Bucket bounds in seconds: 1 ms .. 30 s, enough to tell "answered at once" from "waited for upstream". */
    static final double[] LATENCY_BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final long[] LATENCY_BOUNDS_NANOS = new long[LATENCY_BOUNDS_SECONDS.length];

    static
    {
        for (int i = 0; i < LATENCY_BOUNDS_SECONDS.length; i++)
        {
            LATENCY_BOUNDS_NANOS[i] = (long)(LATENCY_BOUNDS_SECONDS[i] * 1e9);
        }
    }

    /** One named municipality's (or other's) running totals, copied at one moment: what the status page reads. */
    public record Totals(String municipality, long[] counts, long[] latencyBuckets)
    {
    }

    /**
     * One municipality's numbers: the counts and latency of its own series (only what happened while it was
     * named), and its ranking score (every event since the last ranking, named or not).
     */
    private final class Tally
    {
        final int code;
        final String name;
        final AtomicLongArray counts = new AtomicLongArray(kinds.length);
        final AtomicLongArray buckets = latency ? new AtomicLongArray(LATENCY_BOUNDS_NANOS.length + 1) : null;
        final AtomicLong sumNanos = new AtomicLong();
        final AtomicLong score = new AtomicLong();
        volatile boolean named;

        Tally(final int code, final String name)
        {
            this.code = code;
            this.name = name;
        }
    }

    private final String[] kinds;
    private final String kindLabel;
    private final boolean latency;
    private final int topK;
    private final int maxTracked;
    /** Open addressing by code, at least twice {@code maxTracked} slots: a probe always ends at a free slot. */
    private final AtomicReferenceArray<Tally> table;
    private final int mask;
    private final AtomicInteger tracked = new AtomicInteger();
    private final Tally other;

    /**
     * @param kindLabel the label that tells the kinds apart ({@code outcome}, {@code reason})
     * @param kinds     the label's values, by index
     * @param latency   whether {@link #record(int, int, long)} keeps a latency histogram too
     */
    public TopMunicipalities(final String kindLabel, final String[] kinds, final boolean latency, final int topK,
        final int maxTracked)
    {
        if (topK <= 0)
        {
            throw new IllegalArgumentException("topK: " + topK + " (expected: > 0)");
        }
        if (maxTracked < topK)
        {
            throw new IllegalArgumentException("maxTracked: " + maxTracked + " (expected: >= topK " + topK + ")");
        }
        this.kindLabel = kindLabel;
        this.kinds = kinds.clone();
        this.latency = latency;
        this.topK = topK;
        this.maxTracked = maxTracked;
        // Room for every thread overshooting maxTracked by one at once, and probes stay short.
        final int slots = Integer.highestOneBit(Math.max(16, maxTracked * 4 - 1)) << 1;
        this.table = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
        this.other = new Tally(MunicipalityCodes.INVALID, OTHER);
        this.other.named = true;
    }

    /** Kind values from an enum, lower case. */
    public static String[] kinds(final Enum<?>[] values)
    {
        final String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++)
        {
            names[i] = values[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    /** One event of kind {@code kind} for {@code municipality} (null or not a 6-digit code: counted as other). */
    public void record(final String municipality, final int kind)
    {
        record(MunicipalityCodes.parse(municipality), kind);
    }

    /** One event with its latency; without a latency histogram the latency is ignored. */
    public void record(final String municipality, final int kind, final long latencyNanos)
    {
        record(MunicipalityCodes.parse(municipality), kind, latencyNanos);
    }

    /** One event for the municipality with this code ({@link MunicipalityCodes#INVALID}: other). No allocation. */
    public void record(final int code, final int kind)
    {
        exportedTally(code).counts.incrementAndGet(kind);
    }

    /** One event with its latency, by code. No allocation once the municipality is known. */
    public void record(final int code, final int kind, final long latencyNanos)
    {
        final Tally tally = exportedTally(code);
        tally.counts.incrementAndGet(kind);
        if (latency)
        {
            tally.buckets.incrementAndGet(bucketOf(latencyNanos));
            tally.sumNanos.addAndGet(Math.max(0, latencyNanos));
        }
    }

    private Tally exportedTally(final int code)
    {
        final Tally tally = tallyOf(code, true);
        if (tally == null)
        {
            return other;
        }
        tally.score.incrementAndGet();
        return tally.named ? tally : other;
    }

    /** The code's tally; with {@code create}, made on first sight while fewer than maxTracked are tracked. */
    private Tally tallyOf(final int code, final boolean create)
    {
        if (code < 0 || code >= MunicipalityCodes.COUNT)
        {
            return null;
        }
        int slot = (code * 0x9E3779B9) >>> 7 & mask;
        while (true)
        {
            final Tally tally = table.get(slot);
            if (tally == null)
            {
                if (!create || tracked.get() >= maxTracked)
                {
                    return null;
                }
                // Once per municipality, bounded by maxTracked: the only allocation on this path.
                final Tally fresh = new Tally(code, MunicipalityCodes.format(code));
                if (table.compareAndSet(slot, null, fresh))
                {
                    tracked.incrementAndGet();
                    return fresh;
                }
                continue;
            }
            if (tally.code == code)
            {
                return tally;
            }
            slot = slot + 1 & mask;
        }
    }

    private List<Tally> tallies()
    {
        final List<Tally> all = new ArrayList<>(tracked.get());
        for (int i = 0; i < table.length(); i++)
        {
            final Tally tally = table.get(i);
            if (tally != null)
            {
                all.add(tally);
            }
        }
        return all;
    }

    private static int bucketOf(final long nanos)
    {
        for (int i = 0; i < LATENCY_BOUNDS_NANOS.length; i++)
        {
            if (nanos <= LATENCY_BOUNDS_NANOS[i])
            {
                return i;
            }
        }
        return LATENCY_BOUNDS_NANOS.length;
    }

    /** Upper bounds of the latency buckets in seconds (the last bucket, beyond them, is unbounded). */
    public static double[] latencyBoundsSeconds()
    {
        return LATENCY_BOUNDS_SECONDS.clone();
    }

    /** The label values of the kinds, by index. */
    public String[] kindNames()
    {
        return kinds.clone();
    }

    /**
     * Names the K municipalities with the most events since the previous call; their later events go to
     * their own series. Scores start again from zero, so the ranking follows the traffic of the last period.
     * Returns how many are named.
     */
    public synchronized int rerank()
    {
        final List<Tally> entries = tallies();
        entries.sort(Comparator.comparingLong((Tally t) -> -t.score.get()).thenComparingInt(t -> t.code));
        int named = 0;
        for (final Tally tally : entries)
        {
            final boolean top = named < topK && tally.score.get() > 0;
            tally.named = top;
            tally.score.set(0);
            named += top ? 1 : 0;
        }
        return named;
    }

    /** The municipalities named right now, in code order. */
    public synchronized List<String> named()
    {
        final List<String> named = new ArrayList<>();
        for (final Tally tally : namedTallies())
        {
            named.add(tally.name);
        }
        return named;
    }

    private List<Tally> namedTallies()
    {
        final List<Tally> named = new ArrayList<>();
        for (final Tally tally : tallies())
        {
            if (tally.named)
            {
                named.add(tally);
            }
        }
        named.sort(Comparator.comparingInt(t -> t.code));
        return named;
    }

    /** A named municipality's (or {@link #OTHER}'s) count of one kind; 0 when not named. */
    public long count(final String municipality, final int kind)
    {
        final Tally tally = OTHER.equals(municipality) ? other : tallyOf(MunicipalityCodes.parse(municipality), false);
        return tally == null || !tally.named ? 0 : tally.counts.get(kind);
    }

    /** The running totals of every named municipality (code order), then other's; copies, off the request path. */
    public synchronized List<Totals> totals()
    {
        final List<Totals> out = new ArrayList<>();
        for (final Tally tally : namedTallies())
        {
            out.add(totalsOf(tally));
        }
        out.add(totalsOf(other));
        return out;
    }

    private Totals totalsOf(final Tally tally)
    {
        final long[] counts = new long[kinds.length];
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = tally.counts.get(i);
        }
        final long[] buckets = new long[latency ? LATENCY_BOUNDS_NANOS.length + 1 : 0];
        for (int i = 0; i < buckets.length; i++)
        {
            buckets[i] = tally.buckets.get(i);
        }
        return new Totals(tally.name, counts, buckets);
    }

    /**
     * Appends the Prometheus text exposition (format 0.0.4): {@code NAME_total} counters by municipality and
     * kind, and with latency {@code LATENCY_NAME_seconds} histograms by municipality. {@code commonLabels}
     * is written first in every label set, e.g. {@code node="1",}.
     */
    public void writeTo(final StringBuilder out, final String name, final String help, final String latencyName,
        final String latencyHelp, final String commonLabels)
    {
        final List<Tally> named = namedTallies();
        out.append("# HELP ").append(name).append("_total ").append(help).append('\n');
        out.append("# TYPE ").append(name).append("_total counter\n");
        for (final Tally tally : named)
        {
            writeCounts(out, name, commonLabels, tally.name, tally);
        }
        writeCounts(out, name, commonLabels, OTHER, other);
        if (!latency)
        {
            return;
        }
        out.append("# HELP ").append(latencyName).append("_seconds ").append(latencyHelp).append('\n');
        out.append("# TYPE ").append(latencyName).append("_seconds histogram\n");
        for (final Tally tally : named)
        {
            writeLatency(out, latencyName, commonLabels, tally.name, tally);
        }
        writeLatency(out, latencyName, commonLabels, OTHER, other);
    }

    private void writeCounts(final StringBuilder out, final String name, final String commonLabels,
        final String municipality, final Tally tally)
    {
        for (int kind = 0; kind < kinds.length; kind++)
        {
            out.append(name).append("_total{").append(commonLabels).append("municipality=\"").append(municipality)
                .append("\",").append(kindLabel).append("=\"").append(kinds[kind]).append("\"} ")
                .append(tally.counts.get(kind)).append('\n');
        }
    }

    private static void writeLatency(final StringBuilder out, final String name, final String commonLabels,
        final String municipality, final Tally tally)
    {
        long cumulative = 0;
        for (int i = 0; i <= LATENCY_BOUNDS_NANOS.length; i++)
        {
            cumulative += tally.buckets.get(i);
            out.append(name).append("_seconds_bucket{").append(commonLabels).append("municipality=\"")
                .append(municipality).append("\",le=\"")
                .append(i == LATENCY_BOUNDS_NANOS.length ? "+Inf" : Double.toString(LATENCY_BOUNDS_SECONDS[i]))
                .append("\"} ").append(cumulative).append('\n');
        }
        out.append(name).append("_seconds_sum{").append(commonLabels).append("municipality=\"").append(municipality)
            .append("\"} ").append(tally.sumNanos.get() / (double)TimeUnit.SECONDS.toNanos(1)).append('\n');
        out.append(name).append("_seconds_count{").append(commonLabels).append("municipality=\"").append(municipality)
            .append("\"} ").append(cumulative).append('\n');
    }
}
