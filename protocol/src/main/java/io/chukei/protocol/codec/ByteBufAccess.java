package io.chukei.protocol.codec;

import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Points an Agrona {@link UnsafeBuffer} at a region of a Netty {@link ByteBuf} without
 * copying, so SBE flyweights read and write Netty's memory directly.
 *
 * <p>The view is only valid while the ByteBuf is alive and its region is not reallocated:
 * callers wrap, use and drop the view within one operation.
 */
public final class ByteBufAccess
{
    private ByteBufAccess()
    {
    }

    /** Wraps {@code length} bytes of {@code buffer} starting at absolute {@code index}. */
    public static void wrap(final UnsafeBuffer view, final ByteBuf buffer, final int index, final int length)
    {
        if (buffer.hasMemoryAddress())
        {
            view.wrap(buffer.memoryAddress() + index, length);
        }
        else if (buffer.hasArray())
        {
            view.wrap(buffer.array(), buffer.arrayOffset() + index, length);
        }
        else
        {
            // Composite or otherwise unusual buffers: an NIO view of exactly this region.
            view.wrap(buffer.nioBuffer(index, length));
        }
    }

    /** Wraps the readable bytes of {@code buffer}. */
    public static void wrapReadable(final UnsafeBuffer view, final ByteBuf buffer)
    {
        wrap(view, buffer, buffer.readerIndex(), buffer.readableBytes());
    }
}
