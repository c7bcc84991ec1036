package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.DirectBuffer;

/**
 * JIS X 0402 local government code: six ASCII digits, the last a check digit over the first
 * five with weights 6,5,4,3,2: check = (11 - sum mod 11) mod 10.
 * <p>
 * Note the scheme maps both remainders 0 and 10 to check digit 1, so for codes ending in 1
 * some single-digit changes are not detected (e.g. 422011 and 422061 both pass).
 */
public final class MunicipalityCodeRule
{
    public static final int LENGTH = 6;

    private static final int[] WEIGHTS = {6, 5, 4, 3, 2};
    private static final DigitsRule SHAPE = new DigitsRule(FieldId.MUNICIPALITY_CODE, LENGTH, LENGTH);

    private MunicipalityCodeRule()
    {
    }

    /** Validates {@code length} bytes at {@code offset} as a municipality code. */
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
            return result.reject(ErrorCode.CHECK_DIGIT_MISMATCH, FieldId.MUNICIPALITY_CODE, LENGTH - 1,
                ValidationResult.NO_CODE_POINT,
                "municipalityCode: check digit " + actual + " at byte " + (LENGTH - 1) + " (expected: " + expected +
                ") (rule: CHECK_DIGIT_MISMATCH)");
        }
        return ErrorCode.NO_ERROR;
    }

    /** The check digit for the five digits at {@code offset}; the caller has checked they are digits. */
    static int checkDigit(final DirectBuffer buffer, final int offset)
    {
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++)
        {
            sum += AsciiDigits.digit(buffer, offset + i) * WEIGHTS[i];
        }
        return (11 - sum % 11) % 10;
    }
}
