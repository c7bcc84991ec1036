package io.chukei.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * The frames one connection is given during one turn of its event loop, encoded one after another into one buffer
 * and written with one write and one flush when the turn's tasks run.
 * <p>
 * Why: an upstream link carries every request of its loop, tens of Forwards per turn under load. Written one by one,
 * each Forward was a pooled buffer of its own, an entry in the channel's outbound buffer, a pass down the pipeline and
 * an iovec of the {@code writev}, then a release (bench/README.md, <i>Forwards gathered per turn</i>); gathered, those
 * costs are paid once per turn. A frame is never held past the turn it was encoded in, as the flush consolidation
 * this replaces did not hold a flush.
 * <p>
 * Frames are for the connection they were encoded for: when the link's connection changes or is lost, the frames not
 * yet written are dropped ({@link #discard()}), as a write to a closed connection would have been; their attempts are
 * moved to another link by the link itself. Confined to the link's event loop.
 */
final class FrameBatch
{
    /** Room for a turn's Forwards at a moderate load without growing the buffer. */
    static final int INITIAL_BYTES = 16 * 1024;
    /** A batch this large is written out (not yet flushed) and a new one begun: no unbounded buffer in a burst. */
    static final int WRITE_OUT_BYTES = 64 * 1024;

    private final EventLoop loop;
    private final Runnable flushTask = this::flush;
    private Channel channel;
    private ByteBuf pending;
    private boolean flushScheduled;
    private boolean writtenUnflushed;
    private long frames;
    private long writes;

    FrameBatch(final EventLoop loop)
    {
        this.loop = loop;
    }

    /**
     * The buffer to encode the next frame for {@code ch} into, at its writer index, with room for at least
     * {@code frameBytes}; the turn's flush is scheduled. Call on the loop. A frame whose encoding fails must leave the
     * writer index where it found it ({@link #truncate}).
     */
    ByteBuf buffer(final Channel ch, final int frameBytes)
    {
        if (ch != channel)
        {
            discard();
            channel = ch;
        }
        if (pending != null && pending.readableBytes() + frameBytes > WRITE_OUT_BYTES)
        {
            writeOut();
        }
        if (pending == null)
        {
            pending = ch.alloc().buffer(Math.max(INITIAL_BYTES, frameBytes));
        }
        if (!flushScheduled)
        {
            flushScheduled = true;
            loop.execute(flushTask);
        }
        frames++;
        return pending;
    }

    /** Takes back what was encoded after {@code writerIndex} (a frame that must not be sent after all). */
    void truncate(final int writerIndex)
    {
        pending.writerIndex(writerIndex);
        frames--;
    }

    /** Drops the frames not yet written: their connection is gone. */
    void discard()
    {
        if (pending != null)
        {
            pending.release();
            pending = null;
        }
        writtenUnflushed = false;
    }

    /** Frames given to this batch, and the writes they went out in (for tests). */
    long frames()
    {
        return frames;
    }

    long writes()
    {
        return writes;
    }

    /** The turn's end: what is gathered goes out, with one flush. */
    private void flush()
    {
        flushScheduled = false;
        final Channel ch = channel;
        if (ch == null)
        {
            return;
        }
        if (pending != null && !ch.isActive())
        {
            discard();
            return;
        }
        writeOut();
        if (writtenUnflushed)
        {
            writtenUnflushed = false;
            ch.flush();
        }
    }

    private void writeOut()
    {
        final ByteBuf out = pending;
        pending = null;
        if (out == null)
        {
            return;
        }
        if (!out.isReadable())
        {
            out.release();
            return;
        }
        writes++;
        writtenUnflushed = true;
        channel.write(out, channel.voidPromise());
    }
}
