package io.chukei.bench.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChildJvmTest
{
    @Test
    void optionsAreTheWordsOfThePropertyAndNoneWhenUnsetOrBlank()
    {
        assertThat(ChildJvm.options(" -XX:TieredStopAtLevel=1 \t -Dx=y\n")).containsExactly("-XX:TieredStopAtLevel=1", "-Dx=y");
        assertThat(ChildJvm.options(null)).isEmpty();
        assertThat(ChildJvm.options("  ")).isEmpty();
    }
}
