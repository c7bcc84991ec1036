package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.WelcomeEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.chukei.protocol.testing.ReshapedMessages.asNewerVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MessageReader#toThisVersion}: what a relay journals and forwards is what this version's schema defines. */
class ToThisVersionTest
{
    private static final byte[] PIN = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MessageReader reader = new MessageReader();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers()
    {
        buffers.forEach(ByteBuf::release);
    }

    @Test
    void aNewerSubmitBecomesExactlyTheBytesOfThisVersion()
    {
        final byte[] canonical = SubmitBytes.certChange(1, 2, "東京都千代田区", PIN);
        final ByteBuf message = directSlice(asNewerVersion(canonical, 8, 100));

        assertThat(reader.wrap(message)).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.toThisVersion(message)).isTrue();

        assertThat(ByteBufUtil.getBytes(message)).isEqualTo(canonical);
        assertThat(reader.version()).isEqualTo(MessageReader.SCHEMA_VERSION);
        assertThat(reader.length()).isEqualTo(canonical.length);
        reader.submit().skipNameKanji();
        reader.submit().skipNameKana();
        assertThat(reader.submit().address()).isEqualTo("東京都千代田区");
    }

    @Test
    void aNewerSubmitWithOnlyAppendedFieldsLosesThem()
    {
        final byte[] canonical = SubmitBytes.certChange(1, 2, "大阪府", PIN);
        final ByteBuf message = directSlice(asNewerVersion(canonical, 0, 40));

        reader.wrap(message);
        assertThat(reader.toThisVersion(message)).isTrue();

        assertThat(ByteBufUtil.getBytes(message)).isEqualTo(canonical);
    }

    @Test
    void aNewerSubmitWithOnlyALongerBlockLosesTheUnknownBlockBytes()
    {
        final byte[] canonical = SubmitBytes.certChange(1, 2, "大阪府", PIN);
        final ByteBuf message = directSlice(asNewerVersion(canonical, 24, -1));

        reader.wrap(message);
        assertThat(reader.toThisVersion(message)).isTrue();

        assertThat(ByteBufUtil.getBytes(message)).isEqualTo(canonical);
    }

    @Test
    void aMessageOfThisVersionIsLeftUntouched()
    {
        final byte[] canonical = SubmitBytes.certChange(1, 2, "大阪府", PIN);
        final ByteBuf message = directSlice(canonical);
        final int readerIndex = message.readerIndex();

        reader.wrap(message);
        assertThat(reader.toThisVersion(message)).isFalse();

        assertThat(message.readerIndex()).isEqualTo(readerIndex);
        assertThat(ByteBufUtil.getBytes(message)).isEqualTo(canonical);
    }

    @Test
    void aNewerHelloKeepsItsConnectorName()
    {
        final byte[] canonical = hello("vendor/product/2.0");
        final ByteBuf message = directSlice(asNewerVersion(canonical, 4, 12));

        reader.wrap(message);
        assertThat(reader.toThisVersion(message)).isTrue();

        assertThat(ByteBufUtil.getBytes(message)).isEqualTo(canonical);
        assertThat(reader.hello().connectorName()).isEqualTo("vendor/product/2.0");
    }

    @Test
    void aCompositeBufferIsRewrittenToo()
    {
        final byte[] canonical = SubmitBytes.certChange(1, 2, "東京都", PIN);
        final byte[] newer = asNewerVersion(canonical, 8, 30);
        final CompositeByteBuf message = Unpooled.compositeBuffer();
        message.addComponents(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(newer, 0, 50)),
            Unpooled.wrappedBuffer(Arrays.copyOfRange(newer, 50, newer.length)));
        buffers.add(message);

        assertThat(reader.wrap(message)).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.toThisVersion(message)).isTrue();

        assertThat(ByteBufUtil.getBytes(message)).isEqualTo(canonical);
    }

    @Test
    void aNewerMessageWithGroupsIsLeftAsItIs()
    {
        final byte[] newer = asNewerVersion(welcome(), 3, -1);
        final ByteBuf message = directSlice(newer);

        assertThat(reader.wrap(message)).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(reader.toThisVersion(message)).isFalse();

        assertThat(ByteBufUtil.getBytes(message)).isEqualTo(newer);
    }

    @Test
    void refusesAMessageThatFailedTheChecks()
    {
        final ByteBuf message = directSlice(Arrays.copyOf(SubmitBytes.cardStatus(1, 2), 30));

        assertThat(reader.wrap(message)).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThatThrownBy(() -> reader.toThisVersion(message)).isInstanceOf(IllegalStateException.class);
    }

    /** Like SofhFrameDecoder's output: a slice of a larger direct buffer, not at index 0. */
    private ByteBuf directSlice(final byte[] message)
    {
        final ByteBuf whole = Unpooled.directBuffer(message.length + 20);
        buffers.add(whole);
        whole.writeZero(6).writeBytes(message).writeZero(14);
        return whole.slice(6, message.length);
    }

    private static byte[] hello(final String name)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final HelloEncoder hello = new HelloEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        hello.municipalityCode("131016").heartbeatIntervalMs(1000).connectorName(name);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength());
    }

    private static byte[] welcome()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final WelcomeEncoder welcome = new WelcomeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        welcome.nodeId(1).sessionId(2).heartbeatIntervalMs(400).maxFrameLength(65536).maxInFlight(10)
            .durability(io.chukei.protocol.sbe.Durability.PROCESS);
        welcome.nodesCount(1).next().nodeId(1).state(io.chukei.protocol.sbe.NodeState.ACTIVE).address("127.0.0.1:7400");
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + welcome.encodedLength());
    }
}
