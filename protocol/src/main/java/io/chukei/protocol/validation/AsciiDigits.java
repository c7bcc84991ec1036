package io.chukei.protocol.validation;

import org.agrona.DirectBuffer;

/** Byte-level helpers for ASCII digit fields read straight from the wire buffer. */
final class AsciiDigits
{
    static final int NONE = -1;

    private AsciiDigits()
    {
    }

    /** Index (relative to offset) of the first byte that is not '0'..'9', or {@link #NONE}. */
    static int firstNonDigit(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b < '0' || b > '9')
            {
                return i;
            }
        }
        return NONE;
    }

    static int digit(final DirectBuffer buffer, final int index)
    {
        return buffer.getByte(index) - '0';
    }

    /**
     * Length of a fixed-size SBE char field without its trailing NUL padding: 0 means absent.
     */
    static int lengthWithoutPadding(final DirectBuffer buffer, final int offset, final int capacity)
    {
        int length = capacity;
        while (length > 0 && buffer.getByte(offset + length - 1) == 0)
        {
            length--;
        }
        return length;
    }

    /** Describes a bad byte for a detail text: printable ASCII as itself, anything else as hex. */
    static String describeByte(final byte b)
    {
        final int value = b & 0xFF;
        return value >= 0x21 && value <= 0x7E ? "'" + (char)value + "'" : String.format("0x%02X", value);
    }
}
