package io.chukei.gateway.relay;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The final answers this node gave since it started, as ready-to-send frames, so a resend
 * of a finished request id gets the same answer again and is never forwarded twice.
 * Bounded: the oldest answers are dropped first. Older ids are still recognised through the
 * journal's recovered request index, and past that by card management's own deduplication.
 */
final class AnsweredRequests
{
    /** A stored final answer: the frame to replay and the fingerprint of the request it answered. */
    record Answer(byte[] frame, long fingerprint)
    {
    }

    private final int capacity;
    private final ConcurrentHashMap<RequestKey, Answer> answers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<RequestKey> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    AnsweredRequests(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
    }

    Answer get(final RequestKey key)
    {
        return answers.get(key);
    }

    void put(final RequestKey key, final byte[] frame, final long fingerprint)
    {
        if (answers.put(key, new Answer(frame, fingerprint)) == null)
        {
            order.add(key);
            if (size.incrementAndGet() > capacity)
            {
                final RequestKey eldest = order.poll();
                if (eldest != null)
                {
                    answers.remove(eldest);
                    size.decrementAndGet();
                }
            }
        }
    }

    int size()
    {
        return size.get();
    }
}
