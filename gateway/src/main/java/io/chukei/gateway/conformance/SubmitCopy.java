package io.chukei.gateway.conformance;

import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.UUID;

/**
 * What the relay keeps of one Submit: its id, flag and attempt, when and where it came, and its content — the
 * body with the fields a resend may change (id, possibleDuplicate, attempt, deadline; §5) zeroed, so two sends
 * of one request compare equal and a resend under a new id is recognised.
 */
record SubmitCopy(UUID requestId, boolean possibleDuplicate, int attempt, byte[] content, long receivedNs, ConformanceSession session)
{
    static SubmitCopy of(final SubmitDecoder submit, final DirectBuffer message, final int length, final ConformanceSession session)
    {
        final int body = MessageHeaderDecoder.ENCODED_LENGTH;
        final byte[] content = new byte[length - body];
        message.getBytes(body, content);
        zero(content, SubmitDecoder.requestIdEncodingOffset(), SubmitDecoder.requestIdEncodingLength());
        zero(content, SubmitDecoder.possibleDuplicateEncodingOffset(), SubmitDecoder.possibleDuplicateEncodingLength());
        zero(content, SubmitDecoder.attemptEncodingOffset(), SubmitDecoder.attemptEncodingLength());
        zero(content, SubmitDecoder.deadlineEpochMsEncodingOffset(), SubmitDecoder.deadlineEpochMsEncodingLength());
        return new SubmitCopy(new UUID(submit.requestId().hi(), submit.requestId().lo()),
            submit.possibleDuplicate() == BooleanType.TRUE, submit.attempt(), content, System.nanoTime(), session);
    }

    private static void zero(final byte[] content, final int offset, final int length)
    {
        Arrays.fill(content, offset, Math.min(content.length, offset + length), (byte)0);
    }

    boolean sameContent(final SubmitCopy other)
    {
        return Arrays.equals(content, other.content);
    }

    int nodeId()
    {
        return session.node().nodeId();
    }
}
