package io.chukei.bench.rawclient;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The frames a hand-written connector sends: Hello once TLS is up, and a CARD_STATUS Submit outside any batch with
 * no personal fields. Encoded in place through the caller's (event-loop confined) writer and encoder.
 */
public final class RawFrames
{
    /** Room for one Submit these methods write, body and framing included. */
    public static final int MAX_SUBMIT_BODY = 256;

    private RawFrames()
    {
    }

    /** Writes and flushes a Hello for {@code municipality}, naming the connector {@code connectorName}. */
    public static void hello(final Channel channel, final FrameWriter writer, final String municipality,
        final String connectorName)
    {
        final ByteBuf buffer = channel.alloc().directBuffer(128);
        final HelloEncoder hello = writer.begin(buffer, new HelloEncoder(), 64);
        hello.municipalityCode(municipality).heartbeatIntervalMs(1000).connectorName(connectorName);
        writer.finish(hello);
        channel.writeAndFlush(buffer, channel.voidPromise());
    }

    /** Appends one framed CARD_STATUS Submit for request id (hi, lo) to {@code buffer}. */
    public static void cardStatus(final FrameWriter writer, final SubmitEncoder submit, final ByteBuf buffer,
        final long idHi, final long idLo, final String municipality, final String cardId, final long deadlineEpochMs)
    {
        writer.begin(buffer, submit, MAX_SUBMIT_BODY);
        submit.requestId().hi(idHi).lo(idLo);
        submit.municipalityCode(municipality).operation(Operation.CARD_STATUS).priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE).attempt(1).deadlineEpochMs(deadlineEpochMs)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue())
            .personalNumber("").residentCode("").dateOfBirth("");
        submit.nameKanji("").nameKana("").address("").cardId(cardId).applicationId("");
        submit.putPinBlock(new byte[0], 0, 0);
        writer.finish(submit);
    }
}
