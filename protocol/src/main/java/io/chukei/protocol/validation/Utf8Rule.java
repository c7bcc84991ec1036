package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.DirectBuffer;

/**
 * Strict UTF-8 per Unicode Table 3-7 (well-formed byte sequences), decoding into a reusable
 * char array and classifying the first ill-formed sequence. Never substitutes U+FFFD.
 *
 * <pre>
 *   lead      2nd byte   3rd     4th     ill-formed 2nd byte (a continuation byte) means
 *   00..7F    -
 *   C2..DF    80..BF
 *   E0        A0..BF     80..BF          80..9F: UTF8_OVERLONG
 *   E1..EC    80..BF     80..BF
 *   ED        80..9F     80..BF          A0..BF: UTF8_SURROGATE
 *   EE..EF    80..BF     80..BF
 *   F0        90..BF     80..BF  80..BF  80..8F: UTF8_OVERLONG
 *   F1..F3    80..BF     80..BF  80..BF
 *   F4        80..8F     80..BF  80..BF  90..BF: UTF8_OUT_OF_RANGE
 *   C0..C1    (a continuation byte follows: UTF8_OVERLONG, otherwise UTF8_INVALID_BYTE)
 *   80..BF, F5..FF as lead: UTF8_INVALID_BYTE
 * </pre>
 * A sequence whose next byte is not a continuation byte (80..BF), or that the field's end cuts
 * short, is UTF8_TRUNCATED. Positions are the byte offset of the sequence's lead byte (of the
 * bad byte for UTF8_INVALID_BYTE); the code point is reported when all its bytes are present.
 */
public final class Utf8Rule
{
    private Utf8Rule()
    {
    }

    /** Validates without decoding. */
    public static ErrorCode validate(
        final DirectBuffer buffer, final int offset, final int length, final FieldId field,
        final ValidationResult result)
    {
        return decode(buffer, offset, length, null, field, result) < 0 ? result.code() : ErrorCode.NO_ERROR;
    }

    /**
     * Decodes {@code length} bytes into {@code out} (UTF-16; at most {@code length} chars), or
     * only validates when {@code out} is null.
     *
     * @return the number of chars decoded, or -1 when the bytes are not well-formed UTF-8
     */
    public static int decode(
        final DirectBuffer buffer, final int offset, final int length, final char[] out, final FieldId field,
        final ValidationResult result)
    {
        int chars = 0;
        int i = 0;
        while (i < length)
        {
            final int lead = buffer.getByte(offset + i) & 0xFF;
            if (lead < 0x80)
            {
                if (out != null)
                {
                    out[chars] = (char)lead;
                }
                chars++;
                i++;
                continue;
            }

            final int size;
            int low = 0x80;
            int high = 0xBF;
            ErrorCode secondByteError = ErrorCode.NO_ERROR;
            if (lead >= 0xC2 && lead <= 0xDF)
            {
                size = 2;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                size = 3;
                if (lead == 0xE0)
                {
                    low = 0xA0;
                    secondByteError = ErrorCode.UTF8_OVERLONG;
                }
                else if (lead == 0xED)
                {
                    high = 0x9F;
                    secondByteError = ErrorCode.UTF8_SURROGATE;
                }
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                size = 4;
                if (lead == 0xF0)
                {
                    low = 0x90;
                    secondByteError = ErrorCode.UTF8_OVERLONG;
                }
                else if (lead == 0xF4)
                {
                    high = 0x8F;
                    secondByteError = ErrorCode.UTF8_OUT_OF_RANGE;
                }
            }
            else if ((lead == 0xC0 || lead == 0xC1) && i + 1 < length && isContinuation(buffer.getByte(offset + i + 1)))
            {
                // C0/C1 can only ever start an overlong two-byte form.
                final int codePoint = ((lead & 0x1F) << 6) | (buffer.getByte(offset + i + 1) & 0x3F);
                return fail(result, ErrorCode.UTF8_OVERLONG, field, i, codePoint, lead, 2);
            }
            else
            {
                return fail(result, ErrorCode.UTF8_INVALID_BYTE, field, i, ValidationResult.NO_CODE_POINT, lead, 1);
            }

            int codePoint = lead & (0xFF >> (size + 1));
            ErrorCode error = ErrorCode.NO_ERROR;
            for (int k = 1; k < size; k++)
            {
                if (i + k >= length)
                {
                    return fail(result, error == ErrorCode.NO_ERROR ? ErrorCode.UTF8_TRUNCATED : error, field, i,
                        ValidationResult.NO_CODE_POINT, lead, k);
                }
                final int b = buffer.getByte(offset + i + k) & 0xFF;
                if (!isContinuation((byte)b))
                {
                    return fail(result, error == ErrorCode.NO_ERROR ? ErrorCode.UTF8_TRUNCATED : error, field, i,
                        ValidationResult.NO_CODE_POINT, lead, k);
                }
                if (k == 1 && (b < low || b > high))
                {
                    error = secondByteError;
                }
                codePoint = (codePoint << 6) | (b & 0x3F);
            }
            if (error != ErrorCode.NO_ERROR)
            {
                return fail(result, error, field, i, codePoint, lead, size);
            }

            if (out != null)
            {
                if (codePoint >= Character.MIN_SUPPLEMENTARY_CODE_POINT)
                {
                    out[chars] = Character.highSurrogate(codePoint);
                    out[chars + 1] = Character.lowSurrogate(codePoint);
                }
                else
                {
                    out[chars] = (char)codePoint;
                }
            }
            chars += codePoint >= Character.MIN_SUPPLEMENTARY_CODE_POINT ? 2 : 1;
            i += size;
        }
        return chars;
    }

    /** Number of UTF-8 bytes that encode a (valid) code point. */
    static int encodedLength(final int codePoint)
    {
        if (codePoint < 0x80)
        {
            return 1;
        }
        if (codePoint < 0x800)
        {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }

    private static boolean isContinuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }

    private static int fail(
        final ValidationResult result, final ErrorCode code, final FieldId field, final int position,
        final int codePoint, final int lead, final int bytesSeen)
    {
        final String name = FieldNames.of(field);
        final String what;
        switch (code)
        {
            case UTF8_INVALID_BYTE:
                what = "byte " + hex(lead) + " at byte " + position + " cannot start a UTF-8 sequence";
                break;
            case UTF8_TRUNCATED:
                what = "UTF-8 sequence starting " + hex(lead) + " at byte " + position + " is cut short after " +
                    bytesSeen + " byte(s)";
                break;
            case UTF8_OVERLONG:
                what = "overlong UTF-8 sequence at byte " + position +
                    (codePoint == ValidationResult.NO_CODE_POINT ? "" : " for " + FieldNames.codePoint(codePoint));
                break;
            case UTF8_SURROGATE:
                what = "UTF-8 encoded surrogate at byte " + position +
                    (codePoint == ValidationResult.NO_CODE_POINT ? "" : ": " + FieldNames.codePoint(codePoint));
                break;
            default:
                what = "UTF-8 sequence at byte " + position + " is beyond U+10FFFF" +
                    (codePoint == ValidationResult.NO_CODE_POINT ? "" : ": " + FieldNames.codePoint(codePoint));
                break;
        }
        result.reject(code, field, position, codePoint, name + ": " + what + " (rule: " + code + ")");
        return -1;
    }

    private static String hex(final int b)
    {
        return String.format("0x%02X", b);
    }
}
