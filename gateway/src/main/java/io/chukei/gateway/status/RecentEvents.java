package io.chukei.gateway.status;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last operator actions and state changes (self-isolations, peers turning SUSPECT) since this
 * process started, newest first: a bounded ring in memory. The journal's AUDIT entries stay the
 * record; this is what the page shows at a glance.
 */
public final class RecentEvents
{
    /** One event: when, what kind ({@code operator}, {@code state}, {@code peer}) and a line of text. */
    public record Event(long epochMs, String kind, String text)
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
        events.addFirst(new Event(clock.millis(), kind, text));
        if (events.size() > capacity)
        {
            events.removeLast();
        }
    }

    /** Newest first. */
    public synchronized List<Event> list()
    {
        return new ArrayList<>(events);
    }
}
