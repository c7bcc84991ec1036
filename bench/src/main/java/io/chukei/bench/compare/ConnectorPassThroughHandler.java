package io.chukei.bench.compare;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.AcceptedEncoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.ForwardEncoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.HelloDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.WelcomeEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.Map;
import java.util.UUID;

/**
 * One connector session of the {@link MinimalRelay}: Hello → Welcome, Submit → Accepted at once
 * plus a Forward to card management, heartbeats when idle. Anything unreadable closes the
 * connection; nothing is validated, journaled, deduplicated or rate limited.
 */
final class ConnectorPassThroughHandler extends ChannelInboundHandlerAdapter
{
    static final int HEARTBEAT_MS = 1000;
    private static final int MAX_IN_FLIGHT = 1_000_000;
    private static final int FORWARD_OVERHEAD = 64;

    private final Channel upstream;
    private final Map<UUID, Channel> pending;
    private final MessageReader reader = new MessageReader();
    private final FrameWriter writer = new FrameWriter();
    private final WelcomeEncoder welcome = new WelcomeEncoder();
    private final AcceptedEncoder accepted = new AcceptedEncoder();
    private final ForwardEncoder forward = new ForwardEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final byte[] municipalityCode = new byte[SubmitDecoder.municipalityCodeLength()];

    ConnectorPassThroughHandler(final Channel upstream, final Map<UUID, Channel> pending)
    {
        this.upstream = upstream;
        this.pending = pending;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf message = (ByteBuf)msg;
        try
        {
            if (reader.wrap(message) != ErrorCode.NO_ERROR)
            {
                ctx.close();
                return;
            }
            switch (reader.templateId())
            {
                case HelloDecoder.TEMPLATE_ID -> hello(ctx, reader.hello());
                case SubmitDecoder.TEMPLATE_ID -> submit(ctx, reader.submit());
                default ->
                {
                    // Heartbeats and status queries: the limit case does not need them.
                }
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof IdleStateEvent)
        {
            final ByteBuf buf = ctx.alloc().buffer(32);
            writer.begin(buf, heartbeat, HeartbeatEncoder.BLOCK_LENGTH)
                .timestampEpochMs(System.currentTimeMillis()).nodeState(NodeState.ACTIVE);
            writer.finish(heartbeat);
            ctx.writeAndFlush(buf);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    private void hello(final ChannelHandlerContext ctx, final HelloDecoder hello)
    {
        final ByteBuf buf = ctx.alloc().buffer(64);
        writer.begin(buf, welcome, WelcomeEncoder.BLOCK_LENGTH + 16)
            .nodeId(MinimalRelay.NODE_ID)
            .sessionId(ctx.channel().hashCode())
            .heartbeatIntervalMs(HEARTBEAT_MS)
            .maxFrameLength(MinimalRelay.MAX_FRAME_LENGTH)
            .maxInFlight(MAX_IN_FLIGHT)
            .durability(Durability.PROCESS)
            .nodesCount(0);
        writer.finish(welcome);
        ctx.write(buf);
    }

    private void submit(final ChannelHandlerContext ctx, final SubmitDecoder submit)
    {
        final long hi = submit.requestId().hi();
        final long lo = submit.requestId().lo();
        submit.getMunicipalityCode(municipalityCode, 0);
        // Registered before the Forward leaves, so the Outcome always finds its connector.
        pending.put(new UUID(hi, lo), ctx.channel());

        final int length = reader.length();
        final ByteBuf frame = upstream.alloc().buffer(FORWARD_OVERHEAD + length);
        final ForwardEncoder f = writer.begin(frame, forward, FORWARD_OVERHEAD + length);
        f.requestId().hi(hi).lo(lo);
        f.nodeId(MinimalRelay.NODE_ID)
            .putMunicipalityCode(municipalityCode, 0)
            .operation(submit.operation())
            .priority(submit.priority())
            .possibleDuplicate(submit.possibleDuplicate())
            .forwardAttempt(1)
            .deadlineEpochMs(submit.deadlineEpochMs())
            .putSubmit(reader.buffer(), 0, length);
        writer.finish(f);
        upstream.writeAndFlush(frame, upstream.voidPromise());

        final ByteBuf buf = ctx.alloc().buffer(64);
        final AcceptedEncoder a = writer.begin(buf, accepted, AcceptedEncoder.BLOCK_LENGTH);
        a.requestId().hi(hi).lo(lo);
        a.nodeId(MinimalRelay.NODE_ID).journalPosition(0).durability(Durability.PROCESS).alreadyKnown(BooleanType.FALSE);
        writer.finish(a);
        ctx.write(buf);
    }
}
