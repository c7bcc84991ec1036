package io.chukei.bench.admission;

import io.chukei.bench.loadgen.OperationMix;
import io.chukei.bench.loadgen.OutcomeCounts;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NoisyNeighbourReportTest
{
    private static final OperationMix MIX = OperationMix.parse("CARD_STATUS=1");

    @Test
    void normalLatencyIsComparedAsNoisyOverQuiet()
    {
        final NoisyNeighbourReport report = report(quiet(latencies(10_000, 100_000)), noisy(latencies(10_500, 105_000), 100, 95));

        final NoisyNeighbourReport.Comparison comparison = report.normalLatencyComparison().orElseThrow();

        assertThat(comparison.p99Ratio()).isCloseTo(1.05, within(0.005));
        assertThat(comparison.p99GoalMet()).isTrue();
    }

    @Test
    void p99MoreThanTenPercentAboveTheQuietRunMissesTheGoal()
    {
        final NoisyNeighbourReport report = report(quiet(latencies(10_000, 100_000)), noisy(latencies(10_000, 120_000), 100, 95));

        assertThat(report.normalLatencyComparison().orElseThrow().p99GoalMet()).isFalse();
    }

    @Test
    void ratioOverNothingIsNotANumber()
    {
        assertThat(NoisyNeighbourReport.ratio(5, 0)).isNaN();
        assertThat(NoisyNeighbourReport.ratio(6, 4)).isEqualTo(1.5);
    }

    @Test
    void noisyRejectionRateIsItsRateLimitedShareOfWhatItSent()
    {
        final NoisyNeighbourReport report = report(quiet(latencies(10_000)), noisy(latencies(10_000), 200, 190));

        assertThat(report.noisyRateLimitedFraction()).hasValue(0.95);
    }

    @Test
    void rateLimitedNoisyRequestsAreNotErrorsButAnUnansweredNormalOneIs()
    {
        final GroupResult normal = new GroupResult(TrafficGroup.NORMAL,
            new OutcomeCounts(10, 9, 0, Map.of(), 1, 0), latencies(10_000));
        final GroupResult noisy = new GroupResult(TrafficGroup.NOISY,
            new OutcomeCounts(100, 5, 0, Map.of("RATE_LIMITED", 94L, "DEADLINE_EXCEEDED (local)", 1L), 0, 0), latencies(10_000));

        assertThat(normal.errors()).isEqualTo(1);
        assertThat(noisy.expectedRejections()).isEqualTo(94);
        assertThat(noisy.errors()).isEqualTo(1);
    }

    @Test
    void tableAndJsonCarryTheRatioAndTheRejectionRate()
    {
        final NoisyNeighbourReport report = report(quiet(latencies(10_000, 100_000)), noisy(latencies(10_500, 105_000), 100, 95));

        assertThat(report.table()).contains("p99 1.05").contains("met").contains("95.0% RATE_LIMITED");
        assertThat(report.json()).contains("\"p99GoalMet\": true").contains("\"noisyRateLimitedFraction\": 0.95");
    }

    private static NoisyNeighbourReport report(final ScenarioResult... scenarios)
    {
        return new NoisyNeighbourReport(List.of(scenarios), Map.of("seed", "1"), Map.of("availableProcessors", "2"));
    }

    private static ScenarioResult quiet(final Histogram normalMicros)
    {
        final Scenario scenario = new Scenario("A", "quiet", List.of(normalStream()));
        final Map<TrafficGroup, GroupResult> groups = new EnumMap<>(TrafficGroup.class);
        groups.put(TrafficGroup.NORMAL, served(TrafficGroup.NORMAL, normalMicros));
        return new ScenarioResult(scenario, 20, groups, Map.of(), "1.00", "1.00");
    }

    private static ScenarioResult noisy(final Histogram normalMicros, final long noisySent, final long noisyRateLimited)
    {
        final Scenario scenario = new Scenario("B", "noisy", List.of(normalStream(), new Stream(TrafficGroup.NOISY, 300, 1, 100, MIX)));
        final Map<TrafficGroup, GroupResult> groups = new EnumMap<>(TrafficGroup.class);
        groups.put(TrafficGroup.NORMAL, served(TrafficGroup.NORMAL, normalMicros));
        groups.put(TrafficGroup.NOISY, new GroupResult(TrafficGroup.NOISY, new OutcomeCounts(noisySent, noisySent - noisyRateLimited, 0,
            Map.of("RATE_LIMITED", noisyRateLimited), 0, 0), latencies(10_000)));
        return new ScenarioResult(scenario, 20, groups, Map.of(), "1.00", "1.00");
    }

    private static Stream normalStream()
    {
        return new Stream(TrafficGroup.NORMAL, 0, 300, 150, MIX);
    }

    private static GroupResult served(final TrafficGroup group, final Histogram micros)
    {
        return new GroupResult(group, new OutcomeCounts(micros.getTotalCount(), micros.getTotalCount(), 0, Map.of(), 0, 0), micros);
    }

    /** 98% of the values at the first figure and 2% at each further one: with one tail figure, p99 and max are the tail. */
    private static Histogram latencies(final long typicalMicros, final long... tailMicros)
    {
        final Histogram histogram = ScenarioRun.newHistogram();
        histogram.recordValueWithCount(typicalMicros, 9800);
        for (final long tail : tailMicros)
        {
            histogram.recordValueWithCount(tail, 200);
        }
        return histogram;
    }
}
