package io.chukei.gateway.fuzz;

import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Splits a fuzz input into the reads a socket might deliver: the first byte picks the read size (1-64
 * bytes), so the fuzzer also explores frames and requests cut at every point.
 */
final class Chunks
{
    private Chunks()
    {
    }

    static void feed(final byte[] data, final ByteBufAllocator alloc, final Consumer<ByteBuf> read)
    {
        if (data.length == 0)
        {
            return;
        }
        final int size = (data[0] & 0x3F) + 1;
        for (int offset = 1; offset < data.length; offset += size)
        {
            final int length = Math.min(size, data.length - offset);
            final ByteBuf buffer = alloc.buffer(length);
            buffer.writeBytes(data, offset, length);
            read.accept(buffer);
        }
    }
}
