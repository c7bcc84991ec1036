package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.accept;
import static io.chukei.gateway.journal.JournalFixtures.complete;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRetentionTest
{
    private static final long DAY_MS = 86_400_000L;

    @TempDir
    Path directory;

    private final SetTimeProvider clock = new SetTimeProvider(java.time.Instant.parse("2026-06-01T12:00:00Z"));
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
    void cycleFilesOlderThanTheRetentionPeriodAreDeleted() throws IOException
    {
        journal = Journal.open(config(directory).timeProvider(clock).retentionDays(2).build());
        journal.recover();
        for (long day = 0; day < 6; day++)
        {
            accept(journal, 1, day + 1);
            complete(journal, 1, day + 1);
            clock.advanceMillis(DAY_MS);
        }
        accept(journal, 2, 1);
        assertThat(cycleFiles()).hasSize(7);

        journal.checkpoint();

        assertThat(cycleFiles()).containsExactly("20260605F.cq4", "20260606F.cq4", "20260607F.cq4");
    }

    @Test
    void aCycleHoldingAPendingRequestIsKeptPastTheRetentionPeriod() throws IOException
    {
        journal = Journal.open(config(directory).timeProvider(clock).retentionDays(1).build());
        journal.recover();
        accept(journal, 1, 1);
        clock.advanceMillis(DAY_MS);
        accept(journal, 1, 2);
        complete(journal, 1, 2);
        clock.advanceMillis(3 * DAY_MS);
        accept(journal, 1, 3);
        complete(journal, 1, 3);

        journal.checkpoint();

        assertThat(cycleFiles()).containsExactly("20260601F.cq4", "20260602F.cq4", "20260605F.cq4");
    }

    @Test
    void recoveryWorksAfterRetentionDeletedOldCycles()
    {
        journal = Journal.open(config(directory).timeProvider(clock).retentionDays(1).build());
        journal.recover();
        accept(journal, 1, 1);
        complete(journal, 1, 1);
        clock.advanceMillis(3 * DAY_MS);
        accept(journal, 1, 2);
        journal.checkpoint();
        journal.close();

        journal = Journal.open(config(directory).timeProvider(clock).retentionDays(1).build());
        final RecoveredState state = journal.recover();

        assertThat(state.pending()).extracting(PendingRequest::idLo).containsExactly(2L);
        assertThat(journal.trace(1, 2)).hasSize(1);
    }

    private List<String> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".cq4")).sorted().toList();
        }
    }
}
