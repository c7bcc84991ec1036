package io.chukei.gateway.fuzz;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Hands out unpooled buffers and remembers each, so a fuzz input that leaves one unreleased fails at once
 * and reproducibly, not when a garbage collection happens to find it (as Netty's leak detector does).
 * One per input; not thread-safe (an EmbeddedChannel runs on the calling thread).
 */
public final class TrackingAllocator extends AbstractByteBufAllocator
{
    private final List<ByteBuf> handedOut = new ArrayList<>();

    public TrackingAllocator()
    {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
    {
        return track(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
    {
        return track(UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled()
    {
        return false;
    }

    private ByteBuf track(final ByteBuf buffer)
    {
        handedOut.add(buffer);
        return buffer;
    }

    /** Buffers handed out so far that still hold a reference. */
    public int unreleased()
    {
        int count = 0;
        for (final ByteBuf buffer : handedOut)
        {
            count += buffer.refCnt() > 0 ? 1 : 0;
        }
        return count;
    }

    /** Throws when a buffer handed out is still referenced: a leak this input provokes. */
    public void assertAllReleased(final String where)
    {
        final int unreleased = unreleased();
        if (unreleased > 0)
        {
            throw new AssertionError(where + ": " + unreleased + " of " + handedOut.size() + " buffers not released");
        }
    }
}
