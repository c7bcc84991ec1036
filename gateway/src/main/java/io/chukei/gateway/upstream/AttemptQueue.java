package io.chukei.gateway.upstream;

import io.chukei.gateway.relay.InFlightRequest;

import java.util.ArrayDeque;

/**
 * A link's attempts waiting for an Outcome, oldest first. Every attempt on a link waits the same
 * timeout, so the oldest is always the next one due: the link needs one timer for all of them
 * instead of a scheduled task per attempt (a task, its lambda and a place in the event loop's
 * timer heap for every forward), and an answered attempt leaves in constant time. Attempts that
 * have left are kept for reuse, so a forward allocates nothing here once the queue has been as
 * long as it gets. Confined to the link's event loop.
 */
final class AttemptQueue
{
    private final ArrayDeque<Attempt> spare = new ArrayDeque<>();
    private final int maxSpare;
    private Attempt oldest;
    private Attempt newest;
    private int size;

    /** {@code maxSpare} bounds the attempts kept for reuse (memory after a burst). */
    AttemptQueue(final int maxSpare)
    {
        this.maxSpare = maxSpare;
    }

    /** A new attempt for {@code request}, sent at {@code sentNanos} (not earlier than any queued), queued last. */
    Attempt add(final InFlightRequest request, final long sentNanos)
    {
        final Attempt attempt = spare.isEmpty() ? new Attempt() : spare.poll();
        attempt.request = request;
        attempt.sentNanos = sentNanos;
        attempt.older = newest;
        attempt.newer = null;
        if (newest == null)
        {
            oldest = attempt;
        }
        else
        {
            newest.newer = attempt;
        }
        newest = attempt;
        size++;
        return attempt;
    }

    /** Takes an attempt out of the queue (answered, or found due); one not queued stays as it is. */
    void remove(final Attempt attempt)
    {
        if (attempt.older == null && oldest != attempt)
        {
            return;
        }
        if (attempt.older == null)
        {
            oldest = attempt.newer;
        }
        else
        {
            attempt.older.newer = attempt.newer;
        }
        if (attempt.newer == null)
        {
            newest = attempt.older;
        }
        else
        {
            attempt.newer.older = attempt.older;
        }
        attempt.older = null;
        attempt.newer = null;
        size--;
    }

    /**
     * Gives an attempt that has left the queue back for reuse; the caller must hold no reference to it after
     * (read its request and send time first).
     */
    void recycle(final Attempt attempt)
    {
        attempt.request = null;
        if (spare.size() < maxSpare)
        {
            spare.push(attempt);
        }
    }

    /**
     * How long from {@code nowNanos} until the oldest attempt's {@code timeoutNanos} are up: 0 when that has
     * passed already, -1 when none is queued. Always the oldest's time, whenever it is asked: the timer armed
     * by a send while older attempts wait must not wait for the newest.
     */
    long nanosUntilOldestDue(final long nowNanos, final long timeoutNanos)
    {
        return oldest == null ? -1 : Math.max(0, oldest.sentNanos + timeoutNanos - nowNanos);
    }

    /** Whether the oldest attempt's {@code timeoutNanos} are up at {@code nowNanos}; false when none is queued. */
    boolean oldestDue(final long nowNanos, final long timeoutNanos)
    {
        return oldest != null && oldest.sentNanos + timeoutNanos - nowNanos <= 0;
    }

    /** The attempt sent first of those still queued, or null. */
    Attempt oldest()
    {
        return oldest;
    }

    int size()
    {
        return size;
    }
}
