package io.chukei.protocol.client.outbox;

import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;

/** Submit frames as the SDK encodes them, for outbox tests that run without a client. */
final class TestFrames
{
    private TestFrames()
    {
    }

    static byte[] cardIssue(final UUID id, final String municipality, final long deadlineEpochMs)
    {
        return encode(id, municipality, deadlineEpochMs, SubmitEncoder.batchIdNullValue(),
            SubmitEncoder.batchSequenceNullValue(), SubmitEncoder.batchSizeNullValue());
    }

    static byte[] batchMember(final UUID id, final String municipality, final long batchId, final long sequence, final long size)
    {
        return encode(id, municipality, Long.MAX_VALUE, batchId, sequence, size);
    }

    private static byte[] encode(final UUID id, final String municipality, final long deadlineEpochMs, final long batchId,
        final long sequence, final long size)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        new MessageHeaderEncoder().wrap(buffer, SofhFrame.HEADER_LENGTH)
            .blockLength(SubmitEncoder.BLOCK_LENGTH)
            .templateId(SubmitEncoder.TEMPLATE_ID)
            .schemaId(SubmitEncoder.SCHEMA_ID)
            .version(SubmitEncoder.SCHEMA_VERSION);
        final SubmitEncoder submit = new SubmitEncoder().wrap(buffer, OutboxEntry.SUBMIT_BODY);
        submit.requestId().hi(id.getMostSignificantBits()).lo(id.getLeastSignificantBits());
        submit.municipalityCode(municipality)
            .operation(Operation.CARD_ISSUE)
            .priority(Priority.BATCH)
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(1)
            .deadlineEpochMs(deadlineEpochMs)
            .batchId(batchId)
            .batchSequence(sequence)
            .batchSize(size)
            .personalNumber("123456789018")
            .residentCode(null)
            .dateOfBirth(null);
        submit.nameKanji("山田 太郎").nameKana(null).address(null).cardId("123456789012").applicationId(null);
        submit.putPinBlock(buffer, 0, 0);
        final int length = OutboxEntry.SUBMIT_BODY + submit.encodedLength();
        buffer.putInt(SofhFrame.LENGTH_OFFSET, length, ByteOrder.BIG_ENDIAN);
        buffer.putShort(SofhFrame.ENCODING_TYPE_OFFSET, (short)SofhFrame.SBE_LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
        return Arrays.copyOf(buffer.byteArray(), length);
    }
}
