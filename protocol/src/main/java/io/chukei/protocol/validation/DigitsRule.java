package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.DirectBuffer;

/**
 * A field of ASCII digits with length bounds, e.g. resident code (11), card id (12) or
 * application id (23). Checks NOT_DIGITS first (with the position of the first bad byte), then
 * INVALID_LENGTH. The value itself never appears in detail texts.
 */
public final class DigitsRule
{
    private final FieldId field;
    private final int minLength;
    private final int maxLength;

    /**
     * @throws IllegalArgumentException when the bounds are not 1 <= minLength <= maxLength
     */
    public DigitsRule(final FieldId field, final int minLength, final int maxLength)
    {
        if (minLength < 1)
        {
            throw new IllegalArgumentException(FieldNames.of(field) + " minLength: " + minLength + " (expected: > 0)");
        }
        if (maxLength < minLength)
        {
            throw new IllegalArgumentException(FieldNames.of(field) + " maxLength: " + maxLength +
                " (expected: >= minLength " + minLength + ")");
        }
        this.field = field;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    public FieldId field()
    {
        return field;
    }

    public int minLength()
    {
        return minLength;
    }

    public int maxLength()
    {
        return maxLength;
    }

    public ErrorCode validate(
        final DirectBuffer buffer, final int offset, final int length, final ValidationResult result)
    {
        final int bad = AsciiDigits.firstNonDigit(buffer, offset, length);
        if (bad != AsciiDigits.NONE)
        {
            return result.reject(ErrorCode.NOT_DIGITS, field, bad, ValidationResult.NO_CODE_POINT,
                FieldNames.of(field) + ": byte " + AsciiDigits.describeByte(buffer.getByte(offset + bad)) +
                " at byte " + bad + " is not an ASCII digit (rule: NOT_DIGITS)");
        }
        if (length < minLength || length > maxLength)
        {
            return result.reject(ErrorCode.INVALID_LENGTH, field, ValidationResult.NO_POSITION,
                ValidationResult.NO_CODE_POINT,
                FieldNames.of(field) + ": " + length + " digits (expected: " + bounds() + ") (rule: INVALID_LENGTH)");
        }
        return ErrorCode.NO_ERROR;
    }

    private String bounds()
    {
        return minLength == maxLength ? String.valueOf(minLength) : minLength + ".." + maxLength;
    }
}
