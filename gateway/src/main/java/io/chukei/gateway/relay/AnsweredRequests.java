package io.chukei.gateway.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The final answers this node gave since it started, as ready-to-send frames, so a resend
 * of a finished request id gets the same answer again and is never forwarded twice.
 * Keyed by (municipality, request id), as every request is.
 * Bounded: at most {@code maxAnswers} answers and {@code maxBytes} bytes of them (frame plus a
 * 32-byte record header each); the oldest answers are dropped first. Older ids are still
 * recognised through the journal's recovered request index, and past that by card
 * management's own deduplication.
 *
 * <p>No object per answer: each is a record (id, fingerprint, length, scope, frame bytes) appended
 * to one byte ring, which starts small and doubles up to {@code maxBytes}; an Agrona
 * primitive map from a 64-bit mix of the id to the record's position finds it. Two ids with
 * one mix (never two with the same high half) share a map entry: the newer answer wins and
 * the older one is forgotten as if evicted; the record keeps the full id, so a lookup never
 * returns another request's answer. Answers larger than half of {@code maxBytes} are not kept.
 *
 * <p>Thread-safe: answers are stored from whichever event loop finishes a request and read
 * from the connector's; one lock, held for a copy of one frame at most.
 */
final class AnsweredRequests
{
    /** {@link #match}: no answer stored for the id. */
    static final int UNKNOWN = 0;
    /** {@link #match}: an answer stored for the id, given to a request with the same fingerprint. */
    static final int SAME = 1;
    /** {@link #match}: an answer stored for the id, given to a different request. */
    static final int CONFLICT = 2;

    private static final int HI = 0;
    private static final int LO = 8;
    private static final int FINGERPRINT = 16;
    private static final int LENGTH = 24;
    private static final int SCOPE = 28;
    private static final int HEADER = 32;
    /** In a record's length field: the rest of the ring up to its end is unused. */
    private static final int PADDING = -1;
    private static final long NOT_STORED = -1;
    private static final int MIN_BYTES = 1 << 16;

    private final int maxAnswers;
    private final int maxBytes;
    private final Long2LongHashMap positions;
    private final UnsafeBuffer ring = new UnsafeBuffer(0, 0);
    private byte[] bytes;
    /** Absolute positions: the oldest record and where the next one goes; their difference is the bytes in use. */
    private long tail;
    private long head;
    private int count;

