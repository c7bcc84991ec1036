package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.RejectedEncoder;

/**
 * The outcome of a validation: either valid, or the first violation found, naming the code,
 * the field, the byte position in the field and (for text rules) the code point.
 * <p>
 * Mutable and meant to be reused by one thread: validators {@link #reset()} it and fill it
 * only on failure, so the success path allocates nothing. The detail text is built only when
 * a rule fails.
 */
public final class ValidationResult
{
    /** Position value when the violation is not about one place in the field. */
    public static final int NO_POSITION = -1;
    /** Code point value when no code point could be decoded. */
    public static final int NO_CODE_POINT = -1;

    private ErrorCode code = ErrorCode.NO_ERROR;
    private FieldId field = FieldId.NONE;
    private int position = NO_POSITION;
    private int codePoint = NO_CODE_POINT;
    private String detail = "";

    /** Clears any earlier violation; returns this for chaining. */
    public ValidationResult reset()
    {
        code = ErrorCode.NO_ERROR;
        field = FieldId.NONE;
        position = NO_POSITION;
        codePoint = NO_CODE_POINT;
        detail = "";
        return this;
    }

    /**
     * Records a violation and returns its code, so rules can {@code return result.reject(...)}.
     *
     * @param position   byte offset within the field, or {@link #NO_POSITION}
     * @param codePoint  offending code point, or {@link #NO_CODE_POINT}
     */
    public ErrorCode reject(
        final ErrorCode code, final FieldId field, final int position, final int codePoint, final String detail)
    {
        if (code == ErrorCode.NO_ERROR || code == ErrorCode.NULL_VAL)
        {
            throw new IllegalArgumentException("code: " + code + " (expected: an error code)");
        }
        this.code = code;
        this.field = field;
        this.position = position;
        this.codePoint = codePoint;
        this.detail = detail;
        return code;
    }

    public boolean isValid()
    {
        return code == ErrorCode.NO_ERROR;
    }

    public ErrorCode code()
    {
        return code;
    }

    public FieldId field()
    {
        return field;
    }

    /** Byte offset within the field, or {@link #NO_POSITION}. */
    public int position()
    {
        return position;
    }

    /** The offending code point, or {@link #NO_CODE_POINT}. */
    public int codePoint()
    {
        return codePoint;
    }

    /** Human-readable: field, rule, value expected; empty when valid. */
    public String detail()
    {
        return detail;
    }

    /**
     * Writes code, field, position, code point and detail into a Rejected message; the caller
     * sets requestId and nodeId. Must be called before any later var-data field is written,
     * since detail is the message's only var-data field.
     */
    public void writeTo(final RejectedEncoder rejected)
    {
        rejected.code(code)
            .field(field)
            .position(position == NO_POSITION ? RejectedEncoder.positionNullValue() : position)
            .codePoint(codePoint == NO_CODE_POINT ? RejectedEncoder.codePointNullValue() : codePoint)
            .retryAfterMs(RejectedEncoder.retryAfterMsNullValue())
            .detail(detail);
    }

    @Override
    public String toString()
    {
        return isValid() ? "VALID" : code + " " + field + " position=" + position + " codePoint=" + codePoint +
            " detail=" + detail;
    }
}
