package io.chukei.bench.codec;

import io.chukei.protocol.sbe.RequestIdDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;

/**
 * Reads every field of a Submit, in schema order, through the getters that copy into a
 * caller's array (never the String ones), as a consumer that needs the values would. The
 * values are folded into a checksum so the JIT cannot drop the reads.
 */
final class SubmitFields
{
    /** Var-data fields are at most 65534 bytes; one scratch array holds any of them. */
    private final byte[] scratch = new byte[65_535];

    long readAll(final SubmitDecoder submit)
    {
        final RequestIdDecoder requestId = submit.requestId();
        long sum = requestId.hi() ^ requestId.lo();
        sum += submit.getMunicipalityCode(scratch, 0) + scratch[0];
        sum += submit.operationRaw() + submit.priorityRaw() + submit.possibleDuplicateRaw() + submit.attempt();
        sum += submit.deadlineEpochMs() + submit.batchId() + submit.batchSequence() + submit.batchSize();
        sum += submit.getPersonalNumber(scratch, 0) + scratch[0];
        sum += submit.getResidentCode(scratch, 0) + scratch[0];
        sum += submit.getDateOfBirth(scratch, 0) + scratch[0];
        sum += submit.getNameKanji(scratch, 0, scratch.length) + scratch[0];
        sum += submit.getNameKana(scratch, 0, scratch.length) + scratch[0];
        sum += submit.getAddress(scratch, 0, scratch.length) + scratch[0];
        sum += submit.getCardId(scratch, 0, scratch.length) + scratch[0];
        sum += submit.getApplicationId(scratch, 0, scratch.length) + scratch[0];
        sum += submit.getPinBlock(scratch, 0, scratch.length) + scratch[0];
        return sum;
    }
}
