package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.accept;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pending request without a journaled forward was surely never forwarded only while the journal is whole: after a
 * process crash (kill -9, every write still in the page cache) it is, after a restart of the machine it may not be
 * (pages not yet written back are lost in any order, a FORWARDED entry among them while its ACCEPTED survived).
 * Then such a request counts one attempt, so it is forwarded again as a possible duplicate and its passed deadline is
 * OUTCOME_UNKNOWN, never the "nothing applied" of DEADLINE_EXCEEDED. The machine's restart is told by Linux's boot id.
 */
class JournalAfterMachineRestartTest
{
    @TempDir
    Path directory;

    @Test
    void aRequestWithoutAJournaledForwardCountsOneAttemptAfterTheMachineRestartedAndNoneAfterTheProcessDid() throws Exception
    {
        final Path journalDir = directory.resolve("journal");
        final Path bootId = directory.resolve("boot_id");
        Files.writeString(bootId, "0b6f9a0e-1c7b-4d43-9b53-5f0c1e2d3a4b\n");
        try (Journal journal = Journal.open(config(journalDir).build(), GroupCommitter.FSYNC, bootId))
        {
            journal.recover();
            accept(journal, 1, 1);
            accept(journal, 1, 2);
            assertThat(journal.appendForwarded(JournalFixtures.SCOPE, 1, 2, 1, 3, false)).isNotNegative();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journalDir.resolve(BootId.FILE))))
            .isEqualTo("rw-------");

        // The same boot: a restart of the process only.
        try (Journal journal = Journal.open(config(journalDir).build(), GroupCommitter.FSYNC, bootId))
        {
            assertThat(attempts(journal.recover().pending())).containsExactly(0, 3);
        }

        Files.writeString(bootId, "7d2c4e11-88a0-4f5e-a1b2-c3d4e5f60718\n");
        try (Journal journal = Journal.open(config(journalDir).build(), GroupCommitter.FSYNC, bootId))
        {
            assertThat(attempts(journal.recover().pending())).as("forward attempts after the machine restarted")
                .containsExactly(1, 3);
        }

        // After that start closed cleanly, the next one in the same boot knows the journal whole again.
        try (Journal journal = Journal.open(config(journalDir).build(), GroupCommitter.FSYNC, bootId))
        {
            assertThat(attempts(journal.recover().pending())).containsExactly(0, 3);
        }
    }

    @Test
    void aStartAfterTheMachineRestartedThatDiesBeforeAStopLeavesTheNextStartJustAsCautious() throws Exception
    {
        Files.createDirectories(directory);
        BootId.record(directory, "boot-a");

        assertThat(BootId.machineRestarted(directory, "boot-b")).isTrue();
        // Killed before its journal closed: nothing recorded this boot, so the next start reads the journal the same way.
        assertThat(BootId.machineRestarted(directory, "boot-b")).isTrue();
        assertThat(Files.readString(directory.resolve(BootId.FILE)).trim()).isEqualTo("boot-a");
    }

    @Test
    void withoutABootIdToReadNothingIsAssumed() throws Exception
    {
        final Path journalDir = directory.resolve("journal");
        Files.createDirectories(journalDir);
        BootId.record(journalDir, "an-earlier-boot");
        try (Journal journal = Journal.open(config(journalDir).build(), GroupCommitter.FSYNC, directory.resolve("boot_id")))
        {
            journal.recover();
            accept(journal, 1, 1);
        }

        try (Journal journal = Journal.open(config(journalDir).build(), GroupCommitter.FSYNC,
            directory.resolve("no-such-boot-id")))
        {
            assertThat(attempts(journal.recover().pending())).as("a boot id that cannot be read tells nothing")
                .containsExactly(0);
        }
        assertThat(Files.readString(journalDir.resolve(BootId.FILE)).trim()).isEqualTo("an-earlier-boot");
    }

    private static List<Integer> attempts(final List<PendingRequest> pending)
    {
        return pending.stream().map(PendingRequest::forwardAttempts).toList();
    }
}
