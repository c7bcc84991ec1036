package io.chukei.gateway.relay;

import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import org.agrona.DirectBuffer;

/**
 * A 64-bit hash of what a Submit asks for, leaving out what legitimately changes on a
 * resend (possibleDuplicate, attempt, deadline). Two Submits with one request id and
 * different fingerprints are a REQUEST_ID_CONFLICT: a connector bug that would otherwise
 * apply someone else's request under this id.
 */
final class SubmitFingerprint
{
    private static final int BLOCK = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int WHAT_START = BLOCK + SubmitDecoder.municipalityCodeEncodingOffset();
    private static final int WHAT_END = BLOCK + SubmitDecoder.possibleDuplicateEncodingOffset();
    private static final int REST_START = BLOCK + SubmitDecoder.batchIdEncodingOffset();

    private SubmitFingerprint()
    {
    }

    /** Hashes a Submit message (SBE header and body) of {@code length} bytes at offset 0 of {@code message}. */
    static long of(final DirectBuffer message, final int length)
    {
        long hash = 0x9E3779B97F4A7C15L;
        hash = mix(message, WHAT_START, WHAT_END, hash);
        return mix(message, REST_START, length, hash);
    }

    private static long mix(final DirectBuffer buffer, final int from, final int to, final long seed)
    {
        long hash = seed;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES)
        {
            hash = (hash ^ buffer.getLong(i)) * 0x100000001B3L;
            hash ^= hash >>> 29;
        }
        for (; i < to; i++)
        {
            hash = (hash ^ buffer.getByte(i)) * 0x100000001B3L;
        }
        return hash ^ (hash >>> 32);
    }
}
