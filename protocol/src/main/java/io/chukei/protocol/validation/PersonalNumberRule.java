package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.DirectBuffer;

/**
 * Personal number (個人番号): twelve ASCII digits, the last a check digit. With P(n) the n-th
 * digit from the right not counting the check digit (n = 1..11) and Q(n) = n + 1 for n <= 6,
 * n - 5 for n >= 7: r = sum(P(n) * Q(n)) mod 11, check = 0 if r <= 1, else 11 - r.
 * <p>
 * Because r = 0 and r = 1 both give check digit 0, a number ending in 0 can have single-digit
 * changes that still pass. Detail texts never contain the number.
 */
public final class PersonalNumberRule
{
    public static final int LENGTH = 12;

    private static final DigitsRule SHAPE = new DigitsRule(FieldId.PERSONAL_NUMBER, LENGTH, LENGTH);

    private PersonalNumberRule()
    {
    }

    public static ErrorCode validate(
        final DirectBuffer buffer, final int offset, final int length, final ValidationResult result)
    {
        if (SHAPE.validate(buffer, offset, length, result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        final int expected = checkDigit(buffer, offset);
        final int actual = AsciiDigits.digit(buffer, offset + LENGTH - 1);
        if (actual != expected)
        {
            return result.reject(ErrorCode.CHECK_DIGIT_MISMATCH, FieldId.PERSONAL_NUMBER, LENGTH - 1,
                ValidationResult.NO_CODE_POINT,
                "personalNumber: check digit at byte " + (LENGTH - 1) + " does not match (expected: " + expected +
                ") (rule: CHECK_DIGIT_MISMATCH)");
        }
        return ErrorCode.NO_ERROR;
    }

    /** The check digit for the eleven digits at {@code offset}; the caller has checked they are digits. */
    static int checkDigit(final DirectBuffer buffer, final int offset)
    {
        int sum = 0;
        for (int n = 1; n <= 11; n++)
        {
            final int p = AsciiDigits.digit(buffer, offset + 11 - n);
            final int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        final int r = sum % 11;
        return r <= 1 ? 0 : 11 - r;
    }
}
