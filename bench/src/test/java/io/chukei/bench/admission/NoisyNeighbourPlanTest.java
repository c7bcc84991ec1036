package io.chukei.bench.admission;

import io.chukei.bench.loadgen.Municipalities;
import io.chukei.bench.loadgen.OperationMix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoisyNeighbourPlanTest
{
    private static final OperationMix MIX = OperationMix.parse(NoisyNeighbourPlan.DEFAULT_NORMAL_MIX);

    @Test
    void quietScenarioIsTheNormalMunicipalitiesAtTheirRateTogether()
    {
        final Scenario quiet = plan(300, 0.5, 100, List.of("A")).scenarios().get(0);

        assertThat(quiet.streams()).singleElement().satisfies(stream ->
        {
            assertThat(stream.group()).isEqualTo(TrafficGroup.NORMAL);
            assertThat(stream.municipalities()).isEqualTo(300);
            assertThat(stream.ratePerMunicipality()).isEqualTo(0.5);
        });
        assertThat(quiet.totalRatePerSecond()).isEqualTo(150.0);
    }

    @Test
    void noisyScenarioAddsOneMunicipalityAtItsOwnRateAfterTheNormalOnes()
    {
        final Scenario noisy = plan(300, 0.5, 100, List.of("B")).scenarios().get(0);

        final Stream stream = noisy.stream(TrafficGroup.NOISY);
        assertThat(stream.firstRank()).isEqualTo(300);
        assertThat(stream.municipalities()).isEqualTo(1);
        assertThat(stream.ratePerSecond()).isEqualTo(100.0);
        assertThat(noisy.totalRatePerSecond()).isEqualTo(250.0);
    }

    @Test
    void batchFloodComesFromTheFloodersAtBatchPriority()
    {
        final Scenario flood = plan(300, 0.5, 100, List.of("C")).scenarios().get(0);

        final Stream stream = flood.stream(TrafficGroup.BATCH_FLOOD);
        assertThat(stream.firstRank()).isEqualTo(301);
        assertThat(stream.municipalities()).isEqualTo(4);
        assertThat(stream.ratePerSecond()).isEqualTo(200.0);
        assertThat(stream.mix()).hasToString("PREISSUE_SETUP:BATCH=1");
    }

    @Test
    void scenariosRunInTheOrderAsked()
    {
        assertThat(plan(10, 0.5, 100, List.of("C", "A")).scenarios()).extracting(Scenario::name).containsExactly("C", "A");
    }

    @Test
    void serviceTimeGivesTheAskedCapacityWithTheSimulatorsConcurrency()
    {
        assertThat(NoisyNeighbourPlan.serviceTimeMsFor(200, 64)).isEqualTo(320);
        assertThat(NoisyNeighbourPlan.serviceTimeMsFor(1_000_000, 64)).isEqualTo(1);
        assertThat(plan(300, 0.5, 100, List.of("A")).upstreamCapacityPerSecond()).isEqualTo(200.0);
    }

    @Test
    void nodeSettingsSetTheDefaultLimitTheServiceTimeTheUpstreamCeilingAndRaiseOnlyTheFloodersLimits()
    {
        final NoisyNeighbourPlan plan = plan(10, 0.5, 100, List.of("A", "B", "C"));
        final List<String> codes = Municipalities.generate(plan.municipalityCount(), 0).codes();

        final Map<String, String> settings = plan.nodeSettings(codes);

        assertThat(settings).containsEntry("admission.rate.default", "5").containsEntry("admission.burst.default", "10")
            .containsEntry("cardsim.serviceTimeMs", "320")
            .containsEntry("admission.upstream.maxLimit", "64")
            .containsEntry("admission.rate." + codes.get(11), "100")
            .containsEntry("admission.rate." + codes.get(14), "100")
            .doesNotContainKey("admission.rate." + codes.get(10))
            .doesNotContainKey("admission.rate." + codes.get(0));
    }

    @Test
    void unknownScenarioIsAConfigurationError()
    {
        assertThatThrownBy(() -> plan(10, 0.5, 100, List.of("A", "D")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("scenarios: [A, D] (expected: some of [A, B, C])");
    }

    /** Limit 5/s burst 10, 64 x 320 ms = 200/s upstream, 4 flooders at 200/s together. */
    private static NoisyNeighbourPlan plan(final int municipalities, final double rate, final double noisyRate, final List<String> scenarios)
    {
        return new NoisyNeighbourPlan(municipalities, rate, 5, 10, noisyRate, 64, 320, 4, 200, MIX, scenarios);
    }
}
