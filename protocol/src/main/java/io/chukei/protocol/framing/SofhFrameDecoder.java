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
 *   <li>length above the maximum, up to 16 times it: {@link ErrorCode#FRAME_TOO_LARGE}; the frame's
 *       bytes are discarded as they arrive, never buffered, and decoding resumes after it;</li>
 *   <li>length above 16 times the maximum, or one that read little-endian is a valid length (a
 *       sender that wrote it little-endian): {@link ErrorCode#FRAME_TOO_LARGE}, fatal: skipping it
 *       would swallow the frames that follow without a word;</li>
 *   <li>length of at least 6 but shorter than an SBE message header:
 *       {@link ErrorCode#FRAME_TOO_SHORT}, skipped likewise;</li>
 *   <li>length below 6, or an encoding type other than 0xEB50: fatal
 *       ({@link ErrorCode#FRAME_TOO_SHORT}, {@link ErrorCode#UNSUPPORTED_ENCODING}); everything
 *       that follows is discarded, since the stream can no longer be framed.</li>
 * </ul>
 */
public final class SofhFrameDecoder extends ByteToMessageDecoder
{
    /** Oversized frames up to this many maximum lengths are skipped; longer ones close the connection. */
    static final int MAX_SKIPPED_FRAMES = 16;

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
        if (frameLength > maxFrameLength && !skippable(frameLength))
        {
            // Skipping would swallow what follows in silence: most likely the length was written
            // little-endian, so the frames after it are fine and nothing would ever answer them.
            final long swapped = Integer.reverseBytes((int)frameLength) & 0xFFFFFFFFL;
            fatal(ctx, ErrorCode.FRAME_TOO_LARGE, frameLength, in, "frame length: " + frameLength + " (expected: <= " +
                maxFrameLength + ", as a big-endian uint32" + (plausible(swapped) ? "; read little-endian it would be " +
                swapped + ": the SOFH length is big-endian" : "") + "); the stream cannot be framed, closing");
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

    /**
     * An oversized frame is skipped (answered, the session goes on) only when it may really be one: at
     * most {@link #MAX_SKIPPED_FRAMES} times the maximum, and not a byte-swapped plausible length.
     */
    private boolean skippable(final long frameLength)
    {
        return frameLength <= (long)maxFrameLength * MAX_SKIPPED_FRAMES &&
            !plausible(Integer.reverseBytes((int)frameLength) & 0xFFFFFFFFL);
    }

    private boolean plausible(final long frameLength)
    {
        return frameLength >= SofhFrame.MIN_FRAME_LENGTH && frameLength <= maxFrameLength;
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
