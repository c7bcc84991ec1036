package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/** A Submit under construction in a test, encoded with the generated codecs as a connector would. */
final class SubmitMessage
{
    static final long NOW_MS = 1_775_000_000_000L;

    long requestIdHi = 0x0123_4567_89AB_CDEFL;
    long requestIdLo = 42;
    String municipalityCode = "131016";
    int operation = Operation.CARD_ISSUE.value();
    int priority = Priority.INTERACTIVE.value();
    int possibleDuplicate = BooleanType.FALSE.value();
    int attempt = 1;
    long deadlineEpochMs = NOW_MS + 30_000;
    long batchId = SubmitEncoder.batchIdNullValue();
    long batchSequence = SubmitEncoder.batchSequenceNullValue();
    long batchSize = SubmitEncoder.batchSizeNullValue();
    String personalNumber = "";
    String residentCode = "";
    String dateOfBirth = "";
    byte[] nameKanji = new byte[0];
    byte[] nameKana = new byte[0];
    byte[] address = new byte[0];
    String cardId = "";
    String applicationId = "";
    byte[] pinBlock = new byte[0];

    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    final SubmitDecoder decoder = new SubmitDecoder();
    int messageEnd;

    static SubmitMessage preissueSetup()
    {
        final SubmitMessage m = new SubmitMessage();
        m.operation = Operation.PREISSUE_SETUP.value();
        m.priority = Priority.BATCH.value();
        m.batchId = 7;
        m.batchSequence = 1;
        m.batchSize = 10;
        m.personalNumber = "123456789018";
        m.residentCode = "12345678901";
        m.dateOfBirth = "19800115";
        m.nameKanji = utf8("山田　太郎");
        m.nameKana = utf8("ヤマダ　タロウ");
        m.address = utf8("東京都千代田区千代田１－１");
        m.applicationId = "12345678901234567890123";
        return m;
    }

    static SubmitMessage cardIssue()
    {
        final SubmitMessage m = new SubmitMessage();
        m.operation = Operation.CARD_ISSUE.value();
        m.personalNumber = "123456789018";
        m.cardId = "100000000001";
        m.pinBlock = new byte[] {(byte)0xC0, (byte)0xFF, 0x00, 0x12, 0x34, 0x56, 0x78, (byte)0x9A};
        return m;
    }

    static SubmitMessage certChange()
    {
        final SubmitMessage m = new SubmitMessage();
        m.operation = Operation.CERT_CHANGE.value();
        m.personalNumber = "123456789018";
        m.cardId = "100000000001";
        m.address = utf8("大阪府大阪市北区梅田一丁目");
        return m;
    }

    static SubmitMessage cardSuspend()
    {
        final SubmitMessage m = new SubmitMessage();
        m.operation = Operation.CARD_SUSPEND.value();
        m.cardId = "100000000001";
        return m;
    }

    static SubmitMessage cardStatus()
    {
        final SubmitMessage m = new SubmitMessage();
        m.operation = Operation.CARD_STATUS.value();
        m.cardId = "100000000001";
        return m;
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Encodes header and body, then wraps {@link #decoder} as a receiver would. */
    SubmitDecoder encode()
    {
        final SubmitEncoder encoder = new SubmitEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        encoder.requestId().hi(requestIdHi).lo(requestIdLo);
        encoder.municipalityCode(municipalityCode)
            .operation(Operation.CARD_ISSUE)
            .priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(attempt)
            .deadlineEpochMs(deadlineEpochMs)
            .batchId(batchId)
            .batchSequence(batchSequence)
            .batchSize(batchSize)
            .personalNumber(personalNumber)
            .residentCode(residentCode)
            .dateOfBirth(dateOfBirth);
        // Raw bytes, so tests can also send values the enums do not define.
        buffer.putByte(encoder.offset() + SubmitEncoder.operationEncodingOffset(), (byte)operation);
        buffer.putByte(encoder.offset() + SubmitEncoder.priorityEncodingOffset(), (byte)priority);
        buffer.putByte(encoder.offset() + SubmitEncoder.possibleDuplicateEncodingOffset(), (byte)possibleDuplicate);
        encoder.putNameKanji(nameKanji, 0, nameKanji.length)
            .putNameKana(nameKana, 0, nameKana.length)
            .putAddress(address, 0, address.length)
            .cardId(cardId)
            .applicationId(applicationId)
            .putPinBlock(pinBlock, 0, pinBlock.length);
        messageEnd = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return decoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
    }
}
