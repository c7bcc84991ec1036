package io.chukei.bench.compare;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.chukei.protocol.sbe.ResultEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Map;
import java.util.UUID;

/** The {@link MinimalRelay}'s one card-management connection: each Outcome becomes a Result to the connector that sent the request. */
final class UpstreamOutcomeHandler extends ChannelInboundHandlerAdapter
{
    private static final int RESULT_OVERHEAD = 64;

    private final Map<UUID, Channel> pending;
    private final MessageReader reader = new MessageReader();
    private final FrameWriter writer = new FrameWriter();
    private final ResultEncoder result = new ResultEncoder();
    private final UnsafeBuffer detail = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);

    UpstreamOutcomeHandler(final Map<UUID, Channel> pending)
    {
        this.pending = pending;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf message = (ByteBuf)msg;
        try
        {
            if (reader.wrap(message) == ErrorCode.NO_ERROR && reader.templateId() == OutcomeDecoder.TEMPLATE_ID)
            {
                outcome(reader.outcome());
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    private void outcome(final OutcomeDecoder outcome)
    {
        final long hi = outcome.requestId().hi();
        final long lo = outcome.requestId().lo();
        final Channel connector = pending.remove(new UUID(hi, lo));
        if (connector == null)
        {
            return;
        }
        // Schema order: the fixed block, then detail, then payload.
        outcome.wrapDetail(detail);
        outcome.wrapPayload(payload);
        final int varLength = detail.capacity() + payload.capacity();
        final ByteBuf buf = connector.alloc().buffer(RESULT_OVERHEAD + varLength);
        final ResultEncoder r = writer.begin(buf, result, RESULT_OVERHEAD + varLength);
        r.requestId().hi(hi).lo(lo);
        r.nodeId(MinimalRelay.NODE_ID)
            .status(outcome.status())
            .upstreamCode(outcome.upstreamCode())
            .completedEpochMs(System.currentTimeMillis())
            .putDetail(detail, 0, detail.capacity())
            .putPayload(payload, 0, payload.capacity());
        writer.finish(r);
        connector.writeAndFlush(buf, connector.voidPromise());
    }
}
