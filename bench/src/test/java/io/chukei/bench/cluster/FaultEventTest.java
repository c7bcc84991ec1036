package io.chukei.bench.cluster;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class FaultEventTest
{
    private static final long MS = 1_000_000L;

    @Test
    void detectionCountsFromTheStartOfInjectionAndNeverPrecedesTheFault()
    {
        final FaultEvent paused = new FaultEvent(Fault.PAUSE, 2, 1_000 * MS, 1_040 * MS, 900, 6_000 * MS);
        final FaultEvent stalled = new FaultEvent(Fault.UPSTREAM_STALL, 0, 1_000 * MS, 1_001 * MS, -1, 6_000 * MS);

        assertThat(paused.detectedNanos()).isEqualTo(1_900 * MS);
        assertThat(stalled.detectedNanos()).as("no detection: when it took effect").isEqualTo(1_001 * MS);
    }

    @Test
    void theSoakRefusesAFaultHeldLongerThanTheScheduleAllows()
    {
        final StringWriter err = new StringWriter();
        final CommandLine command = new CommandLine(new SoakCommand());
        command.setErr(new PrintWriter(err, true));

        final int exit = command.execute("--hold", "30s", "--fault-every", "30s");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--hold PT30S (expected: shorter than --fault-every PT30S)");
    }
}
