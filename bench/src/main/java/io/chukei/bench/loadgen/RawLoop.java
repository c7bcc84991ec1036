package io.chukei.bench.loadgen;

import io.netty.channel.EventLoop;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The hand-over from the send loop to one event loop of the raw sender, with no object per request: the send
 * thread puts (schedule index, municipality rank, template) into a single-producer ring of primitives and, when
 * the loop is not already due to drain, schedules the loop's one drain task. The drain, on the event loop, appends
 * every queued Submit to its connection's buffer, then writes and flushes each connection once: requests that
 * arrive together leave together.
 */
final class RawLoop implements MessageHandler, Runnable
{
    private static final int RECORD_BYTES = 16;
    /** About 43,000 queued requests (24 bytes each with the ring's header): seconds of the highest rates here. */
    private static final int RING_BYTES = 1 << 20;
    private static final long HEARTBEAT_CHECK_MS = 100;

    private final EventLoop loop;
    private final RingBuffer ring = new OneToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final RawConnection[] connectionsByRank;
    private final List<RawConnection> own = new ArrayList<>();
    private final RawConnection[] dirty;
    private final RawFrameTemplates templates;
    private final RunRecorders recorders;
    private final long timeoutMs;
    private final long heartbeatIdleNs;
    private int dirtyCount;
    private long deadlineEpochMs;
    private ScheduledFuture<?> heartbeats;

    RawLoop(final EventLoop loop, final RawConnection[] connectionsByRank, final RawFrameTemplates templates,
        final RunRecorders recorders, final long timeoutMs, final long heartbeatIdleMs)
    {
        this.loop = loop;
        this.connectionsByRank = connectionsByRank;
        this.dirty = new RawConnection[connectionsByRank.length];
        this.templates = templates;
        this.recorders = recorders;
        this.timeoutMs = timeoutMs;
        this.heartbeatIdleNs = TimeUnit.MILLISECONDS.toNanos(heartbeatIdleMs);
    }

    EventLoop eventLoop()
    {
        return loop;
    }

    /** A connection whose channel is registered on this loop (before the run starts). */
    void own(final RawConnection connection)
    {
        own.add(connection);
    }

    void startHeartbeats()
    {
        heartbeats = loop.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_CHECK_MS, HEARTBEAT_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    void stopHeartbeats()
    {
        if (heartbeats != null)
        {
            heartbeats.cancel(false);
        }
    }

    /** Send thread: queues a Submit; waits (spinning) while the ring is full, which shows as latency, never as a lost send. */
    void offer(final long index, final int rank, final int template)
    {
        int claimed;
        while ((claimed = ring.tryClaim(1, RECORD_BYTES)) < 0)
        {
            scheduleDrain();
            Thread.onSpinWait();
        }
        final var buffer = ring.buffer();
        buffer.putLong(claimed, index);
        buffer.putInt(claimed + Long.BYTES, rank);
        buffer.putInt(claimed + Long.BYTES + Integer.BYTES, template);
        ring.commit(claimed);
        scheduleDrain();
    }

    private void scheduleDrain()
    {
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true))
        {
            loop.execute(this);
        }
    }

    /** The drain task, on the event loop. */
    @Override
    public void run()
    {
        // Cleared before reading: a request queued after the read started schedules another drain.
        drainScheduled.set(false);
        deadlineEpochMs = System.currentTimeMillis() + timeoutMs;
        ring.read(this);
        final long nowNs = System.nanoTime();
        for (int i = 0; i < dirtyCount; i++)
        {
            dirty[i].flush(nowNs);
            dirty[i] = null;
        }
        dirtyCount = 0;
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final long index = buffer.getLong(offset);
        final RawConnection connection = connectionsByRank[buffer.getInt(offset + Long.BYTES)];
        if (!connection.append(templates, buffer.getInt(offset + Long.BYTES + Integer.BYTES), index, deadlineEpochMs))
        {
            recorders.failed(index);
            return;
        }
        if (connection.markDirty())
        {
            dirty[dirtyCount++] = connection;
        }
    }

    private void heartbeat()
    {
        final long nowNs = System.nanoTime();
        for (int i = 0; i < own.size(); i++)
        {
            own.get(i).heartbeatIfIdle(nowNs, heartbeatIdleNs);
        }
    }
}
