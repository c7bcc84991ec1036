package io.chukei.protocol.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayList;
import java.util.List;

/** Test handler that copies every decoded frame and records every decoder error. */
final class FrameCapture extends ChannelInboundHandlerAdapter
{
    final List<byte[]> frames = new ArrayList<>();
    final List<SofhFrameException> errors = new ArrayList<>();
    final List<Throwable> unexpected = new ArrayList<>();

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            final byte[] copy = new byte[frame.readableBytes()];
            frame.readBytes(copy);
            frames.add(copy);
        }
        finally
        {
            frame.release();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof SofhFrameException)
        {
            errors.add((SofhFrameException)cause);
        }
        else
        {
            unexpected.add(cause);
        }
    }
}
