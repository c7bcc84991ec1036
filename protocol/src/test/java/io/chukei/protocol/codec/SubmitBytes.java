package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/** Submits of this version as a connector encodes them: SBE header and body, no SOFH header. */
final class SubmitBytes
{
    static final String CARD_ID = "123456789012";

    private SubmitBytes()
    {
    }

    /** A CARD_STATUS with the given request id and every var field present, the last ones empty. */
    static byte[] cardStatus(final long idHi, final long idLo)
    {
        return submit(idHi, idLo, "東京都千代田区", new byte[0]);
    }

    /** A CERT_CHANGE with an address and a PIN block, so var fields sit on both sides of the ones cut. */
    static byte[] certChange(final long idHi, final long idLo, final String address, final byte[] pinBlock)
    {
        return submit(idHi, idLo, address, pinBlock);
    }

    private static byte[] submit(final long idHi, final long idLo, final String address, final byte[] pinBlock)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final SubmitEncoder submit = new SubmitEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        submit.requestId().hi(idHi).lo(idLo);
        submit.municipalityCode("131016").operation(Operation.CARD_STATUS).priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE).attempt(1).deadlineEpochMs(1_775_000_030_000L)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue()).personalNumber("").residentCode("").dateOfBirth("");
        submit.nameKanji("").nameKana("").address(address).cardId(CARD_ID).applicationId("");
        submit.putPinBlock(pinBlock, 0, pinBlock.length);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + submit.encodedLength());
    }
}
