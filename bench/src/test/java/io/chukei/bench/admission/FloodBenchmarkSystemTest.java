package io.chukei.bench.admission;

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

/** A tiny real run: an embedded node, 10 steady connectors and one flooder over TLS, 3 s per phase. */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FloodBenchmarkSystemTest
{
    @TempDir
    Path out;

    @Test
    void theFlooderIsRefusedRateLimitedWhileTheSteadyConnectorsAreServed()
    {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        final FloodBenchmark benchmark = new FloodBenchmark(new PrintStream(progress, true, StandardCharsets.UTF_8),
            new PrintStream(table, true, StandardCharsets.UTF_8));

        final int exit = new CommandLine(benchmark).execute("--connectors", "10", "--rate-per-connector", "5",
            "--rounds", "1", "--duration", "3s", "--warmup", "1s", "--flood-rate", "2000", "--out", out.toString());

        assertThat(exit).as("exit code; progress:%n%s", progress.toString(StandardCharsets.UTF_8)).isZero();
        final FloodReport report = benchmark.lastReport();
        assertThat(report.phase(FloodBenchmark.FLOOD + 1).orElseThrow().group(TrafficGroup.NORMAL).outcomes().results()).isPositive();
        assertThat(report.flooder().sent()).isGreaterThan(1000);
        assertThat(report.flooder().rateLimited()).as("the flooder's refusals").isGreaterThan(report.flooder().sent() / 2);
        assertThat(report.errors()).isZero();
        assertThat(out.resolve(FloodBenchmark.SUMMARY_FILE)).isNotEmptyFile();
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("F1 flood").contains("median flood/median quiet");
    }
}
