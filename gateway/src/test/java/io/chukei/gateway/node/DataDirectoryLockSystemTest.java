package io.chukei.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;

/**
 * One node per data directory. Two nodes on one directory (a copied command line, a wrong --data) wrote one
 * journal and applied a request twice through their simulators' shared ledger; the second now stops before it
 * writes anything, in the same process or another, and the first goes on serving.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DataDirectoryLockSystemTest
{
    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    @Test
    void aSecondNodeOnTheSameDataDirectoryStopsNamingTheFirstAndTheFirstGoesOn() throws Exception
    {
        try (RelayNode first = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            final RelayNode second = new RelayNode(NodeFixtures.config(dataDir, "node.id", "2"), Clock.systemUTC());
            assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("data directory " + dataDir + " is in use by another node (pid " +
                    ProcessHandle.current().pid() + ", node 1, since ")
                .hasMessageContaining("(expected: a data directory of its own for each node, --data or data.dir)");
            second.close();

            // In another process too (the lock is the operating system's), with the message and a failing exit.
            // Ports 0: were the lock to let it through, it would bind nothing another test or node needs.
            final Path config = scratch.resolve("second.properties");
            Files.writeString(config, String.join("\n", "node.id=2", "connector.listen=127.0.0.1:0",
                "admin.listen=127.0.0.1:0", "cardsim.listen=127.0.0.1:0", "cardsim.adminListen=127.0.0.1:0", ""));
            final List<String> command = TestProcesses.java("256m", true, "io.chukei.gateway.cli.ChukeiCommand");
            command.addAll(List.of("run", "--config", config.toString(), "--data", dataDir.toString()));
            final Path output = scratch.resolve("second.log");
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
            try
            {
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the second process ends").isTrue();
            }
            finally
            {
                // Never left running, whatever failed.
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(process.exitValue()).isNotZero();
            assertThat(Files.readString(output, StandardCharsets.UTF_8))
                .contains("chukei run: data directory " + dataDir + " is in use by another node (pid " +
                    ProcessHandle.current().pid() + ", node 1, since ")
                .doesNotContain("Exception in thread");

            try (ConnectorClient connector = NodeFixtures.connector(dataDir, first.connectorAddress(), "131016"))
            {
                assertThat(connector.submit(NodeFixtures.cardStatus("123456789012")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(Answer.Result.class);
            }
        }
        // Released with the first: a node starts there again.
        new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start().close();
    }
}
