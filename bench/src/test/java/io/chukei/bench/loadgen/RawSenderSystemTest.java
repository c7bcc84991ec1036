package io.chukei.bench.loadgen;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
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

/** {@code loadgen --raw} against an embedded node over real TLS: served, timed, kept alive, and refused where it cannot go. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RawSenderSystemTest
{
    @TempDir
    Path out;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private LoadGenerator generator;

    @Test
    void aRawRunIsServedInFullAndTimedFromEachIntendedStart()
    {
        final int exit = execute("--raw", "--embedded", "--rate", "300", "--duration", "3s", "--warmup", "1s",
            "--municipalities", "20", "--out", out.toString());

        assertThat(exit).as("exit code; progress:%n%s", progressText()).isZero();
        final RunReport report = generator.lastReport();
        assertThat(report.settings()).containsEntry("sender", "raw").containsEntry("rawSessionsClosed", "0")
            .containsEntry("rawForeignAnswers", "0");
        assertThat(report.outcomes().sent()).isEqualTo(900);
        assertThat(report.outcomes().errors()).isZero();
        assertThat(report.outcomes().results()).isEqualTo(900);
        assertThat(report.achievedRatePerSecond()).isCloseTo(300.0, within(60.0));
        assertThat(report.answer().getTotalCount()).as("one answer latency per Result").isEqualTo(900);
        assertThat(report.phases().get(0).accepted().getTotalCount()).as("one acceptance latency per request").isEqualTo(900);
        assertThat(report.answer().getValueAtPercentile(50)).as("answer latency in us, from the intended start").isPositive();
        assertThat(progressText()).contains("raw sender").contains("Submit frames encoded once");
    }

    @Test
    void sessionsThatSendLessThanTheHeartbeatIntervalStayOpen()
    {
        // 3 requests/s over 3 municipalities: seconds between a municipality's requests, where the node closes a session
        // silent for 3 x 400 ms; only the raw sender's heartbeats keep them open.
        final int exit = execute("--raw", "--embedded", "--rate", "3", "--duration", "5s", "--warmup", "0s",
            "--municipalities", "3", "--zipf-exponent", "0", "--out", out.toString());

        assertThat(exit).as("exit code; progress:%n%s", progressText()).isZero();
        final RunReport report = generator.lastReport();
        assertThat(report.settings()).containsEntry("rawSessionsClosed", "0");
        assertThat(report.outcomes().sent()).isEqualTo(15);
        assertThat(report.outcomes().results()).isEqualTo(15);
    }

    @Test
    void whatTheRawSenderCannotDoIsRefusedBeforeConnecting() throws Exception
    {
        assertThat(execute("--raw", "--embedded", "--batch-size", "5", "--out", out.toString())).isEqualTo(LoadGenerator.EXIT_USAGE);
        assertThat(progressText()).contains("--raw with --batch-size 5 (expected: 0");

        assertThat(execute("--raw", "--embedded", "--outbox", out.resolve("outbox").toString(), "--out", out.toString()))
            .isEqualTo(LoadGenerator.EXIT_USAGE);
        assertThat(progressText()).contains("--raw with --outbox");

        DevPki.openOrCreate(out.resolve("pki"), MunicipalityCodes::isValid);
        assertThat(execute("--raw", "--no-discover", "--node", "127.0.0.1:9,127.0.0.2:9", "--pki", out.resolve("pki").toString(),
            "--out", out.toString())).isEqualTo(LoadGenerator.EXIT_USAGE);
        assertThat(progressText()).contains("--raw with 2 nodes").contains("expected: one target");
    }

    @Test
    void aNodeThatIsNotThereIsReportedAtOnceByAddress() throws Exception
    {
        DevPki.openOrCreate(out.resolve("pki"), MunicipalityCodes::isValid);
        final int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            closedPort = socket.getLocalPort();
        }

        final int exit = execute("--raw", "--no-discover", "--node", "127.0.0.1:" + closedPort, "--pki", out.resolve("pki").toString(),
            "--municipalities", "3", "--out", out.toString());

        assertThat(exit).isEqualTo(LoadGenerator.EXIT_NOT_CONNECTED);
        // The refusal itself ends the wait (without it, the run waited out its 30 s budget: "not welcomed in time").
        assertThat(progressText()).contains("127.0.0.1:" + closedPort).contains("did not open").contains("Connection refused");
    }

    /** One generator per command line, as from a shell: picocli keeps what a parse set in the object it filled. */
    private int execute(final String... args)
    {
        generator = new LoadGenerator(new PrintStream(progress, true, StandardCharsets.UTF_8));
        return new CommandLine(generator).execute(args);
    }

    private String progressText()
    {
        return progress.toString(StandardCharsets.UTF_8);
    }
}
