package io.chukei.bench.loadgen;

import io.chukei.bench.rawclient.RawConnectorHandler;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.RedirectDecoder;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.RequestIdDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One municipality's raw session: collects the Submits of an event-loop turn into one outgoing buffer (one TLS
 * record and one write per turn, not per request), and decodes answers in place into the run's recorders by the
 * schedule index their id carries. Sends a Heartbeat when it has written nothing for a while (the relay closes a
 * silent session). Event-loop confined, except the counters and state read for progress and the end of the run.
 */
final class RawConnection extends RawConnectorHandler
{
    private static final int INITIAL_OUT_BYTES = 4096;
    private static final String CONNECTOR_NAME = "chukei-loadgen-raw/0.1";

    private final String municipality;
    private final byte[] municipalityBytes;
    private final RawRequestIds ids;
    private final RunRecorders recorders;
    private final FrameWriter writer;
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final AtomicLong foreignAnswers = new AtomicLong();
    private Channel channel;
    private ByteBuf out;
    private boolean dirty;
    private long lastWriteNs = System.nanoTime();
    private volatile boolean open;
    private volatile String closedBecause;

    private RawConnection(final String municipality, final RawRequestIds ids, final RunRecorders recorders, final FrameWriter writer,
        final CompletableFuture<Void> welcomed)
    {
        super(writer, municipality, CONNECTOR_NAME, welcomed);
        this.municipality = municipality;
        this.municipalityBytes = RawFrameTemplates.municipalityBytes(municipality);
        this.ids = ids;
        this.recorders = recorders;
        this.writer = writer;
    }

    static RawConnection create(final String municipality, final RawRequestIds ids, final RunRecorders recorders,
        final CompletableFuture<Void> welcomed)
    {
        return new RawConnection(municipality, ids, recorders, new FrameWriter(), welcomed);
    }

    String municipality()
    {
        return municipality;
    }

    /** Welcomed and not closed since. */
    boolean open()
    {
        return open;
    }

    /** Why the session ended (null while it lasts). */
    String closedBecause()
    {
        return closedBecause;
    }

    /** Answers whose id this run did not send (counted, otherwise ignored). */
    long foreignAnswers()
    {
        return foreignAnswers.get();
    }

    /** Appends a Submit for the turn's write; false when the session is not open (the caller counts the request as failed). */
    boolean append(final RawFrameTemplates templates, final int template, final long index, final long deadlineEpochMs)
    {
        if (!open)
        {
            return false;
        }
        if (out == null)
        {
            out = channel.alloc().directBuffer(Math.max(INITIAL_OUT_BYTES, templates.length(template)));
        }
        templates.append(out, template, ids.hi(), ids.lo(index), municipalityBytes, deadlineEpochMs);
        return true;
    }

    /** Marks this connection as written in the current turn; true the first time in the turn. */
    boolean markDirty()
    {
        if (dirty)
        {
            return false;
        }
        dirty = true;
        return true;
    }

    /** Writes and flushes what the turn appended. */
    void flush(final long nowNs)
    {
        dirty = false;
        if (out != null)
        {
            final ByteBuf turn = out;
            out = null;
            if (open)
            {
                channel.writeAndFlush(turn, channel.voidPromise());
                lastWriteNs = nowNs;
            }
            else
            {
                turn.release();
            }
        }
    }

    /** Sends a Heartbeat when nothing was written for {@code idleNs}. */
    void heartbeatIfIdle(final long nowNs, final long idleNs)
    {
        if (open && nowNs - lastWriteNs >= idleNs)
        {
            final ByteBuf frame = channel.alloc().directBuffer(32);
            writer.begin(frame, heartbeat, HeartbeatEncoder.BLOCK_LENGTH)
                .timestampEpochMs(System.currentTimeMillis()).nodeState(NodeState.ACTIVE);
            writer.finish(heartbeat);
            channel.writeAndFlush(frame, channel.voidPromise());
            lastWriteNs = nowNs;
        }
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
    }

    @Override
    protected void onMessage(final MessageReader message)
    {
        switch (message.templateId())
        {
            case WelcomeDecoder.TEMPLATE_ID -> open = true;
            case AcceptedDecoder.TEMPLATE_ID, ResultDecoder.TEMPLATE_ID, RejectedDecoder.TEMPLATE_ID, RedirectDecoder.TEMPLATE_ID ->
                answer(message);
            case GoAwayDecoder.TEMPLATE_ID -> closedBecause = "GoAway " + message.goAway().code();
            default ->
            {
                // Heartbeat, ClusterView: nothing to do for a single-target raw run.
            }
        }
    }

    private void answer(final MessageReader message)
    {
        final RequestIdDecoder id = switch (message.templateId())
        {
            case AcceptedDecoder.TEMPLATE_ID -> message.accepted().requestId();
            case ResultDecoder.TEMPLATE_ID -> message.result().requestId();
            case RejectedDecoder.TEMPLATE_ID -> message.rejected().requestId();
            default -> message.redirect().requestId();
        };
        final long lo = id.lo();
        final long index = RawRequestIds.index(lo);
        if (!ids.ours(id.hi(), lo) || index >= recorders.schedule().size())
        {
            // A Rejected about the session (id all zero) or an id this run never sent.
            foreignAnswers.incrementAndGet();
            return;
        }
        switch (message.templateId())
        {
            case AcceptedDecoder.TEMPLATE_ID -> recorders.accepted(index, System.nanoTime());
            case ResultDecoder.TEMPLATE_ID -> recorders.result(index, System.nanoTime(), message.result().status());
            case RejectedDecoder.TEMPLATE_ID -> recorders.rejected(index, message.rejected().code(), false);
            // A draining node takes no new work: a raw run does not follow redirects, so the request failed.
            default -> recorders.failed(index);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        open = false;
        if (closedBecause == null)
        {
            closedBecause = "closed by the node";
        }
        if (out != null)
        {
            out.release();
            out = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void onFailure(final Throwable cause)
    {
        closedBecause = String.valueOf(cause);
    }
}
