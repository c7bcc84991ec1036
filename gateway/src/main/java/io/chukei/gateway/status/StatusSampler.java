package io.chukei.gateway.status;

import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.metrics.RelayMetrics;
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

    private static final ErrorCode[] CODES = ErrorCode.values();

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
        }
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
