package io.chukei.bench.loadgen;

import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.RequestIdEncoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Every Submit the raw sender can send, encoded once before the run: one complete frame per kind of the mix and
 * field-value pick of {@link RequestFactory}, all in one read-only direct buffer. A send copies its template into
 * the connection's outgoing buffer and patches the four fields that differ per send (request id, municipality,
 * deadline) in place, so sending builds no request, no encoder state and no string.
 */
final class RawFrameTemplates
{
    static final int ID_HI_OFFSET = SubmitRequest.FRAME_BODY_OFFSET + SubmitEncoder.requestIdEncodingOffset() +
        RequestIdEncoder.hiEncodingOffset();
    static final int ID_LO_OFFSET = SubmitRequest.FRAME_BODY_OFFSET + SubmitEncoder.requestIdEncodingOffset() +
        RequestIdEncoder.loEncodingOffset();
    static final int MUNICIPALITY_OFFSET = SubmitRequest.FRAME_BODY_OFFSET + SubmitEncoder.municipalityCodeEncodingOffset();
    static final int DEADLINE_OFFSET = SubmitRequest.FRAME_BODY_OFFSET + SubmitEncoder.deadlineEpochMsEncodingOffset();
    static final int MUNICIPALITY_LENGTH = SubmitEncoder.municipalityCodeLength();

    private static final UUID PLACEHOLDER_ID = new UUID(0, 0);
    private static final String PLACEHOLDER_MUNICIPALITY = "000000";

    private final ByteBuf frames;
    private final int[] offsets;
    private final int[] lengths;

    /** Encodes every kind of {@code kinds} with every pick of {@code requests}; batch members are not pooled, so none here. */
    RawFrameTemplates(final List<OperationMix.Entry> kinds, final RequestFactory requests)
    {
        final int count = kinds.size() * RequestFactory.POOL_SIZE;
        final byte[][] encoded = new byte[count][];
        int total = 0;
        for (int k = 0; k < kinds.size(); k++)
        {
            for (int pick = 0; pick < RequestFactory.POOL_SIZE; pick++)
            {
                final byte[] frame = requests.pooled(kinds.get(k), pick).encodeFrame(PLACEHOLDER_ID, PLACEHOLDER_MUNICIPALITY, 0);
                encoded[template(k, pick)] = frame;
                total += frame.length;
            }
        }
        this.frames = Unpooled.directBuffer(total, total);
        this.offsets = new int[count];
        this.lengths = new int[count];
        for (int t = 0; t < count; t++)
        {
            offsets[t] = frames.writerIndex();
            lengths[t] = encoded[t].length;
            frames.writeBytes(encoded[t]);
        }
    }

    /** The template of kind {@code kindIndex} (its place in the mix) with pick {@code pick}. */
    static int template(final int kindIndex, final int pick)
    {
        return kindIndex * RequestFactory.POOL_SIZE + pick;
    }

    int count()
    {
        return offsets.length;
    }

    int length(final int template)
    {
        return lengths[template];
    }

    /** The six ASCII bytes of a municipality code, as {@link #append} takes them. */
    static byte[] municipalityBytes(final String code)
    {
        final byte[] bytes = code.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length != MUNICIPALITY_LENGTH)
        {
            throw new IllegalArgumentException("municipality code: '" + code + "' (expected: " + MUNICIPALITY_LENGTH + " characters)");
        }
        return bytes;
    }

    /** Appends template {@code template} to {@code out} as a frame with this id, municipality and deadline. */
    void append(final ByteBuf out, final int template, final long idHi, final long idLo, final byte[] municipality,
        final long deadlineEpochMs)
    {
        final int start = out.writerIndex();
        out.writeBytes(frames, offsets[template], lengths[template]);
        // SBE is little-endian; the SOFH header before the body is not touched.
        out.setLongLE(start + ID_HI_OFFSET, idHi);
        out.setLongLE(start + ID_LO_OFFSET, idLo);
        out.setBytes(start + MUNICIPALITY_OFFSET, municipality);
        out.setLongLE(start + DEADLINE_OFFSET, deadlineEpochMs);
    }

    void release()
    {
        frames.release();
    }
}
