package io.chukei.gateway.node;

import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;

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
