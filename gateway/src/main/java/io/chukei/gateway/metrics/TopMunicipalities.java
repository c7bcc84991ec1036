package io.chukei.gateway.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

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
 * <p>Recording is one map lookup and one or two atomic adds; nothing is allocated once a
 * municipality is known. At most {@code maxTracked} municipalities are tracked (beyond that, straight
 * to {@code other}), so a flood of made-up codes cannot grow memory. Thread-safe.
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

    /**
     * One municipality's numbers: the counts and latency of its own series (only what happened while it was
     * named), and its ranking score (every event since the last ranking, named or not).
     */
    private final class Tally
    {
        final AtomicLongArray counts = new AtomicLongArray(kinds.length);
        final AtomicLongArray buckets = latency ? new AtomicLongArray(LATENCY_BOUNDS_NANOS.length + 1) : null;
        final AtomicLongArray sumNanos = latency ? new AtomicLongArray(1) : null;
        final AtomicLongArray score = new AtomicLongArray(1);
        volatile boolean named;
    }

    private final String[] kinds;
    private final String kindLabel;
    private final boolean latency;
    private final int topK;
    private final int maxTracked;
    private final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
    private final Tally other;

    /**
     * @param kindLabel the label that tells the kinds apart ({@code outcome}, {@code reason})
     * @param kinds     the label's values, by index
     * @param latency   whether {@link #record(String, int, long)} keeps a latency histogram too
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
        this.other = new Tally();
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

    /** One event of kind {@code kind} for {@code municipality} (null: unknown, counted as other). */
    public void record(final String municipality, final int kind)
    {
        final Tally tally = exportedTally(municipality);
        tally.counts.incrementAndGet(kind);
    }

    /** One event with its latency; without a latency histogram the latency is ignored. */
    public void record(final String municipality, final int kind, final long latencyNanos)
    {
        final Tally tally = exportedTally(municipality);
        tally.counts.incrementAndGet(kind);
        if (latency)
        {
            tally.buckets.incrementAndGet(bucketOf(latencyNanos));
            tally.sumNanos.addAndGet(0, Math.max(0, latencyNanos));
        }
    }

    private Tally exportedTally(final String municipality)
    {
        if (municipality == null || !isPlainLabel(municipality))
        {
            return other;
        }
        Tally tally = tallies.get(municipality);
        if (tally == null)
        {
            if (tallies.size() >= maxTracked)
            {
                return other;
            }
            tally = tallies.computeIfAbsent(municipality, key -> new Tally());
        }
        tally.score.incrementAndGet(0);
        return tally.named ? tally : other;
    }

    /** Only what needs no escaping in a label value; certificate codes are digits. */
    private static boolean isPlainLabel(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_'))
            {
                return false;
            }
        }
        return !text.isEmpty();
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

    /**
     * Names the K municipalities with the most events since the previous call; their later events go to
     * their own series. Scores start again from zero, so the ranking follows the traffic of the last period.
     */
    public synchronized void rerank()
    {
        final List<java.util.Map.Entry<String, Tally>> entries = new ArrayList<>(tallies.entrySet());
        entries.sort(Comparator.comparingLong((java.util.Map.Entry<String, Tally> e) -> -e.getValue().score.get(0))
            .thenComparing(java.util.Map.Entry::getKey));
        final Set<String> top = new HashSet<>();
        for (final java.util.Map.Entry<String, Tally> entry : entries)
        {
            if (top.size() == topK || entry.getValue().score.get(0) == 0)
            {
                break;
            }
            top.add(entry.getKey());
        }
        for (final java.util.Map.Entry<String, Tally> entry : entries)
        {
            entry.getValue().named = top.contains(entry.getKey());
            entry.getValue().score.set(0, 0);
        }
    }

    /** The municipalities named right now, in code order. */
    public synchronized List<String> named()
    {
        final List<String> named = new ArrayList<>();
        tallies.forEach((key, tally) ->
        {
            if (tally.named)
            {
                named.add(key);
            }
        });
        named.sort(Comparator.naturalOrder());
        return named;
    }

    /** A named municipality's (or {@link #OTHER}'s) count of one kind; 0 when not named. */
    public long count(final String municipality, final int kind)
    {
        final Tally tally = OTHER.equals(municipality) ? other : tallies.get(municipality);
        return tally == null || !tally.named ? 0 : tally.counts.get(kind);
    }

    /**
     * Appends the Prometheus text exposition (format 0.0.4): {@code NAME_total} counters by municipality and
     * kind, and with latency {@code LATENCY_NAME_seconds} histograms by municipality. {@code commonLabels}
     * is written first in every label set, e.g. {@code node="1",}.
     */
    public void writeTo(final StringBuilder out, final String name, final String help, final String latencyName,
        final String latencyHelp, final String commonLabels)
    {
        final List<String> named = named();
        out.append("# HELP ").append(name).append("_total ").append(help).append('\n');
        out.append("# TYPE ").append(name).append("_total counter\n");
        for (final String municipality : named)
        {
            writeCounts(out, name, commonLabels, municipality, tallies.get(municipality));
        }
        writeCounts(out, name, commonLabels, OTHER, other);
        if (!latency)
        {
            return;
        }
        out.append("# HELP ").append(latencyName).append("_seconds ").append(latencyHelp).append('\n');
        out.append("# TYPE ").append(latencyName).append("_seconds histogram\n");
        for (final String municipality : named)
        {
            writeLatency(out, latencyName, commonLabels, municipality, tallies.get(municipality));
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
            .append("\"} ").append(tally.sumNanos.get(0) / (double)TimeUnit.SECONDS.toNanos(1)).append('\n');
        out.append(name).append("_seconds_count{").append(commonLabels).append("municipality=\"").append(municipality)
            .append("\"} ").append(cumulative).append('\n');
    }
}
