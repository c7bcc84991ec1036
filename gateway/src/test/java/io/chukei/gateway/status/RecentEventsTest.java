package io.chukei.gateway.status;

import io.chukei.gateway.journal.Journal;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Events of this process first, then those read back from the journal, within one bound. */
class RecentEventsTest
{
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private final RecentEvents events = new RecentEvents(Clock.fixed(NOW, ZoneOffset.UTC), 3);

    @Test
    void journalEntriesComeAfterLiveOnesWithTheirOwnTimeAndKind()
    {
        events.add("peer", "node 3 seen by node 1: ACTIVE -> SUSPECT");
        events.restore(List.of(
            new Journal.AuditEntry(1_000, "health", "self-isolate", "node 1: ACTIVE -> ISOLATED (self-isolated: lag)"),
            new Journal.AuditEntry(500, "admin-http", "cluster-isolate", "node 2: none -> isolated, recorded on node 1")));

        assertThat(events.list()).containsExactly(
            new RecentEvents.Event(NOW.toEpochMilli(), "peer", "node 3 seen by node 1: ACTIVE -> SUSPECT", false),
            new RecentEvents.Event(1_000, "self-isolation", "node 1: ACTIVE -> ISOLATED (self-isolated: lag)", true),
            new RecentEvents.Event(500, "operator", "admin-http cluster-isolate node 2: none -> isolated, recorded on node 1",
                true));
    }

    @Test
    void restoringStopsAtTheCapacity()
    {
        events.restore(List.of(entry(4), entry(3), entry(2), entry(1)));

        assertThat(events.list()).extracting(RecentEvents.Event::epochMs).containsExactly(4L, 3L, 2L);
    }

    private static Journal.AuditEntry entry(final long epochMs)
    {
        return new Journal.AuditEntry(epochMs, "admin-http", "cluster-drain", "node 1: none -> draining");
    }
}
