package io.chukei.bench.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When each request is meant to be sent, fixed before the run starts. Request {@code i} of a
 * phase running at {@code r} requests/s is due {@code i / r} seconds after the phase starts,
 * whatever happened to earlier requests: a late send is measured from its due time, so a
 * stall shows in the latency instead of silently lowering the offered rate (no coordinated
 * omission).
 *
 * <pre>
 *   phase:   warmup (not recorded) | step 1 (rate r1) | step 2 (rate r2) | ...
 *   index:   0 .. w-1              | w .. w+n1-1      | ...
 *   due(i):  phaseStart + (i - phaseFirstIndex) * 1e9 / rate   nanoseconds after the run starts
 * </pre>
 */
final class RateSchedule
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** A stretch of the run at one rate; {@code recorded} is false for the warmup. */
    record Phase(String name, long ratePerSecond, long durationNs, boolean recorded)
    {
        Phase
        {
            Objects.requireNonNull(name, "name");
            if (ratePerSecond < 1)
            {
                throw new IllegalArgumentException("ratePerSecond: " + ratePerSecond + " (expected: >= 1)");
            }
            if (durationNs < 0)
            {
                throw new IllegalArgumentException("durationNs: " + durationNs + " (expected: >= 0)");
            }
        }

        /** Requests due within the phase: floor(rate x duration), computed without overflow. */
        long requestCount()
        {
            return durationNs / NANOS_PER_SECOND * ratePerSecond + durationNs % NANOS_PER_SECOND * ratePerSecond / NANOS_PER_SECOND;
        }
    }

    private final List<Phase> phases;
    private final long[] firstIndex;
    private final long[] startNs;
    private final long size;
    private final long durationNs;

    private RateSchedule(final List<Phase> phases)
    {
        if (phases.isEmpty())
        {
            throw new IllegalArgumentException("phases: [] (expected: at least one)");
        }
        this.phases = List.copyOf(phases);
        this.firstIndex = new long[phases.size()];
        this.startNs = new long[phases.size()];
        long index = 0;
        long start = 0;
        for (int p = 0; p < phases.size(); p++)
        {
            firstIndex[p] = index;
            startNs[p] = start;
            index += phases.get(p).requestCount();
            start += phases.get(p).durationNs();
        }
        this.size = index;
        this.durationNs = start;
    }

    /** A warmup (when {@code warmupNs > 0}) at the first step's rate, then one phase per rate. */
    static RateSchedule stepped(final List<Long> ratesPerSecond, final long stepDurationNs, final long warmupNs)
    {
        if (ratesPerSecond.isEmpty())
        {
            throw new IllegalArgumentException("rates: [] (expected: at least one rate)");
        }
        if (stepDurationNs <= 0)
        {
            throw new IllegalArgumentException("stepDurationNs: " + stepDurationNs + " (expected: > 0)");
        }
        final List<Phase> phases = new ArrayList<>();
        if (warmupNs > 0)
        {
            phases.add(new Phase("warmup", ratesPerSecond.get(0), warmupNs, false));
        }
        for (int i = 0; i < ratesPerSecond.size(); i++)
        {
            final String name = ratesPerSecond.size() == 1 ? "constant" : "step " + (i + 1);
            phases.add(new Phase(name, ratesPerSecond.get(i), stepDurationNs, true));
        }
        return new RateSchedule(phases);
    }

    /** One rate for the whole run, after an optional warmup at the same rate. */
    static RateSchedule constant(final long ratePerSecond, final long durationNs, final long warmupNs)
    {
        return stepped(List.of(ratePerSecond), durationNs, warmupNs);
    }

    /** Requests in the whole run, warmup included. */
    long size()
    {
        return size;
    }

    long durationNs()
    {
        return durationNs;
    }

    List<Phase> phases()
    {
        return phases;
    }

    /** Nanoseconds after the run's start at which request {@code index} is due. */
    long intendedStartNs(final long index)
    {
        return intendedStartNs(index, phaseOf(index));
    }

    /** As {@link #intendedStartNs(long)} when the caller already knows the phase (the send loop does). */
    long intendedStartNs(final long index, final int phase)
    {
        final long k = index - firstIndex[phase];
        final long rate = phases.get(phase).ratePerSecond();
        // k * 1e9 / rate without overflow, exact to the nanosecond.
        return startNs[phase] + k / rate * NANOS_PER_SECOND + k % rate * NANOS_PER_SECOND / rate;
    }

    /** The phase request {@code index} belongs to. */
    int phaseOf(final long index)
    {
        if (index < 0 || index >= size)
        {
            throw new IndexOutOfBoundsException("index: " + index + " (expected: 0.." + (size - 1) + ")");
        }
        int phase = phases.size() - 1;
        while (firstIndex[phase] > index || phases.get(phase).requestCount() == 0)
        {
            phase--;
        }
        return phase;
    }

    /** Index of the first request of {@code phase}. */
    long firstIndex(final int phase)
    {
        return firstIndex[phase];
    }

    /** Nanoseconds after the run's start at which {@code phase} begins. */
    long phaseStartNs(final int phase)
    {
        return startNs[phase];
    }

    /** When the first recorded phase begins: the end of the warmup. */
    long measuredStartNs()
    {
        for (int p = 0; p < phases.size(); p++)
        {
            if (phases.get(p).recorded())
            {
                return startNs[p];
            }
        }
        return durationNs;
    }
}
