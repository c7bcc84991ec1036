package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.StatusQueryEncoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.chukei.protocol.testing.ReshapedMessages.asNewerVersion;
import static io.chukei.protocol.testing.ReshapedMessages.withLongerBlock;
import static io.chukei.protocol.testing.ReshapedMessages.withTrailingBytes;
import static org.assertj.core.api.Assertions.assertThat;

class MessageReaderTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageReader reader = new MessageReader();

    @Test
    void acceptsAWellFormedMessage()
    {
        final int length = hello("connector");

        assertThat(reader.wrap(buffer, 0, length)).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.templateId()).isEqualTo(HelloEncoder.TEMPLATE_ID);
    }

    @Test
    void rejectsAMessageShorterThanItsHeader()
    {
        assertThat(reader.wrap(buffer, 0, 7)).isEqualTo(ErrorCode.FRAME_TOO_SHORT);
        assertThat(reader.templateId()).isEqualTo(-1);
    }

    @Test
    void rejectsAnotherSchema()
    {
        final int length = hello("x");
        header.wrap(buffer, 0).schemaId(1);

        assertThat(reader.wrap(buffer, 0, length)).isEqualTo(ErrorCode.UNSUPPORTED_SCHEMA);
    }

    @Test
    void rejectsAnUnknownTemplate()
    {
        final int length = hello("x");
        header.wrap(buffer, 0).templateId(999);

        assertThat(reader.wrap(buffer, 0, length)).isEqualTo(ErrorCode.UNKNOWN_TEMPLATE);
    }

    @Test
    void rejectsABlockShorterThanThisVersionDefines()
    {
        final int length = hello("x");
        header.wrap(buffer, 0).blockLength(HelloEncoder.BLOCK_LENGTH - 1);

        assertThat(reader.wrap(buffer, 0, length)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
    }

    @Test
    void rejectsAVariableLengthFieldRunningPastTheFrameNamingIt()
    {
        final int length = hello("connector");

        assertThat(reader.wrap(buffer, 0, length - 1)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.problem().part()).isEqualTo(MessageProblem.Part.VAR_FIELD_PAST_END);
        assertThat(reader.problem().field()).isEqualTo(FieldId.CONNECTOR_NAME);
        assertThat(reader.problem().detail()).isEqualTo("Hello.connectorName: length 9 at offset 18 runs past the end " +
            "of the message (" + (length - 1) + " bytes) (rule: MALFORMED_MESSAGE)");
    }

    @Test
    void namesTheVariableLengthFieldWhoseLengthPrefixIsCutOff()
    {
        final byte[] submit = SubmitBytes.cardStatus(7, 8);

        assertThat(wrap(submit, submit.length - 1)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.problem().field()).isEqualTo(FieldId.PIN_BLOCK);
        assertThat(reader.problem().detail()).startsWith("Submit.pinBlock: its 2-byte length at offset " + (submit.length - 2));
    }

    @Test
    void rejectsTrailingBytesFromASenderOfTheSameVersion()
    {
        final int length = hello("connector");

        assertThat(reader.wrap(buffer, 0, length + 3)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.problem().part()).isEqualTo(MessageProblem.Part.TRAILING_BYTES);
        assertThat(reader.problem().field()).isEqualTo(FieldId.FRAME);
        assertThat(reader.problem().detail()).startsWith("Hello: 3 bytes after the last field");
    }

    @Test
    void rejectsALongerBlockFromASenderOfThisVersion()
    {
        final byte[] padded = withLongerBlock(SubmitBytes.cardStatus(7, 8), 8);

        assertThat(wrap(padded)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.problem().part()).isEqualTo(MessageProblem.Part.BLOCK_LENGTH);
        assertThat(reader.problem().field()).isEqualTo(FieldId.MESSAGE_HEADER);
        assertThat(reader.problem().detail()).isEqualTo("blockLength: " + (SubmitEncoder.BLOCK_LENGTH + 8) + " (expected: " +
            SubmitEncoder.BLOCK_LENGTH + ", Submit's block in schema version " + MessageReader.SCHEMA_VERSION +
            ", from a sender of version " + MessageReader.SCHEMA_VERSION + ") " +
            "(rule: MALFORMED_MESSAGE)");
    }

    @Test
    void rejectsAShorterBlockFromANewerVersionNamingTheMinimum()
    {
        final int length = hello("x");
        header.wrap(buffer, 0).blockLength(HelloEncoder.BLOCK_LENGTH - 1).version(MessageReader.SCHEMA_VERSION + 1);

        assertThat(reader.wrap(buffer, 0, length)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.problem().detail()).contains("(expected: at least " + HelloEncoder.BLOCK_LENGTH);
    }

    @Test
    void aRefusedSubmitStillYieldsItsRequestId()
    {
        final byte[] padded = withLongerBlock(SubmitBytes.cardStatus(0x0190c6a852e47b31L, 99), 8);

        assertThat(wrap(padded)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.requestIdHi()).isEqualTo(0x0190c6a852e47b31L);
        assertThat(reader.requestIdLo()).isEqualTo(99);
    }

    @Test
    void aSubmitOfAnotherSchemaStillYieldsItsRequestId()
    {
        final byte[] submit = SubmitBytes.cardStatus(5, 6);
        submit[4] = (byte)0xE1;   // schema id 2017, little-endian 0x07E1
        submit[5] = 0x07;

        assertThat(wrap(submit)).isEqualTo(ErrorCode.UNSUPPORTED_SCHEMA);
        assertThat(reader.problem().detail()).isEqualTo("schemaId: 2017 (expected: 2016) (rule: UNSUPPORTED_SCHEMA)");
        assertThat(reader.requestIdHi()).isEqualTo(5);
        assertThat(reader.requestIdLo()).isEqualTo(6);
    }

    @Test
    void aStatusQueryYieldsItsRequestId()
    {
        final StatusQueryEncoder query = new StatusQueryEncoder().wrapAndApplyHeader(buffer, 0, header);
        query.requestId().hi(11).lo(12);
        query.municipalityCode("131016");

        assertThat(reader.wrap(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + query.encodedLength()))
            .isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.requestIdHi()).isEqualTo(11);
        assertThat(reader.requestIdLo()).isEqualTo(12);
    }

    @Test
    void noRequestIdWhenItsBytesAreNotAllThere()
    {
        final byte[] submit = SubmitBytes.cardStatus(5, 6);

        assertThat(wrap(submit, MessageHeaderEncoder.ENCODED_LENGTH + 15)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.requestIdHi()).isZero();
        assertThat(reader.requestIdLo()).isZero();
    }

    @Test
    void noRequestIdFromOtherTemplates()
    {
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header);
        heartbeat.timestampEpochMs(Long.MAX_VALUE);

        assertThat(reader.wrap(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH + 16))
            .isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.requestIdHi()).isZero();
    }

    @Test
    void aGoodWrapClearsTheLastProblem()
    {
        assertThat(reader.wrap(buffer, 0, hello("x") + 1)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);

        assertThat(reader.wrap(buffer, 0, hello("x"))).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.problem().part()).isEqualTo(MessageProblem.Part.NONE);
    }

    @Test
    void namesAnUnknownTemplate()
    {
        final int length = hello("x");
        header.wrap(buffer, 0).templateId(999);

        reader.wrap(buffer, 0, length);
        assertThat(reader.problem().detail()).isEqualTo("templateId: 999 (expected: a message of schema 2016) " +
            "(rule: UNKNOWN_TEMPLATE)");
    }

    @Test
    void namesABlockRunningPastTheEnd()
    {
        final byte[] submit = SubmitBytes.cardStatus(5, 6);

        assertThat(wrap(submit, 40)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(reader.problem().part()).isEqualTo(MessageProblem.Part.BLOCK_PAST_END);
        assertThat(reader.problem().detail()).isEqualTo("blockLength: 82 runs past the end of the Submit (32 bytes after " +
            "the message header) (rule: MALFORMED_MESSAGE)");
    }

    @Test
    void acceptsANewerSubmitWithALongerBlockAndAnAppendedField()
    {
        assertThat(wrap(asNewerVersion(SubmitBytes.cardStatus(5, 6), 8, 100))).isEqualTo(ErrorCode.NO_ERROR);
        // Var fields are read in wire order.
        reader.submit().skipNameKanji();
        reader.submit().skipNameKana();
        reader.submit().skipAddress();
        assertThat(reader.submit().cardId()).isEqualTo(SubmitBytes.CARD_ID);
    }

    @Test
    void toleratesTrailingBytesFromANewerVersion()
    {
        final int length = hello("connector");
        header.wrap(buffer, 0).version(MessageReader.SCHEMA_VERSION + 1);

        assertThat(reader.wrap(buffer, 0, length + 3)).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void readsALongerBlockFromANewerVersionByItsDeclaredLength()
    {
        final HelloEncoder hello = new HelloEncoder();
        header.wrap(buffer, 0).blockLength(HelloEncoder.BLOCK_LENGTH + 4).templateId(HelloEncoder.TEMPLATE_ID)
            .schemaId(HelloEncoder.SCHEMA_ID).version(MessageReader.SCHEMA_VERSION + 1);
        hello.wrap(buffer, MessageHeaderEncoder.ENCODED_LENGTH).municipalityCode("131016").heartbeatIntervalMs(5);
        hello.limit(MessageHeaderEncoder.ENCODED_LENGTH + HelloEncoder.BLOCK_LENGTH + 4);
        hello.connectorName("new");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength();

        assertThat(reader.wrap(buffer, 0, length)).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.hello().municipalityCode()).isEqualTo("131016");
        assertThat(reader.hello().connectorName()).isEqualTo("new");
    }

    private ErrorCode wrap(final byte[] message)
    {
        return wrap(message, message.length);
    }

    private ErrorCode wrap(final byte[] message, final int length)
    {
        return reader.wrap(new UnsafeBuffer(message), 0, length);
    }

    private int hello(final String name)
    {
        final HelloEncoder hello = new HelloEncoder().wrapAndApplyHeader(buffer, 0, header);
        hello.municipalityCode("131016").heartbeatIntervalMs(1000).connectorName(name);
        return MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength();
    }
}
