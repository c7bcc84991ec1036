package io.chukei.gateway.status;

import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.metrics.MunicipalityOutcome;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.metrics.TopMunicipalities;
import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.OutcomeStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Turns running counts into rates, every {@link #tick} (one thread, every 2 s): requests accepted,
 * answered and rejected per second, rejections by reason, and the municipalities that sent the most
 * Submits in the last interval (bounded top K, however many are connected). Keeps a short history of
 * the totals for the page's rate chart. Reads only counters: nothing on the request path.
 */
public final class StatusSampler
{
    /** Rates of the latest interval, per second. */
    public record Rates(long epochMs, double intervalSeconds, double acceptedPerSec, double okPerSec,
        double refusedPerSec, double rejectedPerSec, Map<String, Double> rejectedByReason)
    {
    }

    /** One point of the rate history. */
    public record RatePoint(long epochMs, double accepted, double rejected)
    {
    }

    /** A municipality's Submits: per second in the latest interval, and since its bucket was made. */
    public record Traffic(String municipality, double perSec, long total)
    {
    }

    /**
     * A municipality's requests in the latest interval by how they ended (per second), and the 99th percentile of
     * Submit → final answer as the upper bound of its bucket in ms ({@code -1}: beyond the last bound, 30 s;
     * null: nothing answered). From {@code chukei_municipality_*}: the municipalities named there (top K of the
     * last minute), the busiest {@code rows} of them by name, the rest together as {@link TopMunicipalities#OTHER}.
     */
    public record Outcomes(String municipality, double acceptedPerSec, double okPerSec, double refusedPerSec,
        double rejectedPerSec, Double p99UpToMs)
    {
    }

    private static final ErrorCode[] CODES = ErrorCode.values();
    private static final double[] BOUNDS_SECONDS = TopMunicipalities.latencyBoundsSeconds();

    private final RelayMetrics metrics;
    private final MunicipalityRateLimiter limiter;
    private final int topK;
    private final int historyPoints;
    private final Deque<RatePoint> history = new ArrayDeque<>();
    private final double[] lastRejected = new double[CODES.length];
    private Map<Integer, Long> lastByMunicipality = new HashMap<>();
    private long lastEpochMs = -1;
    private double lastAccepted;
    private double lastOk;
    private double lastRefused;
    private volatile Rates rates = new Rates(0, 0, 0, 0, 0, 0, Map.of());
    private volatile List<Traffic> topTraffic = List.of();
    private Map<String, TopMunicipalities.Totals> lastOutcomes = Map.of();
    private volatile List<Outcomes> topOutcomes = List.of();

    public StatusSampler(final RelayMetrics metrics, final MunicipalityRateLimiter limiter, final int topK,
        final int historyPoints)
    {
        this.metrics = metrics;
        this.limiter = limiter;
        this.topK = topK;
        this.historyPoints = historyPoints;
    }

    /** One sample at {@code epochMs}; the first only sets the baseline. */
    public synchronized void tick(final long epochMs)
    {
        final double accepted = metrics.acceptedCount();
        final double ok = metrics.completedCount(OutcomeStatus.OK);
        final double refused = metrics.completedCount(OutcomeStatus.REFUSED);
        final double[] rejected = new double[CODES.length];
        for (int i = 0; i < CODES.length; i++)
        {
            rejected[i] = metrics.rejectedCount(CODES[i]);
        }
        final Map<Integer, Long> byMunicipality = new HashMap<>(Math.max(16, lastByMunicipality.size() * 2));
        limiter.forEachRequestCount(byMunicipality::put);
        metrics.rerankIfDue();
        final Map<String, TopMunicipalities.Totals> outcomes = new HashMap<>();
        for (final TopMunicipalities.Totals totals : metrics.municipalities().totals())
        {
            outcomes.put(totals.municipality(), totals);
        }

        if (lastEpochMs >= 0 && epochMs > lastEpochMs)
        {
            final double seconds = (epochMs - lastEpochMs) / 1000.0;
            final Map<String, Double> byReason = new LinkedHashMap<>();
            double rejectedSum = 0;
            for (int i = 0; i < CODES.length; i++)
            {
                final double delta = rejected[i] - lastRejected[i];
                if (delta > 0)
                {
                    byReason.put(CODES[i].name(), delta / seconds);
                    rejectedSum += delta;
                }
            }
            rates = new Rates(epochMs, seconds, (accepted - lastAccepted) / seconds, (ok - lastOk) / seconds,
                (refused - lastRefused) / seconds, rejectedSum / seconds, byReason);
            history.addLast(new RatePoint(epochMs, rates.acceptedPerSec(), rates.rejectedPerSec()));
            if (history.size() > historyPoints)
            {
                history.removeFirst();
            }
            topTraffic = top(byMunicipality, seconds);
            topOutcomes = outcomes(outcomes, seconds);
        }
        lastOutcomes = outcomes;
        lastEpochMs = epochMs;
        lastAccepted = accepted;
        lastOk = ok;
        lastRefused = refused;
        System.arraycopy(rejected, 0, lastRejected, 0, rejected.length);
        lastByMunicipality = byMunicipality;
    }

    private List<Traffic> top(final Map<Integer, Long> counts, final double seconds)
    {
        // A bounded heap: K entries however many municipalities there are.
        final Comparator<long[]> byDeltaThenTotal = Comparator.<long[]>comparingLong(e -> e[1]).thenComparingLong(e -> e[2]);
        final PriorityQueue<long[]> heap = new PriorityQueue<>(topK + 1, byDeltaThenTotal);
        for (final Map.Entry<Integer, Long> entry : counts.entrySet())
        {
            final long before = lastByMunicipality.getOrDefault(entry.getKey(), 0L);
            final long delta = Math.max(0, entry.getValue() - before);
            heap.add(new long[] {entry.getKey(), delta, entry.getValue()});
            if (heap.size() > topK)
            {
                heap.poll();
            }
        }
        final List<Traffic> out = new ArrayList<>(heap.size());
        while (!heap.isEmpty())
        {
            final long[] e = heap.poll();
            out.add(0, new Traffic(MunicipalityCodes.format((int)e[0]), e[1] / seconds, e[2]));
        }
        return List.copyOf(out);
    }

    /** Per named municipality: what happened since the last tick (one with no baseline yet is left out). */
    private List<Outcomes> outcomes(final Map<String, TopMunicipalities.Totals> now, final double seconds)
    {
        final List<long[][]> deltas = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        long[][] rest = null;
        for (final TopMunicipalities.Totals totals : now.values())
        {
            final TopMunicipalities.Totals before = lastOutcomes.get(totals.municipality());
            if (before == null)
            {
                continue;
            }
            final long[][] delta = {minus(totals.counts(), before.counts()),
                minus(totals.latencyBuckets(), before.latencyBuckets())};
            if (TopMunicipalities.OTHER.equals(totals.municipality()))
            {
                rest = add(rest, delta);
            }
            else
            {
                deltas.add(delta);
                names.add(totals.municipality());
            }
        }
        final Integer[] order = new Integer[deltas.size()];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -sum(deltas.get(i)[0])).thenComparing(names::get));
        final List<Outcomes> out = new ArrayList<>();
        for (final Integer i : order)
        {
            if (out.size() < topK)
            {
                out.add(outcomesOf(names.get(i), deltas.get(i), seconds));
            }
            else
            {
                rest = add(rest, deltas.get(i));
            }
        }
        if (rest != null)
        {
            out.add(outcomesOf(TopMunicipalities.OTHER, rest, seconds));
        }
        return List.copyOf(out);
    }

    private static Outcomes outcomesOf(final String municipality, final long[][] delta, final double seconds)
    {
        final long[] counts = delta[0];
        return new Outcomes(municipality, counts[MunicipalityOutcome.ACCEPTED.ordinal()] / seconds,
            counts[MunicipalityOutcome.OK.ordinal()] / seconds, counts[MunicipalityOutcome.REFUSED.ordinal()] / seconds,
            counts[MunicipalityOutcome.REJECTED.ordinal()] / seconds, p99UpToMs(delta[1]));
    }

    /** The upper bound (ms) of the bucket that holds the 99th percentile; -1 beyond the last bound; null if empty. */
    static Double p99UpToMs(final long[] buckets)
    {
        final long total = sum(buckets);
        if (total == 0)
        {
            return null;
        }
        final long rank = (long)Math.ceil(total * 0.99);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
            {
                return i < BOUNDS_SECONDS.length ? BOUNDS_SECONDS[i] * 1000 : -1.0;
            }
        }
        return -1.0;
    }

    private static long[] minus(final long[] a, final long[] b)
    {
        final long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++)
        {
            out[i] = Math.max(0, a[i] - b[i]);
        }
        return out;
    }

    private static long[][] add(final long[][] into, final long[][] delta)
    {
        if (into == null)
        {
            return new long[][] {delta[0].clone(), delta[1].clone()};
        }
        for (int part = 0; part < 2; part++)
        {
            for (int i = 0; i < into[part].length; i++)
            {
                into[part][i] += delta[part][i];
            }
        }
        return into;
    }

    private static long sum(final long[] values)
    {
        long total = 0;
        for (final long v : values)
        {
            total += v;
        }
        return total;
    }

    /** The busiest named municipalities by outcome in the latest interval, then {@code other}. */
    public List<Outcomes> topOutcomes()
    {
        return topOutcomes;
    }

    public Rates rates()
    {
        return rates;
    }

    public synchronized List<RatePoint> history()
    {
        return new ArrayList<>(history);
    }

    public List<Traffic> topTraffic()
    {
        return topTraffic;
    }
}
