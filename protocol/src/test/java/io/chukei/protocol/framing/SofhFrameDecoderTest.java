package io.chukei.protocol.framing;

import io.chukei.protocol.sbe.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SofhFrameDecoderTest
{
    private static final int MAX = 64;

    private final FrameCapture capture = new FrameCapture();
    private final EmbeddedChannel channel = new EmbeddedChannel(new SofhFrameDecoder(MAX), capture);
    private final List<ByteBuf> written = new ArrayList<>();

    @AfterEach
    void allBuffersReleased()
    {
        channel.finishAndReleaseAll();
        assertThat(capture.unexpected).isEmpty();
        assertThat(written).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    @Test
    void emitsTheSbePartOfAFrameWithoutTheSofhHeader()
    {
        write(frame(0xEB50, body(10, (byte)7)));

        assertThat(capture.frames).containsExactly(body(10, (byte)7));
        assertThat(capture.errors).isEmpty();
    }

    @Test
    void waitsForTheRestOfAFrameSplitByteByByte()
    {
        final byte[] frame = frame(0xEB50, body(20, (byte)1));
        for (final byte b : frame)
        {
            assertThat(capture.frames).isEmpty();
            write(new byte[] {b});
        }

        assertThat(capture.frames).containsExactly(body(20, (byte)1));
    }

    @Test
    void decodesSeveralFramesInOneRead()
    {
        write(concat(frame(0xEB50, body(8, (byte)1)), frame(0xEB50, body(30, (byte)2))));

        assertThat(capture.frames).containsExactly(body(8, (byte)1), body(30, (byte)2));
    }

    @Test
    void rejectsAnOversizedFrameAtOnceAndResumesAfterIt()
    {
        final byte[] oversized = frame(0xEB50, body(200, (byte)9));
        write(slice(oversized, 0, 10));

        assertThat(capture.errors).singleElement().satisfies(error ->
        {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(error.declaredLength()).isEqualTo(206);
            assertThat(error.isFatal()).isFalse();
            assertThat(error).hasMessage("frame length: 206 (expected: <= 64)");
        });

        write(concat(slice(oversized, 10, oversized.length), frame(0xEB50, body(8, (byte)3))));

        assertThat(capture.errors).hasSize(1);
        assertThat(capture.frames).containsExactly(body(8, (byte)3));
    }

    @Test
    void skipsAFrameTooShortForAnSbeHeaderAndGoesOn()
    {
        write(concat(frame(0xEB50, body(4, (byte)1)), frame(0xEB50, body(8, (byte)2))));

        assertThat(capture.errors).singleElement().satisfies(error ->
        {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_SHORT);
            assertThat(error.isFatal()).isFalse();
        });
        assertThat(capture.frames).containsExactly(body(8, (byte)2));
    }

    @Test
    void treatsALengthBelowTheHeaderAsFatalAndDiscardsTheRest()
    {
        final byte[] bad = {0, 0, 0, 3, (byte)0xEB, 0x50};
        write(concat(bad, frame(0xEB50, body(8, (byte)2))));
        write(frame(0xEB50, body(8, (byte)2)));

        assertThat(capture.errors).singleElement().satisfies(error ->
        {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_SHORT);
            assertThat(error.isFatal()).isTrue();
        });
        assertThat(capture.frames).isEmpty();
    }

    @Test
    void treatsAnUnknownEncodingTypeAsFatal()
    {
        write(frame(0x5BE0, body(8, (byte)1)));

        assertThat(capture.errors).singleElement().satisfies(error ->
        {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_ENCODING);
            assertThat(error.isFatal()).isTrue();
            assertThat(error).hasMessage("encoding type: 0x5be0 (expected: 0xeb50, SBE little-endian)");
        });
        assertThat(capture.frames).isEmpty();
    }

    @Test
    void treatsALengthAboveTwoGigabytesAsOversizedNotNegative()
    {
        write(new byte[] {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xF0, (byte)0xEB, 0x50, 1, 2});

        assertThat(capture.errors).singleElement().satisfies(error ->
        {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(error.declaredLength()).isEqualTo(0xFFFFFFF0L);
        });
    }

    @Test
    void aLengthWrittenLittleEndianIsFatalAndSaysSoInsteadOfSwallowingWhatFollows()
    {
        final byte[] frame = frame(0xEB50, body(14, (byte)1));   // 20 bytes: 00 00 00 14 big-endian
        final byte[] littleEndian = frame.clone();
        littleEndian[0] = 20;
        littleEndian[3] = 0;
        write(concat(littleEndian, frame(0xEB50, body(8, (byte)2))));

        assertThat(capture.errors).singleElement().satisfies(error ->
        {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(error.isFatal()).isTrue();
            assertThat(error).hasMessage("frame length: 335544320 (expected: <= 64, as a big-endian uint32; read " +
                "little-endian it would be 20: the SOFH length is big-endian); the stream cannot be framed, closing");
        });
        assertThat(capture.frames).isEmpty();
    }

    @Test
    void aByteSwappedLengthIsFatalEvenWhenItIsWithinTheSkippableRange()
    {
        // 512 = 00 00 02 00, written little-endian 00 02 00 00 = 131072: within 16 x 64 KiB, but 512 is a real length.
        final SofhFrameDecoder decoder = new SofhFrameDecoder(65_536);
        final FrameCapture errors = new FrameCapture();
        final EmbeddedChannel wide = new EmbeddedChannel(decoder, errors);
        wide.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 2, 0, 0, (byte)0xEB, 0x50, 1, 2}));

        assertThat(errors.errors).singleElement().satisfies(error ->
        {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(error.isFatal()).isTrue();
            assertThat(error.getMessage()).contains("read little-endian it would be 512");
        });
        wide.finishAndReleaseAll();
    }

    @Test
    void aLengthBeyondSixteenMaximumsIsFatal()
    {
        write(concat(new byte[] {0, 0, 0x04, 0x01, (byte)0xEB, 0x50}, frame(0xEB50, body(8, (byte)2))));   // 1025

        assertThat(capture.errors).singleElement().satisfies(error ->
        {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(error.isFatal()).isTrue();
            assertThat(error).hasMessage("frame length: 1025 (expected: <= 64, as a big-endian uint32); the stream " +
                "cannot be framed, closing");
        });
        assertThat(capture.frames).isEmpty();
    }

    @Test
    void refusesAMaximumBelowTheSmallestFrame()
    {
        assertThatThrownBy(() -> new SofhFrameDecoder(13))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maxFrameLength: 13 (expected: >= 14)");
    }

    private void write(final byte[] bytes)
    {
        final ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        written.add(buf);
        channel.writeInbound(buf);
    }

    static byte[] frame(final int encodingType, final byte[] body)
    {
        final ByteBuf buf = Unpooled.buffer();
        buf.writeInt(SofhFrame.HEADER_LENGTH + body.length).writeShort(encodingType).writeBytes(body);
        final byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    static byte[] body(final int length, final byte fill)
    {
        final byte[] body = new byte[length];
        java.util.Arrays.fill(body, fill);
        return body;
    }

    static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    static byte[] slice(final byte[] bytes, final int from, final int to)
    {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }
}
