package io.chukei.bench.codec;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrameException;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The handler after {@link io.chukei.protocol.framing.SofhFrameDecoder} in the decode benchmark:
 * checks each frame with {@link MessageReader}, reads every Submit field and releases the frame,
 * as the relay's session handler does. Remembers the last outcome so a test can tell a decoded
 * frame from a rejected one.
 */
final class SubmitFrameConsumer extends ChannelInboundHandlerAdapter
{
    private final MessageReader reader = new MessageReader();
    private final SubmitFields fields = new SubmitFields();
    private ErrorCode lastCode = ErrorCode.NULL_VAL;
    private long frames;
    private long checksum;

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            frames++;
            lastCode = reader.wrap(frame);
            if (lastCode == ErrorCode.NO_ERROR && reader.templateId() == SubmitDecoder.TEMPLATE_ID)
            {
                checksum += fields.readAll(reader.submit());
            }
        }
        finally
        {
            frame.release();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        lastCode = cause instanceof SofhFrameException ? ((SofhFrameException)cause).errorCode() : ErrorCode.NULL_VAL;
    }

    /** What {@link MessageReader} or the frame decoder said about the last frame; NULL_VAL before any. */
    ErrorCode lastCode()
    {
        return lastCode;
    }

    long frames()
    {
        return frames;
    }

    long checksum()
    {
        return checksum;
    }
}
