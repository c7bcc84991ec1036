package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.SCOPE;

import static io.chukei.gateway.journal.JournalFixtures.EMPTY;
import static io.chukei.gateway.journal.JournalFixtures.accept;
import static io.chukei.gateway.journal.JournalFixtures.complete;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chukei.protocol.sbe.Durability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OFF mode, for benchmarks: appends only count, nothing reaches the disk, a restart knows nothing. */
class JournalOffTest
{
    @TempDir
    Path root;

    private Journal journal;

    @AfterEach
    void close()
    {
        if (journal != null)
        {
            journal.close();
        }
    }

    @Test
    void everyAppendReturnsTheNextIndexAboveZero()
    {
        journal = open();

        final long accepted = accept(journal, 1, 2);
        final long forwarded = journal.appendForwarded(SCOPE, 1, 2, 0, 1, false);
        final long completed = complete(journal, 1, 2);
        final long rejected = journal.appendRejected(SCOPE, 3, 4, 1, 0, -1, false, EMPTY, 0, 0);
        final long audit = journal.appendAudit("operator", "isolate", "node 1");

        assertThat(List.of(accepted, forwarded, completed, rejected, audit)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(journal.appendFailures()).isZero();
    }

    @Test
    void anEntryIsDurableAtOnceOnTheCallersThread()
    {
        journal = open();
        final List<String> ran = new ArrayList<>();

        journal.whenDurable(accept(journal, 1, 2), task -> ran.add("handed to the executor"), () -> ran.add("accepted"));

        assertThat(ran).containsExactly("accepted");
        assertThat(journal.syncCount()).isZero();
    }

    @Test
    void nothingIsWrittenToDisk()
    {
        final Path directory = root.resolve("journal");
        journal = Journal.open(config(directory).durability(JournalDurability.OFF).build());
        journal.recover();
        accept(journal, 1, 2);
        complete(journal, 1, 2);
        journal.close();
        journal = null;

        assertThat(directory).doesNotExist();
    }

    @Test
    void recoveryIsEmptyAndStartsNoCheckpointer()
    {
        journal = open();
        accept(journal, 1, 2);

        final RecoveredState state = journal.recover();

        assertThat(state.requests().size()).isZero();
        assertThat(state.pending()).isEmpty();
        assertThat(state.lastIndex()).isEqualTo(-1);
        assertThat(state.replayedEntries()).isZero();
        assertThatThrownBy(journal::checkpoint).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void appendedEntriesCannotBeReadBack()
    {
        journal = open();
        final long accepted = accept(journal, 1, 2);
        final long completed = complete(journal, 1, 2);

        assertThat(journal.readAccepted(accepted, new AcceptedView())).isFalse();
        assertThat(journal.readCompleted(completed, new CompletedView())).isFalse();
        assertThat(journal.trace(1, 2)).isEmpty();
        assertThat(journal.stats().totalEntries()).isZero();
    }

    @Test
    void noAppendCountsAsSlowForTheHealthMonitor()
    {
        journal = open();
        accept(journal, 1, 2);

        assertThat(journal.takeRecentAppendMaxNanos()).isZero();
    }

    @Test
    void acceptedSaysNothingWasJournaled()
    {
        assertThat(JournalDurability.OFF.toWire()).isEqualTo(Durability.NONE);
    }

    @Test
    void aReadOnlyJournalCannotBeOff()
    {
        assertThatThrownBy(() -> config(root).durability(JournalDurability.OFF).readOnly(true).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("durability: OFF with readOnly (expected: PROCESS when readOnly)");
    }

    private Journal open()
    {
        return Journal.open(config(root.resolve("journal")).durability(JournalDurability.OFF).build());
    }
}
