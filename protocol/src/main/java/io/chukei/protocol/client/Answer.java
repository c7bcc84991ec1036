package io.chukei.protocol.client;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.OutcomeStatus;

import java.util.OptionalLong;
import java.util.UUID;

/**
 * The terminal answer to a submitted request: exactly one per request.
 *
 * <p>Either card management's {@link Result}, or a {@link Rejected} from the relay or, when
 * {@link Rejected#local()} is true, from this SDK (deadline passed, local queue full, client
 * closed). Use {@link #kind()} to switch, or {@code instanceof}.
 */
public sealed interface Answer permits Answer.Result, Answer.Rejected
{
    /** {@link #nodeId()} of answers the SDK produced itself. */
    int LOCAL_NODE_ID = -1;

    /** Which of the two answers this is. */
    enum Kind
    {
        RESULT,
        REJECTED
    }

    UUID requestId();

    /** The relay node that answered, or {@link #LOCAL_NODE_ID}. */
    int nodeId();

    Kind kind();

    /**
     * Card management's verdict, relayed.
     *
     * @param payload operation-specific answer bytes (e.g. card status); the caller's own copy
     */
    record Result(
        UUID requestId,
        int nodeId,
        OutcomeStatus status,
        int upstreamCode,
        long completedEpochMs,
        String detail,
        byte[] payload) implements Answer
    {
        @Override
        public Kind kind()
        {
            return Kind.RESULT;
        }
    }

    /**
     * A refusal that ends the request. {@link #code()} says why and whether a retry can help.
     *
     * @param position byte offset within {@link #field()}, when the rule is about one place
     * @param codePoint the offending Unicode code point, for text rules
     * @param retryAfterMs when a retry can help, the earliest useful moment
     * @param local true when the SDK produced it (the relay may not have seen the request, or may
     *     still carry it out; see {@link ConnectorClient})
     */
    record Rejected(
        UUID requestId,
        int nodeId,
        ErrorCode code,
        FieldId field,
        OptionalLong position,
        OptionalLong codePoint,
        OptionalLong retryAfterMs,
        String detail,
        boolean local) implements Answer
    {
        @Override
        public Kind kind()
        {
            return Kind.REJECTED;
        }

        /** A refusal made by the SDK itself. */
        static Rejected local(final UUID requestId, final ErrorCode code, final FieldId field, final String detail)
        {
            return new Rejected(requestId, LOCAL_NODE_ID, code, field, OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), detail, true);
        }
    }
}
