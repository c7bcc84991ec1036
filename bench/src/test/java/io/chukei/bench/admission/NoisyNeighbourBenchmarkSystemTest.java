package io.chukei.bench.admission;

import io.chukei.protocol.sbe.ErrorCode;
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

/** A tiny real run of all three scenarios: an embedded node, TLS connectors for 20 + 1 + 2 municipalities, 5 s each. */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NoisyNeighbourBenchmarkSystemTest
{
    @TempDir
    Path out;

    @Test
    void theNoisyMunicipalityIsRateLimitedWhileTheNormalOnesAreServed()
    {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        final NoisyNeighbourBenchmark benchmark = new NoisyNeighbourBenchmark(new PrintStream(progress, true, StandardCharsets.UTF_8),
            new PrintStream(table, true, StandardCharsets.UTF_8));

        final int exit = new CommandLine(benchmark).execute("--municipalities", "20", "--normal-rate-per-municipality", "2",
            "--duration", "5s", "--warmup", "1s", "--service-time-ms", "20", "--batch-flooders", "2", "--batch-flood-rate", "40",
            "--out", out.toString());

        assertThat(exit).as("exit code; progress:%n%s", progress.toString(StandardCharsets.UTF_8)).isZero();
        final NoisyNeighbourReport report = benchmark.lastReport();
        final ScenarioResult quiet = report.scenario("A").orElseThrow();
        final ScenarioResult noisy = report.scenario("B").orElseThrow();
        assertThat(quiet.group(TrafficGroup.NORMAL).outcomes().results()).isPositive();
        assertThat(noisy.group(TrafficGroup.NORMAL).outcomes().results()).isPositive();
        assertThat(noisy.group(TrafficGroup.NORMAL).errors()).isZero();
        assertThat(noisy.group(TrafficGroup.NOISY).rejectionRate(ErrorCode.RATE_LIMITED)).isGreaterThan(0.5);
        assertThat(report.scenario("C").orElseThrow().group(TrafficGroup.BATCH_FLOOD).outcomes().sent()).isPositive();
        assertThat(out.resolve(NoisyNeighbourBenchmark.SUMMARY_FILE)).isNotEmptyFile();
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("B noisy").contains("RATE_LIMITED");
    }
}
