package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.protocol.client.outbox.OutboxRecord;
import io.chukei.protocol.client.outbox.OutboxRecords;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector process with an outbox, killed (kill -9) halfway through a batch and started again on its outbox:
 * every member ends with exactly one final answer in the outbox, and card management applied each exactly once.
 */
@Tag("system")
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class ConnectorCrashSystemTest
{
    private static final String MUNICIPALITY = "131016";
    private static final long BATCH_ID = 20261204;
    private static final int BATCH_SIZE = 1000;

    @TempDir
    Path dataDir;

    @Test
    void aConnectorKilledHalfwayThroughABatchFinishesItAfterARestartWithEachMemberAppliedOnce() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        pki.issueConnector(MUNICIPALITY);
        try (CardSimulator simulator = new CardSimulator(CardSimulatorConfig.builder()
            .port(0)
            .tls(pki.issueUpstream("cardsim"))
            // Slow enough that the connector holds hundreds of unresolved members when it is killed.
            .serviceTimeMs(10)
            .concurrency(8)
            .dataDirectory(dataDir.resolve("upstream"))
            .build()).start())
        {
            final int connectorPort = NodeProcess.freePort();
            final Path config = dataDir.resolve("node.conf");
            Files.writeString(config, String.join("\n",
                "node.id=1",
                "connector.listen=127.0.0.1:" + connectorPort,
                "admin.listen=127.0.0.1:0",
                "upstream.endpoints=127.0.0.1:" + simulator.port(),
                "admission.rate.default=100000",
                "admission.burst.default=100000",
                ""));
            final Path nodeData = dataDir.resolve("node");
            copyTree(dataDir.resolve("pki"), nodeData.resolve("pki"));
            final Path outbox = dataDir.resolve("connector-outbox");
            final Map<UUID, List<String>> delivered = new HashMap<>();
            try (NodeProcess node = new NodeProcess(config, nodeData).start())
            {
                final Process first = connector(connectorPort, outbox);
                final BufferedReader firstLines = lines(first);
                assertThat(readAnswers(firstLines, delivered, BATCH_SIZE / 2)).as("answers before the kill")
                    .isEqualTo(BATCH_SIZE / 2);
                // The system's kill -9: Process.destroyForcibly() would also close the pipe the rest is read from.
                assertThat(new ProcessBuilder("kill", "-9", Long.toString(first.pid())).inheritIO().start().waitFor())
                    .isZero();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // What it printed up to the kill: every answer it recorded in its outbox was printed (and flushed) first.
                final int answeredBeforeKill = BATCH_SIZE / 2 + readAnswers(firstLines, delivered, Integer.MAX_VALUE);
                assertThat(answeredBeforeKill).as("killed halfway").isLessThan(BATCH_SIZE);

                final Process second = connector(connectorPort, outbox);
                final int recovered = readUntilDone(second, lines(second), delivered);
                assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(second.exitValue()).isZero();
                System.out.printf("connector crash test: %d answered before the kill, %d recovered after it%n",
                    answeredBeforeKill, recovered);
                assertThat(recovered).as("requests the outbox gave back after the kill").isPositive();
            }

            final List<UUID> members = new ArrayList<>();
            for (int sequence = 1; sequence <= BATCH_SIZE; sequence++)
            {
                members.add(OutboxConnector.memberId(BATCH_ID, sequence));
            }
            assertThat(delivered.keySet()).as("every member's answer reached the application").containsAll(members);
            assertThat(delivered.values()).allSatisfy(answers -> assertThat(answers).containsOnly("OK"));

            final Map<String, OutboxRecord> records = new HashMap<>();
            OutboxRecords.forEach(outbox, record ->
                assertThat(records.put(record.requestId(), record)).as("one record per id: %s", record.requestId()).isNull());
            assertThat(records).hasSize(BATCH_SIZE);
            for (final UUID member : members)
            {
                final OutboxRecord record = records.get(member.toString());
                assertThat(record).as("outbox record of %s", member).isNotNull();
                assertThat(record.finalAnswer()).as("final answer of %s", member).isEqualTo("OK");
                assertThat(record.batchId()).isEqualTo(Long.toString(BATCH_ID));
                assertThat(record.batchSize()).isEqualTo(BATCH_SIZE);
            }

            final Map<UUID, Integer> applied = Ledger.appliedCounts(simulator.ledgerFile());
            for (final UUID member : members)
            {
                assertThat(applied).as("ledger entry of %s", member).containsEntry(member, 1);
            }
        }
    }

    private Process connector(final int nodePort, final Path outbox) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle.") ||
                argument.startsWith("--enable-native-access") || argument.startsWith("--sun-misc"))
            {
                command.add(argument);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(OutboxConnector.class.getName());
        command.add(Integer.toString(nodePort));
        command.add(dataDir.resolve("pki").toString());
        command.add(MUNICIPALITY);
        command.add(outbox.toString());
        command.add(Long.toString(BATCH_ID));
        command.add(Integer.toString(BATCH_SIZE));
        return new ProcessBuilder(command).redirectError(dataDir.resolve("connector-" + System.nanoTime() + ".log").toFile())
            .start();
    }

    private static BufferedReader lines(final Process process)
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads "answer" lines until {@code atMost} came or the output ends; returns how many. */
    private static int readAnswers(final BufferedReader lines, final Map<UUID, List<String>> delivered, final int atMost)
        throws IOException
    {
        int answers = 0;
        while (answers < atMost)
        {
            final String line = lines.readLine();
            if (line == null)
            {
                break;
            }
            if (line.startsWith("answer "))
            {
                record(line, delivered);
                answers++;
            }
        }
        return answers;
    }

    /** Reads until "done"; returns the "recovered" count the process printed. */
    private static int readUntilDone(final Process process, final BufferedReader lines,
        final Map<UUID, List<String>> delivered) throws IOException
    {
        int recovered = -1;
        for (String line = lines.readLine(); line != null; line = lines.readLine())
        {
            if (line.startsWith("recovered "))
            {
                recovered = Integer.parseInt(line.substring("recovered ".length()));
            }
            else if (line.startsWith("answer "))
            {
                record(line, delivered);
            }
            else if (line.equals("done"))
            {
                return recovered;
            }
        }
        throw new AssertionError("the restarted connector ended without \"done\" (exit " +
            (process.isAlive() ? "-" : process.exitValue()) + ")");
    }

    private static void record(final String line, final Map<UUID, List<String>> delivered)
    {
        final String[] fields = line.split(" ");
        delivered.computeIfAbsent(UUID.fromString(fields[1]), id -> new ArrayList<>()).add(fields[2]);
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (var files = Files.walk(from))
        {
            for (final Path source : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source))
                {
                    Files.createDirectories(target);
                }
                else if (!Files.exists(target))
                {
                    Files.copy(source, target);
                }
            }
        }
    }
}
