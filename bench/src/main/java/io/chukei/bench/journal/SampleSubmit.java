package io.chukei.bench.journal;

import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/** A realistic Submit (header + body, about 300 bytes) encoded once for the journal benchmarks. */
final class SampleSubmit
{
    private SampleSubmit()
    {
    }

    /** Encodes the Submit into {@code buffer} at 0 and returns its length. */
    static int encode(final UnsafeBuffer buffer, final long idHi, final long idLo)
    {
        final SubmitEncoder submit = new SubmitEncoder();
        submit.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        submit.requestId().hi(idHi).lo(idLo);
        submit.municipalityCode("131016")
            .operation(Operation.CERT_CHANGE)
            .priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(1)
            .deadlineEpochMs(1_800_000_000_000L)
            .batchId(submit.batchIdNullValue())
            .batchSequence(submit.batchSequenceNullValue())
            .batchSize(submit.batchSizeNullValue())
            .personalNumber("000000000000")
            .residentCode("00000000000")
            .dateOfBirth("19800101");
        submit.nameKanji("山田　太郎").nameKana("ヤマダ　タロウ")
            .address("東京都千代田区千代田一丁目一番一号　中継マンション一〇一号室　（ベンチマーク用の架空住所）")
            .cardId("CARD-0000000000000001").applicationId("APP-2026-000000000001");
        final byte[] pin = new byte[16];
        submit.putPinBlock(pin, 0, pin.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + submit.encodedLength();
    }
}
