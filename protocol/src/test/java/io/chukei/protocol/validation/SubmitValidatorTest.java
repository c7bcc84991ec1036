package io.chukei.protocol.validation;

import java.time.Clock;
import java.time.Instant;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.RejectedEncoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubmitValidatorTest
{
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(SubmitMessage.NOW_MS), ValidationConfig.JAPAN);

    private final SubmitValidator validator =
        new SubmitValidator(ValidationConfig.builder().clock(CLOCK).build());
    private final ValidationResult result = new ValidationResult();

    @Test
    void acceptsAValidPreissueSetup()
    {
        assertValid(SubmitMessage.preissueSetup());
    }

    @Test
    void acceptsAValidCardIssueWithAnOpaquePinBlock()
    {
        assertValid(SubmitMessage.cardIssue());
    }

    @Test
    void acceptsAValidCertChange()
    {
        assertValid(SubmitMessage.certChange());
    }

    @Test
    void acceptsAValidCardSuspend()
    {
        assertValid(SubmitMessage.cardSuspend());
    }

    @Test
    void acceptsAValidCardStatusByCardId()
    {
        assertValid(SubmitMessage.cardStatus());
    }

    @Test
    void acceptsACardStatusByPersonalNumberAlone()
    {
        final SubmitMessage m = SubmitMessage.cardStatus();
        m.cardId = "";
        m.personalNumber = "123456789018";
        assertValid(m);
    }

    @Test
    void leavesTheDecoderRewoundForTheCaller()
    {
        final SubmitDecoder decoder = SubmitMessage.preissueSetup().encode();

        validator.validate(decoder, result);

        assertThat(decoder.limit()).isEqualTo(decoder.offset() + SubmitDecoder.BLOCK_LENGTH);
        assertThat(decoder.nameKanji()).isEqualTo("山田　太郎");
    }

    @Test
    void rejectsAnAllZeroRequestId()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.requestIdHi = 0;
        m.requestIdLo = 0;
        assertRejected(m, ErrorCode.INVALID_REQUEST_ID, FieldId.REQUEST_ID);
    }

    @Test
    void rejectsAMunicipalityCodeWithAWrongCheckDigit()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.municipalityCode = "131017";
        assertRejected(m, ErrorCode.CHECK_DIGIT_MISMATCH, FieldId.MUNICIPALITY_CODE);
        assertThat(result.position()).isEqualTo(5);
    }

    @Test
    void rejectsAnAbsentMunicipalityCode()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.municipalityCode = "";
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.MUNICIPALITY_CODE);
    }

    @Test
    void rejectsAShortMunicipalityCodePaddedWithNul()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.municipalityCode = "13101";
        assertRejected(m, ErrorCode.INVALID_LENGTH, FieldId.MUNICIPALITY_CODE);
    }

    @Test
    void rejectsAnUnknownOperation()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.operation = 9;
        assertRejected(m, ErrorCode.INVALID_ENUM_VALUE, FieldId.OPERATION);
        assertThat(result.detail()).isEqualTo("operation: 9 (expected: 1..5) (rule: INVALID_ENUM_VALUE)");
    }

    @Test
    void rejectsTheOperationNullValue()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.operation = 255;
        assertRejected(m, ErrorCode.INVALID_ENUM_VALUE, FieldId.OPERATION);
    }

    @Test
    void rejectsAnUnknownPriority()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.priority = 0;
        assertRejected(m, ErrorCode.INVALID_ENUM_VALUE, FieldId.PRIORITY);
    }

    @Test
    void rejectsAnInteractivePreissueSetup()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.priority = Priority.INTERACTIVE.value();
        assertRejected(m, ErrorCode.PRIORITY_NOT_ALLOWED, FieldId.PRIORITY);
    }

    @Test
    void rejectsAnUnknownPossibleDuplicateValue()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.possibleDuplicate = 2;
        assertRejected(m, ErrorCode.INVALID_ENUM_VALUE, FieldId.POSSIBLE_DUPLICATE);
    }

    @Test
    void rejectsAttemptZero()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.attempt = 0;
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.ATTEMPT);
    }

    @Test
    void rejectsADeadlineThatIsNow()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.deadlineEpochMs = SubmitMessage.NOW_MS;
        assertRejected(m, ErrorCode.DEADLINE_ALREADY_PASSED, FieldId.DEADLINE);
    }

    @Test
    void acceptsADeadlineOneMillisecondAhead()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.deadlineEpochMs = SubmitMessage.NOW_MS + 1;
        assertValid(m);
    }

    @Test
    void rejectsABatchIdWithoutSizeOrSequence()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.batchId = 99;
        assertRejected(m, ErrorCode.INVALID_BATCH, FieldId.BATCH_SIZE);
    }

    @Test
    void rejectsBatchNumbersWithoutABatchId()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.batchId = io.chukei.protocol.sbe.SubmitEncoder.batchIdNullValue();
        assertRejected(m, ErrorCode.INVALID_BATCH, FieldId.BATCH_ID);
    }

    @Test
    void rejectsAnEmptyBatch()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.batchSize = 0;
        assertRejected(m, ErrorCode.INVALID_BATCH, FieldId.BATCH_SIZE);
    }

    @Test
    void rejectsSequenceZero()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.batchSequence = 0;
        assertRejected(m, ErrorCode.INVALID_BATCH, FieldId.BATCH_SEQUENCE);
    }

    @Test
    void rejectsASequenceBeyondTheBatchSize()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.batchSequence = 11;
        assertRejected(m, ErrorCode.INVALID_BATCH, FieldId.BATCH_SEQUENCE);
        assertThat(result.detail()).isEqualTo("batchSequence: 11 (expected: 1..batchSize 10) (rule: INVALID_BATCH)");
    }

    @Test
    void acceptsTheLastRequestOfABatch()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.batchSequence = 10;
        assertValid(m);
    }

    @Test
    void preissueSetupRequiresAnApplicationId()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.applicationId = "";
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.APPLICATION_ID);
    }

    @Test
    void preissueSetupRequiresAKanaName()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.nameKana = new byte[0];
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.NAME_KANA);
    }

    @Test
    void preissueSetupRequiresADateOfBirth()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.dateOfBirth = "";
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.DATE_OF_BIRTH);
    }

    @Test
    void cardIssueRequiresAPinBlock()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.pinBlock = new byte[0];
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.PIN_BLOCK);
    }

    @Test
    void cardIssueRequiresAPersonalNumber()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.personalNumber = "";
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.PERSONAL_NUMBER);
    }

    @Test
    void certChangeRequiresAnAddress()
    {
        final SubmitMessage m = SubmitMessage.certChange();
        m.address = new byte[0];
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.ADDRESS);
    }

    @Test
    void cardSuspendRequiresACardId()
    {
        final SubmitMessage m = SubmitMessage.cardSuspend();
        m.cardId = "";
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.CARD_ID);
    }

    @Test
    void cardStatusRequiresACardIdOrAPersonalNumber()
    {
        final SubmitMessage m = SubmitMessage.cardStatus();
        m.cardId = "";
        assertRejected(m, ErrorCode.REQUIRED_FIELD_MISSING, FieldId.CARD_ID);
    }

    @Test
    void validatesAPresentPersonalNumberEvenWhenNotRequired()
    {
        final SubmitMessage m = SubmitMessage.cardSuspend();
        m.personalNumber = "123456789017";
        assertRejected(m, ErrorCode.CHECK_DIGIT_MISMATCH, FieldId.PERSONAL_NUMBER);
    }

    @Test
    void validatesAPresentAddressEvenWhenNotRequired()
    {
        final SubmitMessage m = SubmitMessage.cardSuspend();
        m.address = SubmitMessage.utf8("東京都ABC\u202E123");
        assertRejected(m, ErrorCode.TEXT_BIDI_CONTROL, FieldId.ADDRESS);
        assertThat(result.position()).isEqualTo(12);
        assertThat(result.codePoint()).isEqualTo(0x202E);
        assertThat(result.detail()).isEqualTo("address: U+202E at byte 12 is a bidi control (rule: TEXT_BIDI_CONTROL)");
    }

    @Test
    void rejectsAResidentCodeOfTheWrongLength()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.residentCode = "1234";
        assertRejected(m, ErrorCode.INVALID_LENGTH, FieldId.RESIDENT_CODE);
    }

    @Test
    void rejectsADateOfBirthThatIsNotOnTheCalendar()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.dateOfBirth = "19000229";
        assertRejected(m, ErrorCode.INVALID_DATE, FieldId.DATE_OF_BIRTH);
    }

    @Test
    void rejectsADateOfBirthAfterToday()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.dateOfBirth = "20991231";
        assertRejected(m, ErrorCode.DATE_OUT_OF_RANGE, FieldId.DATE_OF_BIRTH);
    }

    @Test
    void rejectsKanjiInTheKanaName()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.nameKana = SubmitMessage.utf8("ヤマダ太郎");
        assertRejected(m, ErrorCode.TEXT_OUTSIDE_REPERTOIRE, FieldId.NAME_KANA);
        assertThat(result.codePoint()).isEqualTo(0x592A);
    }

    @Test
    void rejectsMalformedUtf8InTheKanjiName()
    {
        final SubmitMessage m = SubmitMessage.preissueSetup();
        m.nameKanji = new byte[] {(byte)0xE5, (byte)0xB1, (byte)0xB1, (byte)0xED, (byte)0xA0, (byte)0x80};
        assertRejected(m, ErrorCode.UTF8_SURROGATE, FieldId.NAME_KANJI);
        assertThat(result.position()).isEqualTo(3);
    }

    @Test
    void rejectsACardIdWithLetters()
    {
        final SubmitMessage m = SubmitMessage.cardSuspend();
        m.cardId = "10000000000A";
        assertRejected(m, ErrorCode.NOT_DIGITS, FieldId.CARD_ID);
        assertThat(result.position()).isEqualTo(11);
    }

    @Test
    void rejectsAPinBlockLongerThan256Bytes()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        m.pinBlock = new byte[257];
        assertRejected(m, ErrorCode.INVALID_LENGTH, FieldId.PIN_BLOCK);
    }

    @Test
    void rejectsVarDataRunningPastTheEndOfTheMessage()
    {
        final SubmitMessage m = SubmitMessage.cardIssue();
        final SubmitDecoder decoder = m.encode();

        assertThat(validator.validate(decoder, m.messageEnd - 1, result)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(result.field()).isEqualTo(FieldId.PIN_BLOCK);
    }

    @Test
    void violationTravelsInARejectedMessage()
    {
        final SubmitMessage m = SubmitMessage.cardSuspend();
        m.address = SubmitMessage.utf8("東京都ABC\u202E123");
        validator.validate(m.encode(), m.messageEnd, result);
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[512]);

        result.writeTo(new RejectedEncoder().wrap(wire, 0));
        final RejectedDecoder rejected = new RejectedDecoder()
            .wrap(wire, 0, RejectedDecoder.BLOCK_LENGTH, RejectedDecoder.SCHEMA_VERSION);

        assertThat(rejected.code()).isEqualTo(ErrorCode.TEXT_BIDI_CONTROL);
        assertThat(rejected.field()).isEqualTo(FieldId.ADDRESS);
        assertThat(rejected.position()).isEqualTo(12);
        assertThat(rejected.codePoint()).isEqualTo(0x202E);
        assertThat(rejected.retryAfterMs()).isEqualTo(RejectedDecoder.retryAfterMsNullValue());
        assertThat(rejected.detail()).isEqualTo("address: U+202E at byte 12 is a bidi control (rule: TEXT_BIDI_CONTROL)");
    }

    @Test
    void validatingAValidSubmitAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final SubmitMessage m = SubmitMessage.preissueSetup();
        final SubmitDecoder decoder = m.encode();
        for (int i = 0; i < 20_000; i++)
        {
            validator.validate(decoder, m.messageEnd, result);
        }

        // The quietest of several rounds: a round during which the JIT swaps code (which happens late on
        // a loaded machine) allocates a little once; a per-request allocation would show in every round.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++)
            {
                validator.validate(decoder, m.messageEnd, result);
            }
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }

        assertThat(result.isValid()).isTrue();
        assertThat(allocated).as("bytes allocated by 1,000 validations").isLessThan(1_000);
    }

    private void assertValid(final SubmitMessage message)
    {
        final SubmitDecoder decoder = message.encode();
        assertThat(validator.validate(decoder, message.messageEnd, result)).as(result.toString())
            .isEqualTo(ErrorCode.NO_ERROR);
        assertThat(result.isValid()).isTrue();
    }

    private void assertRejected(final SubmitMessage message, final ErrorCode code, final FieldId field)
    {
        final SubmitDecoder decoder = message.encode();
        assertThat(validator.validate(decoder, message.messageEnd, result)).as(result.toString()).isEqualTo(code);
        assertThat(result.field()).isEqualTo(field);
        assertThat(result.detail()).startsWith(FieldNames.of(field) + ": ").endsWith("(rule: " + code + ")");
    }
}
