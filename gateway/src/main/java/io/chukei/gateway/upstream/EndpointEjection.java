package io.chukei.gateway.upstream;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * Which card-management endpoints take no new forwards for a while: one that failed
 * {@code ejectAfterErrors} attempts in a row, or whose recent mean latency is more than
 * {@code outlierFactor} times the median of the others'. An ejection lasts {@code ejectionMs},
 * doubled for each ejection of the same endpoint shortly before (up to {@link #MAX_EJECTION_MS}).
 *
 * <p>Ejection never empties the pool by itself: at most {@code maxEjectionPercent} of the endpoints
 * are ejected at once, and never the last one that is connected and not ejected. Requests already
 * in flight on an ejected endpoint keep their attempt timeouts.
 *
 * <p>Endpoints are numbered from 0. {@link #isEjected} is a lock-free read for the forwarding path;
 * the records take this object's monitor briefly (no I/O; the listener only logs and counts).
 */
final class EndpointEjection
{
    /** The longest single ejection, however often the endpoint was ejected before. */
    static final long MAX_EJECTION_MS = 30_000;
    /** Latency samples kept per endpoint; the recent mean is over these. */
    static final int LATENCY_WINDOW = 32;
    /** Samples an endpoint (and each endpoint it is compared with) needs before it can be an outlier. */
    static final int MIN_LATENCY_SAMPLES = 20;

    /** Why an endpoint was ejected. */
    enum Cause
    {
        ERRORS,
        OUTLIER
    }

    /** Told about each ejection, under the monitor: keep it short. */
    @FunctionalInterface
    interface Listener
    {
        void ejected(int endpoint, Cause cause, long durationMs, String why);
    }

    /** The thresholds, from the {@code upstream.*} keys. */
    record Settings(int ejectAfterErrors, int ejectionMs, int maxEjectionPercent, double outlierFactor)
    {
    }

    private final Settings settings;
    private final LongSupplier nanoTime;
    private final IntPredicate connected;
    private final Listener listener;
    private final int maxEjected;
    private final long maxEjectionNanos;
    // 0 = not ejected; otherwise the nanoTime the ejection ends (never 0: see eject()).
    private final AtomicLongArray ejectedUntil;
    private final int[] consecutiveErrors;
    private final int[] recentEjections;
    private final long[] lastEjectionEnd;
    private final long[][] latencies;
    private final int[] latencyCount;
    private final int[] latencyNext;
    private final long[] latencySum;
    private final double[] otherMeans;

    /**
     * @param endpoints how many endpoints there are
     * @param nanoTime  the clock (System::nanoTime outside tests)
     * @param connected whether endpoint i is connected now (an unconnected one is no use as the "last usable")
     */
    EndpointEjection(final int endpoints, final Settings settings, final LongSupplier nanoTime,
        final IntPredicate connected, final Listener listener)
    {
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.connected = connected;
        this.listener = listener;
        this.maxEjected = endpoints * settings.maxEjectionPercent() / 100;
        this.maxEjectionNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(MAX_EJECTION_MS, settings.ejectionMs()));
        this.ejectedUntil = new AtomicLongArray(endpoints);
        this.consecutiveErrors = new int[endpoints];
        this.recentEjections = new int[endpoints];
        this.lastEjectionEnd = new long[endpoints];
        this.latencies = new long[endpoints][LATENCY_WINDOW];
        this.latencyCount = new int[endpoints];
        this.latencyNext = new int[endpoints];
        this.latencySum = new long[endpoints];
        this.otherMeans = new double[endpoints];
    }

    /** True while the endpoint should get no new forwards. */
    boolean isEjected(final int endpoint)
    {
        final long until = ejectedUntil.get(endpoint);
        return until != 0 && nanoTime.getAsLong() - until < 0;
    }

    /** How much longer the endpoint stays ejected, in nanoseconds; 0 when it is not ejected. */
    long ejectedForNanos(final int endpoint)
    {
        final long until = ejectedUntil.get(endpoint);
        final long left = until == 0 ? 0 : until - nanoTime.getAsLong();
        return Math.max(0, left);
    }

    /** The mean of the endpoint's recent answer latencies (the outlier window), in nanoseconds; -1 without samples. */
    synchronized long recentMeanLatencyNanos(final int endpoint)
    {
        return latencyCount[endpoint] == 0 ? -1 : latencySum[endpoint] / latencyCount[endpoint];
    }

    /** Endpoints ejected right now. */
    int ejectedCount()
    {
        int count = 0;
        for (int i = 0; i < ejectedUntil.length(); i++)
        {
            if (isEjected(i))
            {
                count++;
            }
        }
        return count;
    }

    /** An answer (OK or REFUSED) after {@code latencyNanos}: the error run ends; the latency may make it an outlier. */
    synchronized void succeeded(final int endpoint, final long latencyNanos)
    {
        consecutiveErrors[endpoint] = 0;
        final long[] window = latencies[endpoint];
        final int slot = latencyNext[endpoint];
        if (latencyCount[endpoint] == LATENCY_WINDOW)
        {
            latencySum[endpoint] -= window[slot];
        }
        else
        {
            latencyCount[endpoint]++;
        }
        window[slot] = latencyNanos;
        latencySum[endpoint] += latencyNanos;
        latencyNext[endpoint] = (slot + 1) % LATENCY_WINDOW;
        if (!isEjected(endpoint) && latencyCount[endpoint] >= MIN_LATENCY_SAMPLES)
        {
            checkOutlier(endpoint);
        }
    }

    /** A failed attempt: transport error, lost connection, attempt timeout or transient failure. */
    synchronized void failed(final int endpoint, final String what)
    {
        if (isEjected(endpoint))
        {
            // Late failures of attempts sent before the ejection: the ejection already accounts for them.
            return;
        }
        consecutiveErrors[endpoint]++;
        if (consecutiveErrors[endpoint] >= settings.ejectAfterErrors())
        {
            eject(endpoint, Cause.ERRORS, consecutiveErrors[endpoint] + " failed attempts in a row, the last: " + what);
        }
    }

    private void checkOutlier(final int endpoint)
    {
        int others = 0;
        for (int j = 0; j < otherMeans.length; j++)
        {
            if (j != endpoint && latencyCount[j] >= MIN_LATENCY_SAMPLES && !isEjected(j))
            {
                otherMeans[others++] = mean(j);
            }
        }
        if (others == 0)
        {
            return;
        }
        Arrays.sort(otherMeans, 0, others);
        final double median = others % 2 == 1 ? otherMeans[others / 2] :
            (otherMeans[others / 2 - 1] + otherMeans[others / 2]) / 2;
        final double mean = mean(endpoint);
        if (mean > settings.outlierFactor() * median)
        {
            eject(endpoint, Cause.OUTLIER, String.format("mean latency %.1f ms over the last %d answers, more than " +
                "%.1f x the median %.1f ms of the others", mean / 1e6, latencyCount[endpoint], settings.outlierFactor(),
                median / 1e6));
        }
    }

    private double mean(final int endpoint)
    {
        return (double)latencySum[endpoint] / latencyCount[endpoint];
    }

    private void eject(final int endpoint, final Cause cause, final String why)
    {
        if (ejectedCount() + 1 > maxEjected || !anotherUsable(endpoint))
        {
            // Kept as is: the error run or the outlier is judged again on the next record.
            return;
        }
        final long now = nanoTime.getAsLong();
        if (recentEjections[endpoint] > 0 && now - lastEjectionEnd[endpoint] >= maxEjectionNanos)
        {
            // Behaved for a long while since its last ejection: start again from the base duration.
            recentEjections[endpoint] = 0;
        }
        long durationNanos = TimeUnit.MILLISECONDS.toNanos(settings.ejectionMs());
        for (int i = 0; i < recentEjections[endpoint] && durationNanos < maxEjectionNanos; i++)
        {
            durationNanos *= 2;
        }
        durationNanos = Math.min(durationNanos, maxEjectionNanos);
        recentEjections[endpoint]++;
        long until = now + durationNanos;
        if (until == 0)
        {
            until = 1;
        }
        ejectedUntil.set(endpoint, until);
        lastEjectionEnd[endpoint] = until;
        consecutiveErrors[endpoint] = 0;
        // Back with a clean slate: its old slow answers must not eject it again at once.
        latencyCount[endpoint] = 0;
        latencyNext[endpoint] = 0;
        latencySum[endpoint] = 0;
        listener.ejected(endpoint, cause, TimeUnit.NANOSECONDS.toMillis(durationNanos), why);
    }

    private boolean anotherUsable(final int endpoint)
    {
        for (int j = 0; j < ejectedUntil.length(); j++)
        {
            if (j != endpoint && connected.test(j) && !isEjected(j))
            {
                return true;
            }
        }
        return false;
    }
}
