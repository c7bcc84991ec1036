package io.chukei.gateway.node;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/** Hand-built Submits for {@link RawConnector}. */
final class RawSubmits
{
    private RawSubmits()
    {
    }

    /** A valid CARD_STATUS with a fresh random request id. */
    static void cardStatus(final SubmitEncoder submit, final String municipality)
    {
        header(submit, municipality, Operation.CARD_STATUS);
        submit.nameKanji("").nameKana("").address("").cardId("123456789012").applicationId("");
        submit.putPinBlock(new byte[0], 0, 0);
    }

    /** A valid CARD_STATUS with a fresh random request id, as SBE bytes (header and body, no SOFH header). */
    static byte[] cardStatusBytes(final String municipality)
    {
        final ByteBuf frame = Unpooled.buffer();
        try
        {
            final FrameWriter writer = new FrameWriter();
            final SubmitEncoder submit = writer.begin(frame, new SubmitEncoder(), 512);
            cardStatus(submit, municipality);
            writer.finish(submit);
            return ByteBufUtil.getBytes(frame, SofhFrame.HEADER_LENGTH, frame.readableBytes() - SofhFrame.HEADER_LENGTH);
        }
        finally
        {
            frame.release();
        }
    }

    /** {@code message} (SBE header and body) in a SOFH frame. */
    static byte[] frame(final byte[] message)
    {
        final ByteBuffer frame = ByteBuffer.allocate(SofhFrame.HEADER_LENGTH + message.length);
        frame.putInt(SofhFrame.HEADER_LENGTH + message.length).putShort((short)SofhFrame.SBE_LITTLE_ENDIAN).put(message);
        return frame.array();
    }

    static long idHi(final byte[] submit)
    {
        return ByteBuffer.wrap(submit).order(ByteOrder.LITTLE_ENDIAN).getLong(MessageHeaderEncoder.ENCODED_LENGTH);
    }

    static long idLo(final byte[] submit)
    {
        return ByteBuffer.wrap(submit).order(ByteOrder.LITTLE_ENDIAN).getLong(MessageHeaderEncoder.ENCODED_LENGTH + 8);
    }

    /** A CERT_CHANGE with the given personal number and address, valid or not. */
    static void certChange(final SubmitEncoder submit, final String municipality, final String personalNumber,
        final String address)
    {
        header(submit, municipality, Operation.CERT_CHANGE);
        submit.personalNumber(personalNumber);
        submit.nameKanji("").nameKana("").address(address).cardId("123456789012").applicationId("");
        submit.putPinBlock(new byte[0], 0, 0);
    }

    private static void header(final SubmitEncoder submit, final String municipality, final Operation operation)
    {
        submit.requestId().hi(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)).lo(ThreadLocalRandom.current().nextLong());
        submit.municipalityCode(municipality).operation(operation).priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE).attempt(1).deadlineEpochMs(System.currentTimeMillis() + 30_000)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue())
            // Absent fixed fields are all NUL; the frame buffer is not zeroed, so say so explicitly.
            .personalNumber("").residentCode("").dateOfBirth("");
    }
}
