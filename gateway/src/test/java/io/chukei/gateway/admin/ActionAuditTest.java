package io.chukei.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalDurability;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalOnDisk;
import io.chukei.gateway.pki.PeerRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What an operator is told about an action's audit entry in each journal mode. In {@code sync} mode the answer waits
 * for the fsync that covers the entry (a disk standing in for the real one blocks or fails it), as an Accepted does:
 * an answer without a warning means the entry is on the disk.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActionAuditTest
{
    private static final AdminCaller ALICE = new AdminCaller(PeerRole.OPERATOR, "alice");

    @TempDir
    Path directory;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch diskAnswers = new CountDownLatch(1);
    private Journal journal;

    @AfterEach
    void close()
    {
        diskAnswers.countDown();
        if (journal != null)
        {
            journal.close();
        }
    }

    @Test
    void inSyncModeTheAnswerWaitsForTheFsyncThatCoversTheEntry() throws Exception
    {
        journal = JournalOnDisk.open(sync(), channel ->
        {
            await(diskAnswers);
            channel.force(false);
        });
        final CompletableFuture<String> warning = new ActionAudit(journal, registry).record(ALICE, "cluster-isolate",
            "node 2: none -> isolated");

        assertThat(warning).as("answered before the fsync").isNotDone();
        diskAnswers.countDown();
        assertThat(warning.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(journal.trace(0, 0)).extracting(JournalEvent::summary)
            .containsExactly("actor=operator:alice action=cluster-isolate detail=\"node 2: none -> isolated\"");
        assertThat(registry.find("chukei.admin.actions.unaudited").counters()).isEmpty();
    }

    @Test
    void inSyncModeAFailedFsyncOfTheEntryIsTheAnswersWarning() throws Exception
    {
        journal = JournalOnDisk.open(sync(), channel ->
        {
            await(diskAnswers);
            throw new IOException("Input/output error");
        });
        final CompletableFuture<String> answer = new ActionAudit(journal, registry).record(ALICE, "cluster-drain",
            "node 1: none -> draining");
        assertThat(answer).as("answered before the fsync").isNotDone();

        diskAnswers.countDown();
        final String warning = answer.get(10, TimeUnit.SECONDS);

        assertThat(warning).startsWith("journaled at index ").contains(", but the fsync that was to cover it failed (fsync " +
            "of the journal through index ", "Input/output error", "the entry may not reach the disk");
        assertThat(registry.get("chukei.admin.actions.unaudited").tag("action", "cluster-drain").counter().count())
            .isEqualTo(1.0);
    }

    @Test
    void inSyncModeADiskThatHangsGivesTheWarningAfterTheWait() throws Exception
    {
        journal = JournalOnDisk.open(sync(), channel -> await(diskAnswers));

        final String warning = new ActionAudit(journal, registry, Duration.ofMillis(300))
            .record(ALICE, "rate-limit", "default rate=1 burst=1 -> rate=2 burst=2").get(10, TimeUnit.SECONDS);

        assertThat(warning).startsWith("journaled at index ").endsWith(", but no fsync covered it within 300 ms (the " +
            "disk under the journal is slow or hung); the entry may not reach the disk");
    }

    /** The disk failed a write before the action: no fsync will cover its entry, and the answer says so at once. */
    @Test
    void inSyncModeAnEntryAppendedAfterAFailedFsyncIsWarnedOfAtOnce() throws Exception
    {
        journal = JournalOnDisk.open(sync(), channel ->
        {
            throw new IOException("Input/output error");
        });
        final ActionAudit audit = new ActionAudit(journal, registry);
        audit.record(ALICE, "cluster-drain", "node 1: none -> draining").get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> journal.syncProblem() != null);

        assertThat(audit.record(ALICE, "cluster-release", "node 1: draining -> none").getNow("not done"))
            .startsWith("journaled at index ").contains("after the disk under the journal failed a write (fsync of the " +
                "journal through index ", "Input/output error");
    }

    @Test
    void withTheJournalOffNothingIsAuditedAndTheAnswerSaysSo() throws Exception
    {
        journal = Journal.open(JournalConfig.builder().directory(directory).nodeId(1).durability(JournalDurability.OFF)
            .build());

        final CompletableFuture<String> warning = new ActionAudit(journal, registry).record(ALICE, "cluster-release",
            "node 1: isolated -> none");

        assertThat(warning).isCompletedWithValue("not journaled: journal.durability is off (benchmarks only)");
    }

    @Test
    void inProcessModeTheAnswerIsImmediateAndCarriesNoWarning()
    {
        journal = Journal.open(JournalConfig.builder().directory(directory).nodeId(1).build());

        assertThat(new ActionAudit(journal, registry).record(ALICE, "cluster-isolate", "node 1: none -> isolated"))
            .isCompletedWithValue(null);
    }

    private JournalConfig sync()
    {
        return JournalConfig.builder().directory(directory).nodeId(1).durability(JournalDurability.SYNC).build();
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
