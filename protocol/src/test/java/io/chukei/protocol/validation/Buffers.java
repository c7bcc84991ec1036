package io.chukei.protocol.validation;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;

/** Test helpers that put values in buffers the way they arrive from the wire. */
final class Buffers
{
    private Buffers()
    {
    }

    static UnsafeBuffer ascii(final String value)
    {
        return new UnsafeBuffer(value.getBytes(StandardCharsets.US_ASCII));
    }

    static UnsafeBuffer bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return new UnsafeBuffer(bytes);
    }

    /** Every string that differs from {@code value} in exactly one digit. */
    static java.util.List<String> singleDigitChanges(final String value)
    {
        final java.util.List<String> changes = new java.util.ArrayList<>();
        for (int i = 0; i < value.length(); i++)
        {
            for (char d = '0'; d <= '9'; d++)
            {
                if (d != value.charAt(i))
                {
                    changes.add(value.substring(0, i) + d + value.substring(i + 1));
                }
            }
        }
        return changes;
    }
}
