package io.chukei.bench.admission;

import io.chukei.bench.loadgen.OperationMix;

import java.util.Objects;

/**
 * A steady flow of requests from a block of municipalities: {@code municipalities} consecutive
 * ranks from {@code firstRank}, together sending {@code ratePerSecond}, each request of a kind
 * drawn from {@code mix}.
 */
record Stream(TrafficGroup group, int firstRank, int municipalities, double ratePerSecond, OperationMix mix)
{
    Stream
    {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(mix, "mix");
        if (firstRank < 0)
        {
            throw new IllegalArgumentException("firstRank: " + firstRank + " (expected: >= 0)");
        }
        if (municipalities < 1)
        {
            throw new IllegalArgumentException("municipalities: " + municipalities + " (expected: >= 1)");
        }
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond))
        {
            throw new IllegalArgumentException("ratePerSecond: " + ratePerSecond + " (expected: > 0 and finite)");
        }
    }

    /** Each municipality's share of the stream's rate. */
    double ratePerMunicipality()
    {
        return ratePerSecond / municipalities;
    }
}
