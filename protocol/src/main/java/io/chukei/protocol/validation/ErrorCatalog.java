package io.chukei.protocol.validation;

import java.util.EnumMap;
import java.util.Map;

import io.chukei.protocol.sbe.ErrorCode;

import static io.chukei.protocol.validation.RetryAdvice.AFTER_FIX;
import static io.chukei.protocol.validation.RetryAdvice.ELSEWHERE;
import static io.chukei.protocol.validation.RetryAdvice.LATER;
import static io.chukei.protocol.validation.RetryAdvice.NEVER;
import static io.chukei.protocol.validation.RetryAdvice.NOT_APPLICABLE;
import static io.chukei.protocol.validation.RetryAdvice.RESEND_AS_DUPLICATE;

/**
 * Meaning and retry advice for every wire {@link ErrorCode}, the single source for logs, the
 * status page and the protocol README.
 */
public final class ErrorCatalog
{
    /** One catalog entry. */
    public record Entry(ErrorCode code, String meaning, RetryAdvice retry)
    {
    }

    private static final Map<ErrorCode, Entry> ENTRIES = new EnumMap<>(ErrorCode.class);

    static
    {
        add(ErrorCode.NO_ERROR, "No error.", NOT_APPLICABLE);

        add(ErrorCode.PROTOCOL_VIOLATION, "Message out of session order (e.g. a second Hello, or a relay-only message).",
            AFTER_FIX);
        add(ErrorCode.FRAME_TOO_LARGE, "SOFH frame length exceeds the maxFrameLength announced in Welcome.", AFTER_FIX);
        add(ErrorCode.UNSUPPORTED_ENCODING, "SOFH encoding type is not 0xEB50 (SBE little-endian).", AFTER_FIX);
        add(ErrorCode.FRAME_TOO_SHORT, "SOFH length below 6, or too short for the SBE message header.", AFTER_FIX);
        add(ErrorCode.UNKNOWN_TEMPLATE, "SBE template id is not a message the relay accepts from connectors.",
            AFTER_FIX);
        add(ErrorCode.UNSUPPORTED_SCHEMA, "SBE schema id is not 2016, or its version is newer than the relay knows.",
            AFTER_FIX);
        add(ErrorCode.MALFORMED_MESSAGE, "Block length or var-data lengths run past the end of the frame.",
            AFTER_FIX);
        add(ErrorCode.HELLO_REQUIRED, "The first message of a session must be Hello.", AFTER_FIX);
        add(ErrorCode.HEARTBEAT_TIMEOUT, "Nothing received within the heartbeat timeout; the session is closed.",
            LATER);

        add(ErrorCode.REQUIRED_FIELD_MISSING, "A field the operation requires is absent (all NUL or empty).",
            AFTER_FIX);
        add(ErrorCode.INVALID_LENGTH, "A field's length is outside its allowed bounds.", AFTER_FIX);
        add(ErrorCode.NOT_DIGITS, "A digits-only field contains a byte that is not an ASCII digit.", AFTER_FIX);
        add(ErrorCode.CHECK_DIGIT_MISMATCH, "The check digit does not match the other digits.", AFTER_FIX);
        add(ErrorCode.INVALID_DATE, "Not a real calendar date in YYYYMMDD form.", AFTER_FIX);
        add(ErrorCode.DATE_OUT_OF_RANGE, "A real date outside the allowed range (e.g. birth before 1868-01-01 or "
            + "after today).", AFTER_FIX);
        add(ErrorCode.INVALID_ENUM_VALUE, "An enum field holds a value the schema does not define.", AFTER_FIX);
        add(ErrorCode.INVALID_BATCH, "Batch fields inconsistent: all three must be null, or batchSize >= 1 and "
            + "1 <= batchSequence <= batchSize.", AFTER_FIX);
        add(ErrorCode.PRIORITY_NOT_ALLOWED, "The operation does not allow this priority (PREISSUE_SETUP must be BATCH).",
            AFTER_FIX);
        add(ErrorCode.INVALID_REQUEST_ID, "The request id is all zero.", AFTER_FIX);
        add(ErrorCode.DEADLINE_ALREADY_PASSED, "The deadline is not in the future when the request arrives.",
            AFTER_FIX);

        add(ErrorCode.UTF8_INVALID_BYTE, "A byte that cannot start a UTF-8 sequence (stray continuation byte, "
            + "C0/C1 not followed by a continuation byte, F5..FF).", AFTER_FIX);
        add(ErrorCode.UTF8_OVERLONG, "A UTF-8 sequence longer than needed for its code point (e.g. C0 AF, E0 80 AF).",
            AFTER_FIX);
        add(ErrorCode.UTF8_SURROGATE, "UTF-8 encoding of a surrogate code point U+D800..U+DFFF (ED A0..BF xx).",
            AFTER_FIX);
        add(ErrorCode.UTF8_TRUNCATED, "A UTF-8 sequence cut short by the end of the field or by a non-continuation "
            + "byte.", AFTER_FIX);
        add(ErrorCode.UTF8_OUT_OF_RANGE, "A UTF-8 sequence for a value above U+10FFFF (F4 90..BF xx xx).", AFTER_FIX);
        add(ErrorCode.TEXT_NOT_NFC, "The text is not in Unicode Normalization Form C.", AFTER_FIX);
        add(ErrorCode.TEXT_CONTROL_CHARACTER, "A control character (C0 including TAB/CR/LF, DEL, C1).", AFTER_FIX);
        add(ErrorCode.TEXT_BIDI_CONTROL, "A bidirectional formatting control (U+061C, U+200E/F, U+202A..E, "
            + "U+2066..9).", AFTER_FIX);
        add(ErrorCode.TEXT_BYTE_ORDER_MARK, "A byte order mark U+FEFF inside the text.", AFTER_FIX);
        add(ErrorCode.TEXT_OUTSIDE_REPERTOIRE, "A character, or a variation sequence, outside the field's repertoire "
            + "(default: japanese-names; nameKana: kana only).", AFTER_FIX);
        add(ErrorCode.TEXT_MISPLACED_VARIATION_SELECTOR, "An ideographic variation selector U+E0100..U+E01EF not "
            + "directly after an ideograph.", AFTER_FIX);

        add(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED, "The municipality code differs from the one in the client "
            + "certificate.", NEVER);
        add(ErrorCode.REQUEST_ID_CONFLICT, "The request id was already used for a request with different content.",
            NEVER);
        add(ErrorCode.UNKNOWN_REQUEST, "Reserved, not sent: an unknown id's StatusQuery gets StatusReply UNKNOWN.", ELSEWHERE);
        add(ErrorCode.BATCH_CONFLICT, "The batch id was declared before with another size or digest, or a member's "
            + "sequence is already held by another request id.", NEVER);

        add(ErrorCode.RATE_LIMITED, "The municipality is over its rate; retry after retryAfterMs.", LATER);
        add(ErrorCode.OVERLOADED, "The relay is over capacity; retry after retryAfterMs.", LATER);
        add(ErrorCode.NODE_UNAVAILABLE, "The node is isolated or draining; send the request to another node.",
            ELSEWHERE);
        add(ErrorCode.DEADLINE_EXCEEDED, "The deadline passed before the request was forwarded: it never reached card "
            + "management through this node (to a connector of schema version 0 or 1 also sent instead of "
            + "OUTCOME_UNKNOWN: then it may or may not have taken effect).", RESEND_AS_DUPLICATE);
        add(ErrorCode.UPSTREAM_UNAVAILABLE, "Card management cannot be reached now.", LATER);
        add(ErrorCode.SHUTTING_DOWN, "The node is shutting down; send the request to another node.", ELSEWHERE);
        add(ErrorCode.JOURNAL_UNAVAILABLE, "The node cannot write its journal, so it cannot accept work.", ELSEWHERE);
        add(ErrorCode.OUTCOME_UNKNOWN, "The deadline passed after the request was forwarded: card management may have "
            + "applied it; not final. StatusQuery or resend the same id for the real outcome, never a new id.",
            RESEND_AS_DUPLICATE);
        add(ErrorCode.TOO_MANY_OPEN_BATCHES, "The node already accounts for batch.maxOpen batches none of which is "
            + "complete; declare the batch again later (its members are relayed meanwhile, without an account).", LATER);
    }

    private ErrorCatalog()
    {
    }

    private static void add(final ErrorCode code, final String meaning, final RetryAdvice retry)
    {
        ENTRIES.put(code, new Entry(code, meaning, retry));
    }

    /**
     * Returns the entry for a code.
     *
     * @throws IllegalArgumentException for {@link ErrorCode#NULL_VAL}, which is not a code
     */
    public static Entry entry(final ErrorCode code)
    {
        final Entry entry = ENTRIES.get(code);
        if (entry == null)
        {
            throw new IllegalArgumentException("code: " + code + " (expected: a defined error code)");
        }
        return entry;
    }

    public static String meaning(final ErrorCode code)
    {
        return entry(code).meaning();
    }

    public static RetryAdvice retry(final ErrorCode code)
    {
        return entry(code).retry();
    }
}
