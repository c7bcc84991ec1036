package io.chukei.protocol.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Prepends a SOFH header to an outbound SBE message (header and body). The body is passed on
 * as is, retained, so nothing is copied; the header is a separate 6-byte buffer and the two
 * go out in one gathering write.
 *
 * <p>Code that builds frames itself with {@link io.chukei.protocol.codec.FrameWriter} writes
 * the header in place and does not need this encoder.
 */
@ChannelHandler.Sharable
public final class SofhFrameEncoder extends MessageToMessageEncoder<ByteBuf>
{
    private final int maxFrameLength;

    public SofhFrameEncoder(final int maxFrameLength)
    {
        super(ByteBuf.class);
        this.maxFrameLength = SofhFrame.checkMaxFrameLength(maxFrameLength);
    }

    @Override
    protected void encode(final ChannelHandlerContext ctx, final ByteBuf sbeMessage, final List<Object> out)
    {
        final int frameLength = SofhFrame.HEADER_LENGTH + sbeMessage.readableBytes();
        if (frameLength > maxFrameLength)
        {
            throw new IllegalArgumentException(
                "frame length: " + frameLength + " (expected: <= " + maxFrameLength + ")");
        }
        final ByteBuf header = ctx.alloc().buffer(SofhFrame.HEADER_LENGTH);
        SofhFrame.putHeader(header, header.writerIndex(), frameLength);
        header.writerIndex(header.writerIndex() + SofhFrame.HEADER_LENGTH);
        out.add(header);
        out.add(sbeMessage.retain());
    }
}
