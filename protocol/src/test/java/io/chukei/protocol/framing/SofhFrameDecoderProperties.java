package io.chukei.protocol.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SofhFrameDecoderProperties
{
    private static final int MAX = 512;

    @Property(tries = 300)
    void aStreamOfFramesDecodesIdenticallyHoweverTcpSplitsIt(
        @ForAll("bodies") final List<byte[]> bodies, @ForAll final long splitSeed)
    {
        final byte[] stream = concatenate(bodies);

        final List<byte[]> whole = decode(List.of(stream)).frames;
        final List<byte[]> split = decode(randomSplit(stream, new Random(splitSeed))).frames;

        assertThat(whole).containsExactlyElementsOf(bodies);
        assertThat(split).containsExactlyElementsOf(bodies);
    }

    @Property(tries = 300)
    void oversizedFramesAmongGoodOnesAreReportedAndSkippedWhereverTheStreamIsSplit(
        @ForAll("bodies") final List<byte[]> good,
        @ForAll @IntRange(min = MAX - 5, max = 4 * MAX) final int oversizedBodyLength,
        @ForAll @IntRange(min = 0, max = 16) final int insertAt,
        @ForAll final long splitSeed)
    {
        final List<byte[]> bodies = new ArrayList<>(good);
        final int at = Math.min(insertAt, bodies.size());
        bodies.add(at, new byte[oversizedBodyLength]);

        final Outcome outcome = decode(randomSplit(concatenate(bodies), new Random(splitSeed)));

        assertThat(outcome.frames).containsExactlyElementsOf(good);
        assertThat(outcome.errors).singleElement()
            .satisfies(error -> assertThat(error.declaredLength()).isEqualTo(oversizedBodyLength + 6L));
    }

    @Property(tries = 500)
    void garbageNeverEscapesAsAnythingButAFrameErrorAndLeaksNothing(
        @ForAll @Size(max = 2048) final byte[] garbage, @ForAll final long splitSeed)
    {
        final Outcome outcome = decode(randomSplit(garbage, new Random(splitSeed)));

        assertThat(outcome.unexpected).isEmpty();
        assertThat(outcome.frames).allSatisfy(frame -> assertThat(frame.length).isBetween(8, MAX - 6));
    }

    @Provide
    Arbitrary<List<byte[]>> bodies()
    {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(8).ofMaxSize(MAX - 6).list().ofMaxSize(16);
    }

    private static Outcome decode(final List<byte[]> chunks)
    {
        final FrameCapture capture = new FrameCapture();
        final EmbeddedChannel channel = new EmbeddedChannel(new SofhFrameDecoder(MAX), capture);
        final List<ByteBuf> written = new ArrayList<>();
        for (final byte[] chunk : chunks)
        {
            final ByteBuf buf = Unpooled.directBuffer(chunk.length).writeBytes(chunk);
            written.add(buf);
            channel.writeInbound(buf);
        }
        channel.finishAndReleaseAll();
        assertThat(written).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        return new Outcome(capture.frames, capture.errors, capture.unexpected);
    }

    private static byte[] concatenate(final List<byte[]> bodies)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] body : bodies)
        {
            out.writeBytes(SofhFrameDecoderTest.frame(SofhFrame.SBE_LITTLE_ENDIAN, body));
        }
        return out.toByteArray();
    }

    private static List<byte[]> randomSplit(final byte[] stream, final Random random)
    {
        final List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        while (from < stream.length)
        {
            final int to = Math.min(stream.length, from + 1 + random.nextInt(64));
            chunks.add(java.util.Arrays.copyOfRange(stream, from, to));
            from = to;
        }
        return chunks;
    }

    private record Outcome(List<byte[]> frames, List<SofhFrameException> errors, List<Throwable> unexpected)
    {
    }
}
