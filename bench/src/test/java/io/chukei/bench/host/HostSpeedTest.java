package io.chukei.bench.host;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class HostSpeedTest
{
    @Test
    void theChaseVisitsEveryIndexOnceBeforeComingBack()
    {
        final int entries = 10_000;
        final int[] cycle = HostSpeed.randomCycle(entries, new SplittableRandom(7));
        final boolean[] seen = new boolean[entries];
        int at = 0;
        for (int step = 0; step < entries; step++)
        {
            assertThat(seen[at]).as("index %d visited twice within one cycle (step %d)", at, step).isFalse();
            seen[at] = true;
            at = cycle[at];
        }
        assertThat(at).as("back at the start after every index").isZero();
    }

    @Test
    void aDurationOutsideItsBoundsIsABadCommandLine()
    {
        final java.io.StringWriter err = new java.io.StringWriter();
        final picocli.CommandLine line = new picocli.CommandLine(new HostSpeed.Cli()).setErr(new java.io.PrintWriter(err));

        assertThat(line.execute("--millis", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("--millis: 5 (expected: 10..60000)");
    }

    @Test
    void aMeasurementGivesEveryFigureInItsLine() throws Exception
    {
        final HostSpeed.Speed speed = HostSpeed.measure(20, 1 << 16, 1 << 20);

        assertThat(speed.sha256MiBPerSecond()).isPositive();
        assertThat(speed.chaseNanosPerLoad()).isPositive();
        assertThat(speed.touchMicrosPerMiB()).isPositive();
        assertThat(speed.line()).matches("host-speed sha256MiBPerSecond=[0-9]+\\.[0-9] chaseNanosPerLoad=[0-9]+\\.[0-9]{2} " +
            "touchMicrosPerMiB=[0-9]+\\.[0-9]");
    }
}