    AnsweredRequests(final int maxAnswers, final int maxBytes)
    {
        if (maxAnswers < 1)
        {
            throw new IllegalArgumentException("maxAnswers: " + maxAnswers + " (expected: >= 1)");
        }
        if (maxBytes < MIN_BYTES || Integer.bitCount(maxBytes) != 1)
        {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: a power of two >= " + MIN_BYTES + ")");
        }
        this.maxAnswers = maxAnswers;
        this.maxBytes = maxBytes;
        this.positions = new Long2LongHashMap(1024, 0.5f, NOT_STORED);
        this.bytes = new byte[MIN_BYTES];
        ring.wrap(bytes);
    }

    /** Whether an answer is stored for the id, and whether it answered a request with this fingerprint. */
    synchronized int match(final int scope, final long hi, final long lo, final long fingerprint)
    {
        final int offset = find(scope, hi, lo);
        if (offset < 0)
        {
            return UNKNOWN;
        }
        return ring.getLong(offset + FINGERPRINT) == fingerprint ? SAME : CONFLICT;
    }

    /** A copy of the stored answer's frame in a new buffer from {@code alloc}, or null when none is stored. */
    synchronized ByteBuf copy(final int scope, final long hi, final long lo, final ByteBufAllocator alloc)
    {
        final int offset = find(scope, hi, lo);
        if (offset < 0)
        {
            return null;
        }
        final int length = ring.getInt(offset + LENGTH);
        return alloc.buffer(length).writeBytes(bytes, offset + HEADER, length);
    }

    /** Stores the readable bytes of {@code frame} (left unchanged) as the answer for the id, evicting the oldest as needed. */
    synchronized void put(final int scope, final long hi, final long lo, final ByteBuf frame, final long fingerprint)
    {
        final int length = frame.readableBytes();
        final int size = HEADER + length;
        if (size > maxBytes / 2)
        {
            return;
        }
        while (bytes.length < maxBytes && (bytes.length < 2 * size || head - tail + 2L * size > bytes.length))
        {
            grow();
        }
        int offset = offsetOf(head);
        // A record never wraps: when it does not fit before the ring's end, it starts over at the beginning.
        final int padding = bytes.length - offset < size ? bytes.length - offset : 0;
        while (count >= maxAnswers || head + padding + size - tail > bytes.length)
        {
            evictOldest();
        }
        if (padding > 0)
        {
            markPadding(offset);
            head += padding;
            offset = 0;
        }
        ring.putLong(offset + HI, hi);
        ring.putLong(offset + LO, lo);
        ring.putLong(offset + FINGERPRINT, fingerprint);
        ring.putInt(offset + LENGTH, length);
        ring.putInt(offset + SCOPE, scope);
        frame.getBytes(frame.readerIndex(), bytes, offset + HEADER, length);
        positions.put(mix(scope, hi, lo), head);
        head += size;
        count++;
    }

    synchronized int size()
    {
        return count;
    }

    /** Offset of the record for the id in the ring, or -1. */
    private int find(final int scope, final long hi, final long lo)
    {
        final long position = positions.get(mix(scope, hi, lo));
        if (position == NOT_STORED)
        {
            return -1;
        }
        final int offset = offsetOf(position);
        return ring.getLong(offset + HI) == hi && ring.getLong(offset + LO) == lo && ring.getInt(offset + SCOPE) == scope ?
            offset : -1;
    }

    private void evictOldest()
    {
        final int offset = offsetOf(tail);
        if (isPadding(offset))
        {
            tail += bytes.length - offset;
            return;
        }
        final long key = mix(ring.getInt(offset + SCOPE), ring.getLong(offset + HI), ring.getLong(offset + LO));
        if (positions.get(key) == tail)
        {
            positions.remove(key);
        }
        tail += HEADER + ring.getInt(offset + LENGTH);
        count--;
    }

    /** Twice the room: the records are laid out again from the start of a new ring, oldest first. */
    private void grow()
    {
        final byte[] old = bytes;
        final UnsafeBuffer oldRing = new UnsafeBuffer(old);
        bytes = new byte[old.length * 2];
        ring.wrap(bytes);
        long from = tail;
        long to = 0;
        while (from < head)
        {
            final int offset = (int)(from & (old.length - 1));
            final int length = old.length - offset < HEADER ? PADDING : oldRing.getInt(offset + LENGTH);
            if (length == PADDING)
            {
                from += old.length - offset;
                continue;
            }
            final int size = HEADER + length;
            System.arraycopy(old, offset, bytes, (int)to, size);
            final long key = mix(oldRing.getInt(offset + SCOPE), oldRing.getLong(offset + HI), oldRing.getLong(offset + LO));
            if (positions.get(key) == from)
            {
                positions.put(key, to);
            }
            from += size;
            to += size;
        }
        tail = 0;
        head = to;
    }

    private int offsetOf(final long position)
    {
        return (int)(position & (bytes.length - 1));
    }

    private void markPadding(final int offset)
    {
        if (bytes.length - offset >= HEADER)
        {
            ring.putInt(offset + LENGTH, PADDING);
        }
    }

    /** Too close to the end for a header, or marked: the rest of the ring is unused. */
    private boolean isPadding(final int offset)
    {
        return bytes.length - offset < HEADER || ring.getInt(offset + LENGTH) == PADDING;
    }

    /**
     * Injective in {@code lo} for a given {@code hi} and scope: ids that differ only in their low half never share an
     * entry. One id in two municipalities most likely maps apart; where two keys do share one, the newer answer wins
     * as described above, and the older one is still found through the journal.
     */
    private static long mix(final int scope, final long hi, final long lo)
    {
        long h = (hi + scope * 0xC2B2AE3D27D4EB4FL) * 0x9E3779B97F4A7C15L + lo;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 33);
    }
}
