package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

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
    void rejectsAVariableLengthFieldRunningPastTheFrame()
    {
        final int length = hello("connector");

        assertThat(reader.wrap(buffer, 0, length - 1)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
    }

    @Test
    void rejectsTrailingBytesFromASenderOfTheSameVersion()
    {
        final int length = hello("connector");

        assertThat(reader.wrap(buffer, 0, length + 3)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
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

    private int hello(final String name)
    {
        final HelloEncoder hello = new HelloEncoder().wrapAndApplyHeader(buffer, 0, header);
        hello.municipalityCode("131016").heartbeatIntervalMs(1000).connectorName(name);
        return MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength();
    }
}
