package io.chukei.bench.loadgen;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A short real run: an embedded node, TLS connectors for 20 municipalities, 200 requests/s. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadGeneratorSystemTest
{
    @TempDir
    Path out;

    @Test
    void anEmbeddedRunAchievesTheOfferedRateWithoutErrorsAndWritesItsReports()
    {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final LoadGenerator generator = new LoadGenerator(new PrintStream(progress, true, StandardCharsets.UTF_8));

        final int exit = new CommandLine(generator).execute("--embedded", "--rate", "200", "--duration", "3s", "--warmup", "1s",
            "--municipalities", "20", "--out", out.toString());

        assertThat(exit).as("exit code; progress:%n%s", progress.toString(StandardCharsets.UTF_8)).isZero();
        final RunReport report = generator.lastReport();
        assertThat(report.offeredRatePerSecond()).isEqualTo(200.0);
        assertThat(report.achievedRatePerSecond()).isCloseTo(200.0, within(40.0));
        assertThat(report.outcomes().errors()).isZero();
        assertThat(report.answer().getTotalCount()).isEqualTo(report.outcomes().results());
        assertThat(out.resolve(ReportFiles.LOG)).isNotEmptyFile();
        assertThat(out.resolve(ReportFiles.SUMMARY)).isNotEmptyFile();
        assertThat(out.resolve(ReportFiles.PLOT)).isNotEmptyFile();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("achieved").contains("p99");
    }
}
