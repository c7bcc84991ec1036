package io.chukei.gateway.cli;

import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.latency.StageHistograms;
import io.chukei.gateway.latency.StageLogConfig;
import io.chukei.gateway.latency.StageLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class HistoCommandTest
{
    private static final Instant WRITTEN = Instant.parse("2026-12-04T14:00:05Z");

    @TempDir
    Path data;

    @TempDir
    Path plots;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsEachStagesPercentilesInMillisecondsAndWritesItsDistribution()
    {
        logOneInterval();

        final int exit = run("--data", data.toString(), "--from", "-1m", "--out", plots.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).containsPattern("end_to_end +2 +1 +2\\.0[0-2]\\d +4\\.0[0-4]\\d")
            .containsPattern("validate +0 +1 +-\n");
        assertThat(plots.resolve("end_to_end.hgrm")).content().contains("Value     Percentile TotalCount")
            .containsPattern("#\\[Max += +4\\.0[0-4]");
    }

    @Test
    void oneStageAndAnAbsoluteWindow()
    {
        logOneInterval();

        final int exit = run("--data", data.toString(), "--from", "2026-12-04T13:59:00", "--to", "2026-12-04T14:01:00Z",
            "--stage", "end_to_end");

        assertThat(exit).isZero();
        assertThat(out.toString().lines()).hasSize(3);
    }

    @Test
    void aWindowWithoutIntervalsFindsNothing()
    {
        logOneInterval();

        assertThat(run("--data", data.toString(), "--from", "2026-12-04T15:00:00Z", "--to", "2026-12-04T16:00:00Z")).isEqualTo(1);
    }

    @Test
    void anUnknownStageIsAUsageErrorNamingTheStages()
    {
        logOneInterval();

        assertThat(run("--data", data.toString(), "--stage", "fsync")).isEqualTo(2);
        assertThat(err.toString()).contains("stage: 'fsync' (expected: one of validate, journal_append");
    }

    private void logOneInterval()
    {
        final StageLogConfig config = StageLogConfig.defaults();
        final StageHistograms stages = new StageHistograms(config);
        stages.record(Stage.END_TO_END, 2_000_000);
        stages.record(Stage.END_TO_END, 4_000_000);
        new StageLogWriter(stages, data, 1, config, () -> WRITTEN.toEpochMilli()).close();
    }

    private int run(final String... args)
    {
        final HistoCommand command = new HistoCommand();
        command.clock = Clock.fixed(WRITTEN.plusSeconds(5), ZoneOffset.UTC);
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler(ChukeiCommand.commandLine().getExecutionExceptionHandler());
        return commandLine.execute(args);
    }
}
