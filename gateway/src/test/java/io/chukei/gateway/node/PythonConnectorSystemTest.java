package io.chukei.gateway.node;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The second implementation of the protocol (protocol/examples/python, written from the spec alone)
 * against a real node with the default configuration: the spec is enough to write a connector.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PythonConnectorSystemTest
{
    private static final Path EXAMPLE = Path.of("..", "protocol", "examples", "python").toAbsolutePath().normalize();
    private static final String MUNICIPALITY = "131016";

    @TempDir
    Path dataDir;

    @Test
    void theSpecOnlyConnectorDoesEverythingTheSpecAsksAgainstARealNode() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
            final CertificateFiles files = pki.issueConnector(MUNICIPALITY);
            final InetSocketAddress address = node.connectorAddress();

            final Run run = python("demo", "--host", address.getHostString(), "--port",
                Integer.toString(address.getPort()), "--cert", files.certificate().toString(), "--key",
                files.privateKey().toString(), "--ca", files.caCertificate().toString(), "--municipality", MUNICIPALITY);

            assertThat(run.exitCode).as(run.output).isZero();
            assertThat(run.output)
                .containsPattern("WELCOME node=\\d+ heartbeatMs=400 maxFrameLength=65536 maxInFlight=\\d+")
                .containsPattern("(?m)^REJECTED [0-9a-f-]{36} TEXT_OUTSIDE_REPERTOIRE field=NAME_KANJI position=0 " +
                    "codePoint=U\\+FF76 detail=nameKanji: U\\+FF76 at byte 0 is outside the repertoire japanese-names")
                .containsPattern("(?m)^QUERY RESULT [0-9a-f-]{36} OK")
                .containsPattern("(?m)^QUERY STATUS [0-9a-f-]{36} UNKNOWN journalPosition=-1$")
                .containsPattern("(?m)^HEARTBEATS sent=\\d+ received=\\d+$")
                .containsPattern("(?m)^RESENT [0-9a-f-]{36} attempt=2 possibleDuplicate=TRUE$")
                .contains("SUMMARY failures=0")
                .doesNotContain("FAILED");
            // Three CARD_STATUS, three real names, two batch members, then two resends: all OK.
            assertThat(run.lines("RESULT ")).hasSize(10);
        }
    }

    @Test
    void thePythonCodecAgreesWithThePublishedTestVectors() throws Exception
    {
        final Run run = python("vectors", EXAMPLE.resolve("../../spec/vectors/vectors.txt").normalize().toString());

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).containsPattern("VECTORS entries=\\d+ failures=0").doesNotContain("FAIL ");
    }

    private Run python(final String... arguments) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("python3", EXAMPLE.resolve("chukei_connector.py").toString()));
        command.addAll(List.of(arguments));
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
        // Kept in the test's report output: what the connector saw, line by line.
        System.out.println(String.join(" ", command) + "\n" + run.output);
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
