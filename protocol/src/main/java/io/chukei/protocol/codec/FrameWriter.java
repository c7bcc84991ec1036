package io.chukei.protocol.codec;

import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageEncoderFlyweight;

import java.nio.ByteOrder;

/**
 * Encodes one SBE message straight into a Netty buffer, SOFH header included, with no
 * intermediate copy:
 *
 * <pre>{@code
 * SubmitEncoder submit = writer.begin(buf, submitEncoder, maxBodyLength);
 * submit.requestId().hi(1).lo(2); ...
 * writer.finish(submit);
 * }</pre>
 *
 * Not thread-safe: one writer per thread (an event loop owns one). The caller states the
 * largest body it may write; writing beyond it throws, as a programming error.
 */
public final class FrameWriter
{
    private static final int PREFIX_LENGTH = SofhFrame.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;

    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private ByteBuf target;
    private int frameStart;

    /** Starts a frame at {@code target}'s writer index and returns {@code encoder} wrapped on its body. */
    public <T extends MessageEncoderFlyweight> T begin(final ByteBuf target, final T encoder, final int maxBodyLength)
    {
        if (maxBodyLength < encoder.sbeBlockLength())
        {
            throw new IllegalArgumentException(
                "maxBodyLength: " + maxBodyLength + " (expected: >= " + encoder.sbeBlockLength() + ")");
        }
        final int capacity = PREFIX_LENGTH + maxBodyLength;
        target.ensureWritable(capacity);
        this.target = target;
        this.frameStart = target.writerIndex();
        ByteBufAccess.wrap(view, target, frameStart, capacity);
        header.wrap(view, SofhFrame.HEADER_LENGTH)
            .blockLength(encoder.sbeBlockLength())
            .templateId(encoder.sbeTemplateId())
            .schemaId(encoder.sbeSchemaId())
            .version(encoder.sbeSchemaVersion());
        encoder.wrap(view, PREFIX_LENGTH);
        return encoder;
    }

    /** Completes the frame begun last: writes the SOFH header and advances the writer index. */
    public int finish(final MessageEncoderFlyweight encoder)
    {
        final int frameLength = PREFIX_LENGTH + encoder.encodedLength();
        view.putInt(SofhFrame.LENGTH_OFFSET, frameLength, ByteOrder.BIG_ENDIAN);
        view.putShort(SofhFrame.ENCODING_TYPE_OFFSET, (short)SofhFrame.SBE_LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
        target.writerIndex(frameStart + frameLength);
        target = null;
        view.wrap(0, 0);
        return frameLength;
    }
}
