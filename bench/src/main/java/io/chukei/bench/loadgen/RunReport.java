package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the summary and the plot are made from: settings, machine, and the recorded
 * phases; the whole run's figures are derived from the phases.
 *
 * @param settings the run's options as text, in the order given
 * @param machine where it ran (processors, memory, JVM, load average)
 */
record RunReport(
    Instant startedAt,
    double warmupSeconds,
    Map<String, String> settings,
    Map<String, String> machine,
    List<PhaseReport> phases)
{
    RunReport
    {
        if (phases.isEmpty())
        {
            throw new IllegalArgumentException("phases: [] (expected: at least one recorded phase)");
        }
        phases = List.copyOf(phases);
    }

    double durationSeconds()
    {
        return phases.stream().mapToDouble(PhaseReport::durationSeconds).sum();
    }

    long scheduled()
    {
        return phases.stream().mapToLong(PhaseReport::scheduled).sum();
    }

    OutcomeCounts outcomes()
    {
        return phases.stream().map(PhaseReport::outcomes).reduce(OutcomeCounts.none(), OutcomeCounts::plus);
    }

    double offeredRatePerSecond()
    {
        return scheduled() / durationSeconds();
    }

    double achievedRatePerSecond()
    {
        return outcomes().results() / durationSeconds();
    }

    Histogram accepted()
    {
        return merged(true);
    }

    Histogram answer()
    {
        return merged(false);
    }

    private Histogram merged(final boolean accepted)
    {
        final Histogram first = accepted ? phases.get(0).accepted() : phases.get(0).answer();
        final Histogram all = new Histogram(first.getNumberOfSignificantValueDigits());
        for (final PhaseReport phase : phases)
        {
            all.add(accepted ? phase.accepted() : phase.answer());
        }
        return all;
    }
}
