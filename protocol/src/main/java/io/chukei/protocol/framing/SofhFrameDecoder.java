package io.chukei.protocol.framing;

import io.chukei.protocol.sbe.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits a byte stream into SOFH frames and emits each frame's SBE part (message header and
 * body, without the 6-byte SOFH header) as a retained slice: no copy.
 *
 * <p>Violations are passed down the pipeline as a {@link SofhFrameException} through
 * {@code exceptionCaught}, at once (fail fast), once per bad frame and in stream order with
 * the frames around it; decoding then goes on with the bytes already received:
 * <ul>
 *   <li>length above the maximum: {@link ErrorCode#FRAME_TOO_LARGE}; the frame's bytes are
 *       discarded as they arrive, never buffered, and decoding resumes after it;</li>
 *   <li>length of at least 6 but shorter than an SBE message header:
 *       {@link ErrorCode#FRAME_TOO_SHORT}, skipped likewise;</li>
 *   <li>length below 6, or an encoding type other than 0xEB50: fatal
 *       ({@link ErrorCode#FRAME_TOO_SHORT}, {@link ErrorCode#UNSUPPORTED_ENCODING}); everything
 *       that follows is discarded, since the stream can no longer be framed.</li>
 * </ul>
 */
public final class SofhFrameDecoder extends ByteToMessageDecoder
{
    private final int maxFrameLength;
    private long bytesToDiscard;
    private boolean corrupted;

    public SofhFrameDecoder(final int maxFrameLength)
    {
        this.maxFrameLength = SofhFrame.checkMaxFrameLength(maxFrameLength);
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        if (corrupted)
        {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (bytesToDiscard > 0)
        {
            discard(in);
            if (bytesToDiscard > 0)
            {
                return;
            }
        }
        if (in.readableBytes() < SofhFrame.HEADER_LENGTH)
        {
            return;
        }

        final int start = in.readerIndex();
        final long frameLength = SofhFrame.frameLength(in, start);
        final int encodingType = SofhFrame.encodingType(in, start);
        if (frameLength < SofhFrame.HEADER_LENGTH)
        {
            fatal(ctx, ErrorCode.FRAME_TOO_SHORT, frameLength, in,
                "frame length: " + frameLength + " (expected: >= " + SofhFrame.MIN_FRAME_LENGTH + ")");
            return;
        }
        if (encodingType != SofhFrame.SBE_LITTLE_ENDIAN)
        {
            fatal(ctx, ErrorCode.UNSUPPORTED_ENCODING, frameLength, in,
                "encoding type: 0x" + Integer.toHexString(encodingType) + " (expected: 0xeb50, SBE little-endian)");
            return;
        }
        if (frameLength > maxFrameLength)
        {
            bytesToDiscard = frameLength;
            discard(in);
            ctx.fireExceptionCaught(new SofhFrameException(ErrorCode.FRAME_TOO_LARGE, frameLength, false,
                "frame length: " + frameLength + " (expected: <= " + maxFrameLength + ")"));
            return;
        }
        if (frameLength < SofhFrame.MIN_FRAME_LENGTH)
        {
            bytesToDiscard = frameLength;
            discard(in);
            ctx.fireExceptionCaught(new SofhFrameException(ErrorCode.FRAME_TOO_SHORT, frameLength, false,
                "frame length: " + frameLength + " (expected: >= " + SofhFrame.MIN_FRAME_LENGTH + ")"));
            return;
        }
        if (in.readableBytes() < frameLength)
        {
            return;
        }
        in.skipBytes(SofhFrame.HEADER_LENGTH);
        out.add(in.readRetainedSlice((int)frameLength - SofhFrame.HEADER_LENGTH));
    }

    private void discard(final ByteBuf in)
    {
        final int skip = (int)Math.min(bytesToDiscard, in.readableBytes());
        in.skipBytes(skip);
        bytesToDiscard -= skip;
    }

    private void fatal(
        final ChannelHandlerContext ctx,
        final ErrorCode errorCode,
        final long frameLength,
        final ByteBuf in,
        final String message)
    {
        corrupted = true;
        in.skipBytes(in.readableBytes());
        ctx.fireExceptionCaught(new SofhFrameException(errorCode, frameLength, true, message));
    }
}
