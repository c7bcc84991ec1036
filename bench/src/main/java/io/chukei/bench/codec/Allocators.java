package io.chukei.bench.codec;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/** The Netty allocators a benchmark can be run with, by the name its {@code allocator} parameter takes. */
public final class Allocators
{
    /** {@link PooledByteBufAllocator#DEFAULT}. */
    public static final String POOLED = "pooled";
    /** {@link AdaptiveByteBufAllocator}, the default of Netty 4.2 ({@code ByteBufAllocator.DEFAULT}). */
    public static final String ADAPTIVE = "adaptive";

    private Allocators()
    {
    }

    public static ByteBufAllocator forName(final String name)
    {
        switch (name)
        {
            case POOLED: return PooledByteBufAllocator.DEFAULT;
            case ADAPTIVE: return new AdaptiveByteBufAllocator();
            default: throw new IllegalArgumentException(
                "allocator: " + name + " (expected: " + POOLED + " or " + ADAPTIVE + ")");
        }
    }
}
