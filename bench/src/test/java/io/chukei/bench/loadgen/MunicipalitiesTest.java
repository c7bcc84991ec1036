package io.chukei.bench.loadgen;

import io.chukei.gateway.tls.MunicipalityCodes;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MunicipalitiesTest
{
    @Test
    void theDefault1741CodesAreValidAndDistinct()
    {
        final Municipalities municipalities = Municipalities.generate(1741, 1.0);

        assertThat(municipalities.codes()).hasSize(1741).doesNotHaveDuplicates()
            .allSatisfy(code -> assertThat(MunicipalityCodes.isValid(code)).as(code).isTrue());
    }

    @Test
    void everyCodeTheSchemeCanMakeIsValidAndDistinct()
    {
        assertThat(Municipalities.generate(Municipalities.MAX_COUNT, 0).codes()).doesNotHaveDuplicates()
            .allSatisfy(code -> assertThat(MunicipalityCodes.isValid(code)).as(code).isTrue());
    }

    @Test
    void codesFromTheEndAreValidAndShareNoneWithALoadOfTheFirstCodes()
    {
        final java.util.List<String> side = Municipalities.fromEnd(1742);

        assertThat(side).hasSize(1742).doesNotHaveDuplicates().allMatch(MunicipalityCodes::isValid);
        assertThat(side).doesNotContainAnyElementsOf(Municipalities.generate(Municipalities.MAX_COUNT - 1742, 0).codes());
        assertThat(Municipalities.fromEnd(1)).containsExactly(side.get(1741));
        assertThatThrownBy(() -> Municipalities.fromEnd(0)).hasMessageContaining("count: 0");
    }

    @Test
    void codesAreTheSameEveryRunAndSpreadOverPrefectures()
    {
        assertThat(Municipalities.generate(3, 1.0).codes()).containsExactly("012017", "022012", "032018")
            .isEqualTo(Municipalities.generate(3, 1.0).codes());
        assertThat(Municipalities.generate(47, 1.0).codes()).extracting(code -> code.substring(0, 2)).doesNotHaveDuplicates();
    }

    @Test
    void theCheckDigitMatchesAKnownRealCode()
    {
        // 131016: Chiyoda, Tokyo.
        assertThat(Municipalities.checkDigit("13101")).isEqualTo(6);
    }

    @Test
    void trafficIsSkewedTowardsTheFirstRanksLikeAPopulation()
    {
        final Municipalities municipalities = Municipalities.generate(100, 1.0);
        final SplittableRandom random = new SplittableRandom(7);
        final int[] hits = new int[100];
        for (int i = 0; i < 100_000; i++)
        {
            hits[municipalities.nextRank(random)]++;
        }

        assertThat(municipalities.share(0)).isCloseTo(2 * municipalities.share(1), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(hits[0]).isGreaterThan(5 * hits[9]);
        assertThat(hits[99]).isPositive();
        assertThat((double)hits[0] / 100_000).isCloseTo(municipalities.share(0), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aCountBeyondTheSchemeIsAConfigurationError()
    {
        assertThatThrownBy(() -> Municipalities.generate(Municipalities.MAX_COUNT + 1, 1.0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("expected: 1..");
    }
}
