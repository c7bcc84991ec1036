package io.chukei.protocol.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigitRunsTest
{
    @Test
    void runsOfTwelveDigitsOrMoreAreMaskedShorterOnesKept()
    {
        assertThat(DigitRuns.mask("citizen 123456789018 asked on 20261208, case 12345678901"))
            .isEqualTo("citizen ************ asked on 20261208, case 12345678901");
        assertThat(DigitRuns.mask("1234567890123")).isEqualTo("*************");
        assertThat(DigitRuns.mask("no digits")).isEqualTo("no digits");
        assertThat(DigitRuns.mask("")).isEmpty();
    }

    @Test
    void fullWidthDigitsAsAnInputMethodTypesThemAreMaskedToo()
    {
        assertThat(DigitRuns.mask("住民 １２３４５６７８９０１８ の件")).isEqualTo("住民 ************ の件");
    }
}
