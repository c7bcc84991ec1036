package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.MessageHeaderDecoder;

/**
 * What the last {@link MessageReader#wrap} that failed found wrong, kept as numbers so the check
 * allocates nothing; {@link #detail()} makes the text (for a Rejected) only when asked, on the
 * error path.
 */
public final class MessageProblem
{
    /** The part of the message that is wrong. */
    public enum Part
    {
        /** Nothing: the last wrap succeeded. */
        NONE,
        /** Fewer bytes than the SBE message header. */
        MESSAGE_LENGTH,
        SCHEMA_ID,
        TEMPLATE_ID,
        /** The header's blockLength is not this version's block length (or, from a newer sender, shorter). */
        BLOCK_LENGTH,
        /** The block the header declares runs past the end of the message. */
        BLOCK_PAST_END,
        /** A variable-length field (its length prefix or its bytes) runs past the end of the message. */
        VAR_FIELD_PAST_END,
        /** A repeating group or a variable-length field after one runs past the end of the message. */
        GROUP_PAST_END,
        /** Bytes after the last field, from a sender of this schema version or an older one. */
        TRAILING_BYTES
    }

    private Part part = Part.NONE;
    private ErrorCode code = ErrorCode.NO_ERROR;
    private MessageLayout layout;
    private int messageLength;
    private int actual;
    private int expected;
    private int version;
    private int varIndex;
    private int offset;

    void clear(final int messageLength)
    {
        this.part = Part.NONE;
        this.code = ErrorCode.NO_ERROR;
        this.layout = null;
        this.messageLength = messageLength;
        this.varIndex = -1;
    }

    ErrorCode set(final ErrorCode code, final Part part, final int actual, final int expected)
    {
        this.code = code;
        this.part = part;
        this.actual = actual;
        this.expected = expected;
        return code;
    }

    void layout(final MessageLayout layout, final int version)
    {
        this.layout = layout;
        this.version = version;
    }

    /** A var field whose length prefix (length -1) or bytes run past the end; {@code offset} is where its prefix starts. */
    ErrorCode varField(final int index, final int offset, final int length)
    {
        this.varIndex = index;
        this.offset = offset;
        return set(ErrorCode.MALFORMED_MESSAGE, Part.VAR_FIELD_PAST_END, length, 0);
    }

    public Part part()
    {
        return part;
    }

    public ErrorCode code()
    {
        return code;
    }

    /** The field a Rejected about this problem names. */
    public FieldId field()
    {
        switch (part)
        {
            case MESSAGE_LENGTH:
            case TRAILING_BYTES:
                return FieldId.FRAME;
            case VAR_FIELD_PAST_END:
                return layout.varFields()[varIndex];
            case NONE:
                return FieldId.NONE;
            default:
                return FieldId.MESSAGE_HEADER;
        }
    }

    /** The problem in words, naming the part, what was found and what was expected, and the rule. */
    public String detail()
    {
        final String rule = " (rule: " + code.name() + ")";
        final String name = layout == null ? "message" : layout.name();
        switch (part)
        {
            case MESSAGE_LENGTH:
                return "message: " + messageLength + " bytes (expected: at least " + MessageHeaderDecoder.ENCODED_LENGTH +
                    ", the SBE message header)" + rule;
            case SCHEMA_ID:
                return "schemaId: " + actual + " (expected: " + MessageReader.SCHEMA_ID + ")" + rule;
            case TEMPLATE_ID:
                return "templateId: " + actual + " (expected: a message of schema " + MessageReader.SCHEMA_ID + ")" + rule;
            case BLOCK_LENGTH:
                return "blockLength: " + actual + " (expected: " + (version > MessageReader.SCHEMA_VERSION ? "at least " : "") +
                    expected + ", " + name + "'s block in schema version " + MessageReader.SCHEMA_VERSION +
                    ", from a sender of version " + version + ")" + rule;
            case BLOCK_PAST_END:
                return "blockLength: " + actual + " runs past the end of the " + name + " (" + expected +
                    " bytes after the message header)" + rule;
            case VAR_FIELD_PAST_END:
                return varFieldDetail(name) + rule;
            case GROUP_PAST_END:
                return name + ": a repeating group or a variable-length field runs past the end of the message (" +
                    messageLength + " bytes)" + rule;
            case TRAILING_BYTES:
                return name + ": " + actual + " bytes after the last field (expected: none from a sender of schema version " +
                    version + "; only a newer version may append fields)" + rule;
            default:
                return "message: no problem" + rule;
        }
    }

    private String varFieldDetail(final String name)
    {
        final String field = name + "." + layout.varNames()[varIndex];
        if (actual < 0)
        {
            return field + ": its 2-byte length at offset " + offset + " lies past the end of the message (" +
                messageLength + " bytes)";
        }
        return field + ": length " + actual + " at offset " + offset + " runs past the end of the message (" +
            messageLength + " bytes)";
    }
}
