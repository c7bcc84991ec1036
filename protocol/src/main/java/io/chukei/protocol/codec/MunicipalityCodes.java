package io.chukei.protocol.codec;

import org.agrona.DirectBuffer;

/**
 * A 6-digit municipality code as an int (0..999,999), read from text or straight from a message
 * buffer without making a String. The int is also the municipality half of a request's key: request ids
 * are scoped to their municipality (see protocol/README.md, <i>Request ids</i>).
 */
public final class MunicipalityCodes
{
    public static final int INVALID = -1;
    public static final int LENGTH = 6;
    public static final int COUNT = 1_000_000;

    private MunicipalityCodes()
    {
    }

    /** The code's value, or {@link #INVALID} unless it is exactly six ASCII digits. */
    public static int parse(final CharSequence code)
    {
        if (code == null || code.length() != LENGTH)
        {
            return INVALID;
        }
        int value = 0;
        for (int i = 0; i < LENGTH; i++)
        {
            final int digit = code.charAt(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return INVALID;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** As {@link #parse(CharSequence)}, from six bytes at {@code offset}. */
    public static int parse(final DirectBuffer buffer, final int offset)
    {
        if (offset < 0 || offset + LENGTH > buffer.capacity())
        {
            return INVALID;
        }
        int value = 0;
        for (int i = 0; i < LENGTH; i++)
        {
            final int digit = buffer.getByte(offset + i) - '0';
            if (digit < 0 || digit > 9)
            {
                return INVALID;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    public static String format(final int code)
    {
        final String digits = Integer.toString(code);
        return "000000".substring(digits.length()) + digits;
    }

    public static boolean isValid(final String code)
    {
        return parse(code) != INVALID;
    }
}
