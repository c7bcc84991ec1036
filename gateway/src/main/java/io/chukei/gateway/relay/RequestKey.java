package io.chukei.gateway.relay;

import io.chukei.protocol.codec.RequestIds;

/** A 128-bit request id as a map key. */
public record RequestKey(long hi, long lo)
{
    @Override
    public int hashCode()
    {
        // Request ids are random or time-ordered: mixing both halves spreads them well.
        final long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        return (int)(h ^ (h >>> 32));
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof RequestKey && ((RequestKey)other).hi == hi && ((RequestKey)other).lo == lo;
    }

    @Override
    public String toString()
    {
        return RequestIds.format(hi, lo);
    }
}
