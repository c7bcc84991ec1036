package io.chukei.protocol.codec;

import java.util.UUID;

/**
 * Text form of 128-bit request ids: the UUID form of (hi, lo), e.g.
 * {@code 0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f}. Connectors may use any 128-bit value except
 * all-zero; UUIDv7 (time-ordered) ids are recommended.
 */
public final class RequestIds
{
    private RequestIds()
    {
    }

    public static String format(final long hi, final long lo)
    {
        return new UUID(hi, lo).toString();
    }

    /** Parses the UUID form; throws {@link IllegalArgumentException} naming the input when it is not one. */
    public static UUID parse(final String text)
    {
        try
        {
            return UUID.fromString(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(
                "requestId: " + text + " (expected: 32 hex digits in UUID form, e.g. 0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f)", ex);
        }
    }
}
