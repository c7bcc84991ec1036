package io.chukei.protocol.client;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frames the SDK keeps for each request decode to what was asked, and patch correctly for resends. */
class SubmitFramesTest
{
    private static final UUID ID = UUID.fromString("0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f");

    private final MessageReader reader = new MessageReader();

    @Test
    void everyFieldArrivesAsGiven()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.PREISSUE_SETUP)
            .batch(99, 5, 10)
            .personalNumber("123456789018")
            .residentCode("12345678901")
            .dateOfBirth("19800101")
            .nameKanji("髙橋 葛\uDB40\uDD00子")
            .nameKana("タカハシ カツコ")
            .address("東京都千代田区千代田１－１")
            .cardId("123456789012")
            .applicationId("APP-1")
            .pinBlock(new byte[] {1, 2, 3})
            .build();

        final SubmitDecoder submit = decode(SubmitFrames.encode(request, ID, "422011", 1_790_000_000_000L));

        assertThat(new UUID(submit.requestId().hi(), submit.requestId().lo())).isEqualTo(ID);
        assertThat(submit.municipalityCode()).isEqualTo("422011");
        assertThat(submit.operation()).isEqualTo(Operation.PREISSUE_SETUP);
        assertThat(submit.priority()).isEqualTo(Priority.BATCH);
        assertThat(submit.possibleDuplicate()).isEqualTo(BooleanType.FALSE);
        assertThat(submit.attempt()).isEqualTo(1);
        assertThat(submit.deadlineEpochMs()).isEqualTo(1_790_000_000_000L);
        assertThat(submit.batchId()).isEqualTo(99L);
        assertThat(submit.batchSequence()).isEqualTo(5L);
        assertThat(submit.batchSize()).isEqualTo(10L);
        assertThat(submit.personalNumber()).isEqualTo("123456789018");
        assertThat(submit.residentCode()).isEqualTo("12345678901");
        assertThat(submit.dateOfBirth()).isEqualTo("19800101");
        assertThat(submit.nameKanji()).isEqualTo("髙橋 葛\uDB40\uDD00子");
        assertThat(submit.nameKana()).isEqualTo("タカハシ カツコ");
        assertThat(submit.address()).isEqualTo("東京都千代田区千代田１－１");
        assertThat(submit.cardId()).isEqualTo("123456789012");
        assertThat(submit.applicationId()).isEqualTo("APP-1");
        final byte[] pin = new byte[submit.pinBlockLength()];
        submit.getPinBlock(pin, 0, pin.length);
        assertThat(pin).containsExactly(1, 2, 3);
    }

    @Test
    void absentFieldsAreAllNulOrEmptyAndOutsideABatchTheBatchFieldsAreNull()
    {
        final SubmitDecoder submit = decode(
            SubmitFrames.encode(SubmitRequest.builder(Operation.CARD_STATUS).build(), ID, "131016", 1L));

        assertThat(submit.batchId()).isEqualTo(SubmitEncoder.batchIdNullValue());
        assertThat(submit.batchSequence()).isEqualTo(SubmitEncoder.batchSequenceNullValue());
        assertThat(submit.batchSize()).isEqualTo(SubmitEncoder.batchSizeNullValue());
        for (int i = 0; i < SubmitEncoder.personalNumberLength(); i++)
        {
            assertThat(submit.personalNumber(i)).isZero();
        }
        for (int i = 0; i < SubmitEncoder.dateOfBirthLength(); i++)
        {
            assertThat(submit.dateOfBirth(i)).isZero();
        }
        assertThat(submit.nameKanji()).isEmpty();
        assertThat(submit.nameKana()).isEmpty();
        assertThat(submit.address()).isEmpty();
        assertThat(submit.cardId()).isEmpty();
        assertThat(submit.applicationId()).isEmpty();
        assertThat(submit.pinBlockLength()).isZero();
    }

    @Test
    void aResendIsMarkedPossibleDuplicateWithTheNextAttemptAndIsOtherwiseUnchanged()
    {
        final byte[] frame = SubmitFrames.encode(
            SubmitRequest.builder(Operation.CARD_ISSUE).nameKanji("髙橋").build(), ID, "131016", 77L);
        final byte[] original = frame.clone();

        SubmitFrames.markResend(frame, 2);

        final SubmitDecoder submit = decode(frame);
        assertThat(submit.possibleDuplicate()).isEqualTo(BooleanType.TRUE);
        assertThat(submit.attempt()).isEqualTo(2);
        assertThat(submit.deadlineEpochMs()).isEqualTo(77L);
        assertThat(submit.nameKanji()).isEqualTo("髙橋");
        assertThat(frame.length).isEqualTo(original.length);
    }

    @Test
    void aPersonalNumberTooLongForItsSlotIsRefusedLocallyNamingTheField()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.CARD_ISSUE).personalNumber("1234567890123").build();

        final Answer.Rejected rejected = SubmitFrames.unencodable(ID, request);

        assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_LENGTH);
        assertThat(rejected.field()).isEqualTo(FieldId.PERSONAL_NUMBER);
        assertThat(rejected.local()).isTrue();
        assertThat(rejected.detail()).doesNotContain("1234567890123");
    }

    @Test
    void anAddressOverTheVarDataLimitInUtf8IsRefusedLocally()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.CERT_CHANGE).address("東".repeat(30_000)).build();

        final Answer.Rejected rejected = SubmitFrames.unencodable(ID, request);

        assertThat(rejected.field()).isEqualTo(FieldId.ADDRESS);
    }

    @Test
    void anEncodableRequestIsNotRefused()
    {
        assertThat(SubmitFrames.unencodable(ID, SubmitRequest.builder(Operation.CERT_CHANGE).address("東".repeat(20_000)).build()))
            .isNull();
    }

    @Test
    void theFrameOfARequestIsTheSdksFrameWithItsFixedFieldsAtTheBodyOffset()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012").build();

        final byte[] frame = request.encodeFrame(ID, "131016", 42L);

        assertThat(frame).isEqualTo(SubmitFrames.encode(request, ID, "131016", 42L));
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertThat(buffer.getLong(SubmitRequest.FRAME_BODY_OFFSET + SubmitEncoder.requestIdEncodingOffset(), ByteOrder.LITTLE_ENDIAN))
            .isEqualTo(ID.getMostSignificantBits());
        assertThat(buffer.getLong(SubmitRequest.FRAME_BODY_OFFSET + SubmitEncoder.deadlineEpochMsEncodingOffset(), ByteOrder.LITTLE_ENDIAN))
            .isEqualTo(42L);
    }

    @Test
    void aRequestThatCannotBeEncodedIsRefusedByFieldWhenAFrameIsAskedFor()
    {
        final SubmitRequest request = SubmitRequest.builder(Operation.CARD_ISSUE).personalNumber("1234567890123").build();

        assertThatThrownBy(() -> request.encodeFrame(ID, "131016", 42L)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("personalNumber").hasMessageNotContaining("1234567890123");
    }

    private SubmitDecoder decode(final byte[] frame)
    {
        assertThat(ByteBuffer.wrap(frame).getInt(0)).isEqualTo(frame.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertThat(reader.wrap(buffer, SofhFrame.HEADER_LENGTH, frame.length - SofhFrame.HEADER_LENGTH)).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.templateId()).isEqualTo(SubmitDecoder.TEMPLATE_ID);
        return reader.submit();
    }
}
