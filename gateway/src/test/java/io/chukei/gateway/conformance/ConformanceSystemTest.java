package io.chukei.gateway.conformance;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The conformance relay against the two connectors the project ships — the Java SDK and the Python example written
 * from the spec — which pass every scenario, and against a Python connector changed in one place to break a rule,
 * which fails the scenarios that check it.
 */
@Tag("system")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConformanceSystemTest
{
    private static final Path EXAMPLE = Path.of("..", "protocol", "examples", "python").toAbsolutePath().normalize();
    private static final String MUNICIPALITY = "131016";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    /**
     * Longer than a node's 400 ms: every bound the relay checks scales with it, so the scheduling pauses of a loaded
     * build machine (both the relay and the connector run niced beside other builds) stay well inside them.
     */
    private static final long HEARTBEAT_MS = 1000;

    @TempDir
    Path dataDir;

    private DevPki pki;
    private CertificateFiles connector;

    @BeforeEach
    void pki()
    {
        pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        connector = pki.issueConnector(MUNICIPALITY);
    }

    @Test
    void theJavaSdkPassesEveryScenario() throws Exception
    {
        try (ConformanceRelay relay = relay(RUN_TIMEOUT);
             ConnectorClient client = ConnectorClient.builder()
                 .nodes(relay.addresses())
                 .sslContext(TlsContexts.client(connector, PeerPolicy.relayClient()))
                 .municipalityCode(MUNICIPALITY)
                 .connectorName("chukei-sdk-conformance/1.0")
                 .defaultTimeout(Duration.ofSeconds(30))
                 .build())
        {
            final List<Answer> answers = new ArrayList<>();
            for (int i = 1; i <= Scenario.values().length; i++)
            {
                answers.add(finalAnswer(client, SubmitRequest.builder(Operation.CARD_STATUS)
                    .requestId(UUID.randomUUID()).cardId(String.format("%012d", 300_000_000_000L + i)).build()));
            }
            final ConformanceReport report = relay.report().get(RUN_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
            System.out.println(report.text());

            assertThat(report.passed()).as(report.text()).isTrue();
            // One final answer per request, each the Result of its own scenario; the duplicate Result was dropped.
            assertThat(answers).allSatisfy(answer -> assertThat(answer).isInstanceOf(Answer.Result.class));
            assertThat(answers.stream().map(answer -> ((Answer.Result)answer).upstreamCode()).toList())
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(client.stats().lateAnswersDropped()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void thePythonConnectorPassesEveryScenario() throws Exception
    {
        try (ConformanceRelay relay = relay(RUN_TIMEOUT))
        {
            final Run run = python(workload(relay.addresses().get(0)));
            final ConformanceReport report = relay.report().get(RUN_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
            System.out.println(report.text());

            assertThat(run.exitCode).as(run.output).isZero();
            assertThat(report.passed()).as(report.text() + "\n" + run.output).isTrue();
            // One RESULT line per request, in scenario order: the duplicate Result was reported once.
            assertThat(run.lines("RESULT ")).hasSize(Scenario.values().length);
            for (int number = 1; number <= Scenario.values().length; number++)
            {
                assertThat(run.lines("RESULT ").get(number - 1)).endsWith("OK upstreamCode=" + number);
            }
            final String duplicate = report.scenario(Scenario.DUPLICATE_ANSWER).requestId();
            assertThat(run.output).contains("LATE " + duplicate + " dropped");
        }
    }

    @Test
    void aConnectorThatResendsWithoutTheFlagFailsWhereTheSpecRequiresIt() throws Exception
    {
        final Path report = dataDir.resolve("report.json");
        final CommandRun command = CommandRun.start(dataDir, "--report", report.toString(), "--timeout", RUN_TIMEOUT.toString(),
            "--heartbeat-ms", Long.toString(HEARTBEAT_MS));
        final List<InetSocketAddress> nodes = command.awaitAddresses();

        final Run run = python(misbehaving("""
            def resend(self, request):
                request.update(attempt=request['attempt'] + 1, deadlineEpochMs=int(c.time.time() * 1000) + 30000)
                return request
            c.Connector.resend = resend
            """, workload(nodes.get(0))));

        assertThat(command.exitCode()).as(command.output()).isEqualTo(1);
        assertThat(command.output())
            .containsPattern("(?m)^FAIL 1 attempt-timeout +[0-9a-f-]{36}: resent without possibleDuplicate TRUE")
            .containsPattern("(?m)^FAIL 3 go-away +[0-9a-f-]{36}: resent without possibleDuplicate TRUE")
            .containsPattern("(?m)^FAIL 4 heartbeats-stop +[0-9a-f-]{36}: resent without possibleDuplicate TRUE")
            .containsPattern("(?m)^FAIL 8 outcome-unknown +[0-9a-f-]{36}: resent without possibleDuplicate TRUE")
            .containsPattern("(?m)^PASS 2 redirect ")
            .containsPattern("(?m)^PASS 6 overloaded ")
            .contains("CONFORMANCE FAILED");
        assertThat(Files.readString(report)).contains("\"result\":\"FAIL\"").contains("\"name\":\"attempt-timeout\"");
        assertThat(run.exitCode).as(run.output).isZero();
    }

    @Test
    void aConnectorThatResubmitsUnderANewIdFails() throws Exception
    {
        // The first scenario fails within ~2 s of the first request (the example's attempt timeout is 1 s); the run then
        // waits for its limit, since the request given up on never gets a final answer: 8 s, not 20, is that wait.
        try (ConformanceRelay relay = relay(Duration.ofSeconds(8)))
        {
            python(misbehaving("""
                def resend(self, request):
                    request.update(requestId=c.new_request_id(), deadlineEpochMs=int(c.time.time() * 1000) + 30000)
                    return request
                c.Connector.resend = resend
                """, workload(relay.addresses().get(0))));
            final ConformanceReport report = relay.report().get(60, TimeUnit.SECONDS);

            assertThat(report.passed()).isFalse();
            assertThat(report.scenario(Scenario.ATTEMPT_TIMEOUT).passed()).isFalse();
            assertThat(report.scenario(Scenario.ATTEMPT_TIMEOUT).reason()).startsWith("resubmitted under a new id");
        }
    }

    private ConformanceRelay relay(final Duration runTimeout)
    {
        final CertificateFiles node = pki.issueNode("conformance", DevPki.DEFAULT_DNS_NAMES, DevPki.DEFAULT_IP_ADDRESSES);
        return ConformanceRelay.start(TlsContexts.server(node, PeerPolicy.connectorListener()),
            List.of(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0)),
            ConformanceSettings.defaults().withHeartbeatIntervalMs(HEARTBEAT_MS).withRunTimeout(runTimeout));
    }

    /** The SDK's caller's part: a RATE_LIMITED or OVERLOADED answer is sent again, same id, after its retryAfterMs. */
    private static Answer finalAnswer(final ConnectorClient client, final SubmitRequest request) throws Exception
    {
        while (true)
        {
            final Answer answer = client.submit(request).get(60, TimeUnit.SECONDS);
            if (!(answer instanceof Answer.Rejected rejected) ||
                (rejected.code() != ErrorCode.RATE_LIMITED && rejected.code() != ErrorCode.OVERLOADED))
            {
                return answer;
            }
            final long waitMs = rejected.retryAfterMs().orElse(100) + 20;
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS)).join();
        }
    }

    private List<String> workload(final InetSocketAddress node)
    {
        return List.of("workload", "--host", node.getHostString(), "--port", Integer.toString(node.getPort()),
            "--cert", connector.certificate().toString(), "--key", connector.privateKey().toString(),
            "--ca", connector.caCertificate().toString(), "--municipality", MUNICIPALITY);
    }

    /** The example connector with one function replaced by {@code patch} (which sees the module as {@code c}). */
    private static List<String> misbehaving(final String patch, final List<String> arguments)
    {
        final String program = "import sys\nsys.path.insert(0, " + pythonString(EXAMPLE.toString()) + ")\n" +
            "import chukei_connector as c\n" + patch + "sys.argv = ['chukei_connector.py'] + sys.argv[1:]\n" +
            "sys.exit(c.main())\n";
        final List<String> command = new ArrayList<>(List.of("-c", program));
        command.addAll(arguments);
        return command;
    }

    private static String pythonString(final String text)
    {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private Run python(final List<String> arguments) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("python3"));
        if (!arguments.get(0).equals("-c"))
        {
            command.add(EXAMPLE.resolve("chukei_connector.py").toString());
        }
        command.addAll(arguments);
        final Path output = Files.createTempFile(dataDir, "python", ".out");
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        }
        catch (final IOException ex)
        {
            return fail("python3 is not on the PATH: this test runs the Python example connector " +
                "(protocol/examples/python) and needs Python 3 (.ci/run installs it; Debian: apt-get install python3)", ex);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor();
            fail("the Python connector did not finish within 120 s:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        final Run run = new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        System.out.println("python3 " + String.join(" ", arguments.subList(arguments.get(0).equals("-c") ? 2 : 0,
            arguments.size())) + "\n" + run.output);
        return run;
    }

    private record Run(int exitCode, String output)
    {
        List<String> lines(final String prefix)
        {
            return output.lines().filter(line -> line.startsWith(prefix)).toList();
        }
    }
}
