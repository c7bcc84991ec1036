package io.chukei.gateway.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.chukei.gateway.journal.JournalFixtures.accept;
import static io.chukei.gateway.journal.JournalFixtures.complete;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

/** The latest AUDIT entries, read back from the end of the journal: newest first, filtered, bounded. */
class AuditTrailTest
{
    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");
    private static final Duration AMPLE = Duration.ofMinutes(1);

    @TempDir
    Path directory;

    private final SetTimeProvider clock = new SetTimeProvider(T0);

    @Test
    void theLatestMatchingEntriesComeBackNewestFirstWithTheirTime()
    {
        try (Journal journal = Journal.open(config(directory).timeProvider(clock).build()))
        {
            journal.appendAudit("admin-http", "cluster-isolate", "node 2: none -> isolated (reason: disk)");
            accept(journal, 1, 1);
            journal.appendAudit("relay", "refusals", "municipality=131016 RATE_LIMITED=3");
            clock.currentTimeMillis(T0.plusSeconds(60).toEpochMilli());
            journal.appendAudit("admin-http", "cluster-release", "node 2: isolated -> none");
            complete(journal, 1, 1);

            final List<Journal.AuditEntry> latest =
                journal.latestAudits(10, 1_000, AMPLE, a -> a.startsWith("cluster-"));

            assertThat(latest).extracting(Journal.AuditEntry::action).containsExactly("cluster-release", "cluster-isolate");
            assertThat(latest.get(0).epochMs()).isEqualTo(T0.plusSeconds(60).toEpochMilli());
            assertThat(latest.get(1).detail()).isEqualTo("node 2: none -> isolated (reason: disk)");
            assertThat(latest.get(1).actor()).isEqualTo("admin-http");
        }
    }

    @Test
    void atMostMaxEntriesAndNoFurtherBackThanMaxScanned()
    {
        try (Journal journal = Journal.open(config(directory).timeProvider(clock).build()))
        {
            journal.appendAudit("admin-http", "cluster-drain", "oldest");
            for (int i = 1; i <= 5; i++)
            {
                accept(journal, 1, i);
            }
            journal.appendAudit("admin-http", "cluster-isolate", "middle");
            journal.appendAudit("admin-http", "cluster-release", "newest");

            assertThat(journal.latestAudits(1, 1_000, AMPLE, a -> true)).extracting(Journal.AuditEntry::detail)
                .containsExactly("newest");
            assertThat(journal.latestAudits(10, 7, AMPLE, a -> true)).extracting(Journal.AuditEntry::detail)
                .containsExactly("newest", "middle");
            assertThat(journal.latestAudits(10, 8, AMPLE, a -> true)).extracting(Journal.AuditEntry::detail)
                .containsExactly("newest", "middle", "oldest");
        }
    }

    @Test
    void noTimeLeftReadsNothing()
    {
        try (Journal journal = Journal.open(config(directory).timeProvider(clock).build()))
        {
            journal.appendAudit("admin-http", "cluster-drain", "node 1: none -> draining");

            assertThat(journal.latestAudits(10, 1_000, Duration.ZERO, a -> true)).isEmpty();
        }
    }

    @Test
    void anEmptyJournalHasNone()
    {
        try (Journal journal = Journal.open(config(directory).timeProvider(clock).build()))
        {
            assertThat(journal.latestAudits(10, 1_000, AMPLE, a -> true)).isEmpty();
        }
    }
}
