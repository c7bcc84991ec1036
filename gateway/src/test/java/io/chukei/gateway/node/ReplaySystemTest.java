package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cli.ChukeiCommand;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.client.Submission;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chukei journal replay} (issue 14): a recorded window of mixed traffic replayed against a fresh simulator
 * gives the same outcomes; against a simulator switched to refuse one operation, exactly that operation's requests
 * differ.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplaySystemTest
{
    private static final String MUNICIPALITY = "131016";

    @TempDir
    Path dataDir;

    @TempDir
    Path simulatorDir;

    @Test
    void aReplayedWindowGivesTheSameOutcomesAndAChangedUpstreamShowsExactlyWhatChanged() throws Exception
    {
        final List<Submission> submissions = new ArrayList<>();
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start();
             ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), MUNICIPALITY))
        {
            for (int i = 0; i < 300; i++)
            {
                // Every tenth card id ends in 0000: card management refuses it (card not found).
                final String cardId = String.format("%08d%04d", 10_000_000 + i, i % 10 == 0 ? 0 : 1 + i);
                final SubmitRequest request = switch (i % 3)
                {
                    case 0 -> SubmitRequest.builder(Operation.CARD_STATUS).cardId(cardId).build();
                    case 1 -> SubmitRequest.builder(Operation.CERT_CHANGE).personalNumber("123456789018").cardId(cardId)
                        .address("東京都千代田区千代田１－１").build();
                    default -> SubmitRequest.builder(Operation.CARD_SUSPEND).cardId(cardId).build();
                };
                submissions.add(client.send(request));
                if (submissions.size() % 20 == 0)
                {
                    // In steps of 20: a burst of 300 from one municipality meets its queue bound (OVERLOADED).
                    for (final Submission submission : submissions.subList(submissions.size() - 20, submissions.size()))
                    {
                        assertThat(submission.answer().get(60, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
                    }
                }
            }
        }
        final long refusedOriginally = submissions.stream()
            .filter(s -> ((Answer.Result)s.answer().join()).status() == OutcomeStatus.REFUSED).count();
        assertThat(refusedOriginally).as("the mix has refusals").isGreaterThan(0);

        final UUID certChange = submissions.get(1).requestId();
        final Result dump = chukei("journal", "dump", "--data", dataDir.toString(), "--from", "-10m", "--request-id",
            certChange.toString());
        assertThat(dump.exit()).as(dump.out()).isZero();
        assertThat(dump.out()).contains(certChange + " ").contains("ACCEPTED").contains("COMPLETED")
            .doesNotContain("123456789018").doesNotContain("千代田");
        final Result municipality = chukei("journal", "dump", "--data", dataDir.toString(), "--municipality", "011002");
        assertThat(municipality.exit()).as("no entries of another municipality: %s", municipality.out()).isEqualTo(1);

        final Result same = replay("--upstream", "embedded");
        assertThat(same.exit()).as(same.out()).isZero();
        assertThat(same.out()).contains("accepted in window 300; replayed 300; same outcome 300; different 0")
            .contains("original upstream").contains("replay upstream");
        final java.util.regex.Matcher ledger = java.util.regex.Pattern.compile("scratch ledger (\\S+), removed")
            .matcher(same.out());
        assertThat(ledger.find()).as(same.out()).isTrue();
        assertThat(java.nio.file.Path.of(ledger.group(1)).getParent()).as("the replay's scratch directory")
            .doesNotExist();

        final Set<UUID> certChanges = new java.util.HashSet<>();
        for (int i = 0; i < submissions.size(); i++)
        {
            if (i % 3 == 1 && ((Answer.Result)submissions.get(i).answer().join()).status() == OutcomeStatus.OK)
            {
                certChanges.add(submissions.get(i).requestId());
            }
        }
        try (CardSimulator changed = new CardSimulator(CardSimulatorConfig.builder().port(0)
            .dataDirectory(simulatorDir).build()).start())
        {
            changed.faults().refuseOperation(Operation.CERT_CHANGE);
            final Result differing = replay("--upstream", "127.0.0.1:" + changed.port(), "--plain");
            assertThat(differing.exit()).as(differing.out()).isEqualTo(1);
            assertThat(differing.out()).contains("different " + certChanges.size() + ";");
            final Set<UUID> listed = differing.out().lines().filter(line -> line.contains(" -> REFUSED 403"))
                .map(line -> UUID.fromString(line.trim().split(" ")[0])).collect(Collectors.toSet());
            assertThat(listed).isEqualTo(certChanges);
            assertThat(differing.out()).contains("CERT_CHANGE    OK 0 -> REFUSED 403");
        }

        // The key ring kept outside the data directory (as in production): without --key-file nothing can be replayed,
        // and that is a failure, not a pass over an empty window; with it, the same replay as above.
        final java.nio.file.Path keyFile = simulatorDir.resolve("journal.keys");
        java.nio.file.Files.move(dataDir.resolve("keys").resolve("journal.keys"), keyFile);
        final Result withoutKeys = replay("--upstream", "embedded");
        assertThat(withoutKeys.exit()).as(withoutKeys.out()).isEqualTo(1);
        assertThat(withoutKeys.out()).contains("accepted in window 300; replayed 0;")
            .contains("not replayed: 300 accepted entries could not be read (sealed with a key not given: --key-file");
        final Result withKeys = replay("--upstream", "embedded", "--key-file", keyFile.toString());
        assertThat(withKeys.exit()).as(withKeys.out()).isZero();
        assertThat(withKeys.out()).contains("accepted in window 300; replayed 300; same outcome 300; different 0")
            .doesNotContain("not replayed");
        // Without them dump lists the entries it cannot open, and says so by its exit code (it exited 0).
        final Result dumpWithoutKeys = chukei("journal", "dump", "--data", dataDir.toString(), "--from", "-10m",
            "--request-id", certChange.toString());
        assertThat(dumpWithoutKeys.exit()).as(dumpWithoutKeys.out()).isEqualTo(3);
        assertThat(dumpWithoutKeys.out()).contains("unreadable: ");
        final Result dumpWithKeys = chukei("journal", "dump", "--data", dataDir.toString(), "--from", "-10m",
            "--request-id", certChange.toString(), "--key-file", keyFile.toString());
        assertThat(dumpWithKeys.exit()).as(dumpWithKeys.out()).isZero();
        assertThat(dumpWithKeys.out()).contains("ACCEPTED").doesNotContain("unreadable").doesNotContain("123456789018");
    }

    private Result replay(final String... upstream)
    {
        final List<String> args = new ArrayList<>(List.of("journal", "replay", "--data", dataDir.toString(), "--from", "-10m",
            "--speed", "max"));
        args.addAll(List.of(upstream));
        return chukei(args.toArray(String[]::new));
    }

    private static Result chukei(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = ChukeiCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute(args);
        return new Result(exit, out + err.toString());
    }

    private record Result(int exit, String out)
    {
    }
}
