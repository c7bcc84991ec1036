package io.chukei.gateway.status;

import io.chukei.gateway.cluster.SelfIsolationAudit;
import io.chukei.gateway.journal.Journal;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last operator actions and state changes (self-isolations, peers turning SUSPECT), newest first:
 * a bounded ring in memory, which starts with the latest operator actions and self-isolations read back
 * from the journal ({@link #restore}), so a restart does not forget them. The journal's AUDIT entries
 * stay the record; this is what the page shows at a glance.
 */
public final class RecentEvents
{
    /**
     * One event: when, what kind ({@code operator}, {@code self-isolation}, {@code state}, {@code peer}), a line
     * of text, and whether it was read from the journal at start (it happened before this process started).
     */
    public record Event(long epochMs, String kind, String text, boolean fromJournal)
    {
    }

    private final Clock clock;
    private final int capacity;
    private final Deque<Event> events = new ArrayDeque<>();

    public RecentEvents(final Clock clock, final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.clock = clock;
        this.capacity = capacity;
    }

    public synchronized void add(final String kind, final String text)
    {
        events.addFirst(new Event(clock.millis(), kind, text, false));
        if (events.size() > capacity)
        {
            events.removeLast();
        }
    }

    /**
     * Adds the journal's entries (newest first) behind what is already listed, up to the capacity: operator
     * actions as {@code operator}, the health monitor's as {@code self-isolation} (its recoveries as {@code state}).
     */
    public synchronized void restore(final List<Journal.AuditEntry> newestFirst)
    {
        for (final Journal.AuditEntry entry : newestFirst)
        {
            if (events.size() >= capacity)
            {
                return;
            }
            final boolean health = SelfIsolationAudit.ACTOR.equals(entry.actor());
            final String kind = !health ? "operator" :
                SelfIsolationAudit.ISOLATE.equals(entry.action()) ? "self-isolation" : "state";
            // Operator lines as ClusterAdmin logs them live; the health monitor's as ViewEvents words them.
            events.addLast(new Event(entry.epochMs(), kind, health ? entry.detail() :
                entry.actor() + " " + entry.action() + " " + entry.detail(), true));
        }
    }

    /** Newest first. */
    public synchronized List<Event> list()
    {
        return new ArrayList<>(events);
    }
}
