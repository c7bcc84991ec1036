package io.chukei.bench.admission;

import io.chukei.bench.loadgen.OperationMix;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScenarioTest
{
    private static final OperationMix MIX = OperationMix.parse("CARD_STATUS=1");

    @Test
    void requestsAreDueEvenlyAtTheStreamsCombinedRate()
    {
        final Scenario scenario = scenario(150, 100);

        assertThat(scenario.intendedStartNs(0)).isZero();
        assertThat(scenario.intendedStartNs(1)).isEqualTo(4_000_000);
        assertThat(scenario.intendedStartNs(250)).isEqualTo(1_000_000_000);
    }

    @Test
    void aDurationHoldsRateTimesDurationRequests()
    {
        assertThat(scenario(150, 100).requestsWithin(20_000_000_000L)).isEqualTo(5000);
        assertThat(scenario(0.5, 0.25).requestsWithin(3_000_000_000L)).isEqualTo(2);
    }

    @Test
    void eachStreamGetsItsShareOfTheRequests()
    {
        final Scenario scenario = scenario(150, 100);
        final SplittableRandom random = new SplittableRandom(7);
        final Map<TrafficGroup, Integer> counts = new EnumMap<>(TrafficGroup.class);

        for (int i = 0; i < 100_000; i++)
        {
            counts.merge(scenario.nextStream(random).group(), 1, Integer::sum);
        }

        assertThat(counts.get(TrafficGroup.NOISY) / 100_000.0).isCloseTo(0.4, within(0.01));
        assertThat(counts.get(TrafficGroup.NORMAL) / 100_000.0).isCloseTo(0.6, within(0.01));
    }

    private static Scenario scenario(final double normalRate, final double noisyRate)
    {
        return new Scenario("B", "noisy", List.of(new Stream(TrafficGroup.NORMAL, 0, 300, normalRate, MIX),
            new Stream(TrafficGroup.NOISY, 300, 1, noisyRate, MIX)));
    }
}
