package io.chukei.bench.cluster;

import io.chukei.gateway.cli.ChukeiCommand;
import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18, item 2, with real processes: the only relay node of a cluster is killed (-9) under steady load, and its
 * journal is damaged as a crash of the machine leaves it: the last cycle file cut short in the middle of an entry,
 * losing its last 300 entries, and one byte changed in an entry it keeps ({@link JournalDamage}). Card management stalls just before the kill, so that the lost part holds requests the
 * node had accepted and forwarded and not finished (card management still applies what it had in service).
 * {@code chukei journal verify} must report the cut offline; the node must start on it (no crash loop), set the cut
 * file aside, name the lost part and the entry failing its checksum in its log (that entry alone is skipped) and
 * take traffic again. The requests accepted in the lost part and not
 * finished are unknown to the node now: their connectors still hold them and resubmit them (possible duplicate), and
 * card management answers those it had applied from its deduplication. At the end connectors vs journal vs ledger: 0 lost, 0 duplicated, 0
 * unexpected, 0 unfinished. One node, so that every resubmission meets the damaged journal (with peers, the
 * connectors would have moved their requests to them before the restart).
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DamagedJournalSystemTest
{
    private static final int MUNICIPALITIES = 20;
    private static final double RATE_PER_SECOND = 100;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Requests unanswered when the node is killed: about their accepted and forwarded entries are what the cut loses. */
    private static final int CAUGHT = 150;
    private static final Pattern RECOVERED = Pattern.compile("(\\d+) recovered requests");

    @TempDir
    Path directory;

    @Test
    void aNodeOnAJournalCutShortByAMachineCrashStartsNamesTheLossAndItsConnectorsResubmitWhatWasInIt() throws Exception
    {
        try (FailoverRun run = FailoverRun.start(directory, LocalCluster.Settings.defaults().withNodes(1), MUNICIPALITIES,
            RATE_PER_SECOND, REQUEST_TIMEOUT, System.out))
        {
            assertThat(run.awaitAnswered(600, WAIT)).as("answers before the crash").isTrue();
            final ClusterNode node = run.cluster().node(1);
            // Card management stops answering (what it had in service is still applied), so that the crash catches
            // requests whose entries are in the part the cut loses: the node forgets them, their connectors do not.
            run.cluster().simulator().faults().stall(Duration.ofMinutes(3));
            await("requests held by the stalled card management").atMost(WAIT)
                .until(() -> unresolved(run, System.nanoTime()) >= CAUGHT);
            final long crash = System.nanoTime();
            node.kill();
            final long caught = unresolved(run, crash);

            final JournalDamage.Damage cut = JournalDamage.cutAndChange(node.journalDir());
            final StringWriter verified = new StringWriter();
            assertThat(verify(node.dataDir(), verified)).as(verified.toString()).isEqualTo(1);
            assertThat(verified.toString()).as("journal verify, offline").contains("DAMAGED")
                .contains("cut at " + cut.length() + " bytes");

            run.cluster().simulator().faults().endStall();
            final long restart = System.nanoTime();
            node.start();
            final long readyMs = msSince(restart);
            final long recovered = recoveredRequests(node);
            assertThat(recovered).as("the node forgot requests of the lost part that their connectors still hold")
                .isLessThan(caught);
            final List<String> damage = node.logLinesContaining("Journal damaged: ");
            assertThat(damage).as("the start names the damage: the cut, then the entry with a changed byte").hasSize(2);
            assertThat(damage.get(0)).contains("cut at " + cut.length() + " bytes");
            assertThat(damage.get(1)).contains("entries failing their checksum (a changed byte): 1, at indexes " +
                Long.toHexString(cut.changedIndex()) + ";");
            try (Stream<Path> files = Files.list(node.journalDir()))
            {
                assertThat(files.map(f -> f.getFileName().toString())).as("the cut file set aside")
                    .anyMatch(name -> name.startsWith(cut.file().getFileName() + ".damaged-"));
            }
            assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("traffic again after the restart").isTrue();
            final long caughtAnsweredMs = run.lastAffectedMs(crash);
            assertThat(node.isRunning()).as("no crash on the repaired journal").isTrue();

            final ConsistencyCheck.Report report = run.finish(WAIT, Set.<ErrorCode>of());
            final StringWriter after = new StringWriter();
            final int verifiedAfter = verify(node.dataDir(), after);
            System.out.printf("journal cut short after a kill -9: %d of the last cycle's %d entries lost (cut at %d bytes); " +
                    "node ready %d ms after its restart; %d requests caught by the crash, %d of them recovered from the journal, " +
                    "the last answered %d ms after the crash; " +
                    "journal verify after the run: exit %d%n%s%s",
                cut.entriesLost(), cut.entries(), cut.length(), readyMs, caught, recovered, caughtAnsweredMs, verifiedAfter,
                String.join(System.lineSeparator(), damage), System.lineSeparator() + report.table());
            assertThat(report.ok()).as(report.table()).isTrue();
            // The cut is repaired; the entry with the changed byte was copied as it was (its index kept), and verify
            // names it and nothing else.
            assertThat(verifiedAfter).as("%s", after).isEqualTo(1);
            assertThat(after.toString()).contains("checksum mismatch").contains("journal verify: 1 problem(s)");
        }
    }

    private static int verify(final Path dataDir, final StringWriter out)
    {
        final CommandLine command = ChukeiCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(out, true));
        return command.execute("journal", "verify", "--data", dataDir.toString());
    }

    /** The count of "N recovered requests" in the node's last ready line. */
    private static long recoveredRequests(final ClusterNode node) throws IOException
    {
        final List<String> started = node.logLinesContaining("chukei ready");
        assertThat(started).as("ready lines").isNotEmpty();
        final Matcher count = RECOVERED.matcher(started.get(started.size() - 1));
        assertThat(count.find()).as(started.get(started.size() - 1)).isTrue();
        return Long.parseLong(count.group(1));
    }

    private static long unresolved(final FailoverRun run, final long nanos)
    {
        return run.load().sent().stream().filter(request -> request.unresolvedAt(nanos)).count();
    }

    private static long msSince(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
