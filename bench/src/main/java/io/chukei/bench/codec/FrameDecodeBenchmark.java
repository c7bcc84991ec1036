package io.chukei.bench.codec;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost of receiving one ~280-byte PREISSUE_SETUP Submit frame, per frame:
 * <ul>
 *   <li>{@code decodeFrame}: the whole receive path after TLS. {@link SofhFrameDecoder#channelRead}
 *       is called with the decoder's real {@link ChannelHandlerContext}, so its cumulation, frame
 *       split and retained slice run exactly as in the relay's pipeline; the next handler
 *       ({@link SubmitFrameConsumer}) runs {@link MessageReader#wrap} and reads every field
 *       through the copying getters, then releases the frame.</li>
 *   <li>{@code readSubmit}: the same reader and field reads on the already framed message, so
 *       {@code decodeFrame - readSubmit} is the framing cost.</li>
 *   <li>{@code baselineCopyAndSum}: copy the frame's bytes into another direct buffer and sum a
 *       few fields at fixed offsets: the floor for "touch every byte once".</li>
 * </ul>
 * Why channelRead with the real context rather than {@code EmbeddedChannel.writeInbound}:
 * writeInbound adds the embedded channel's own queueing, task running and exception checks,
 * which no real channel does; {@code SofhFrameDecoder} is final and its {@code decode} protected,
 * so a subclass or direct decode call is not possible from here. The channel below only holds
 * the pipeline. One frame per read is the worst case: a socket read that carries many frames
 * spreads channelRead's fixed cost over them.
 *
 * <p>Buffers come from the allocator named by {@code allocator}: {@code pooled}
 * ({@code PooledByteBufAllocator}) and {@code adaptive} (Netty 4.2's {@code ByteBufAllocator.DEFAULT},
 * which the relay's channels get unless configured otherwise). Benchmark threads are
 * {@link EventLoopThreadExecutor} threads, as an event loop's are, so Netty's per-thread object
 * pools work as they do in the relay, and leak sampling is off (see {@link ForkOptions}). Run from
 * the worktree root after
 * {@code mvn -B -o -q -DskipTests package}:
 * <pre>
 *   ops/chukei jmh FrameDecodeBenchmark -prof gc                                   # full
 *   ops/chukei jmh FrameDecodeBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc       # quick
 * </pre>
 * Read the results as ratios to the baseline measured in the same run. gc.alloc.rate.norm is
 * ~0 B/op for every case except {@code decodeFrame} with {@code adaptive}: there the decoder's
 * retained slice is a new 40-byte object per frame, which the pooled allocator recycles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsPrepend = {
    ForkOptions.EXECUTOR, ForkOptions.EXECUTOR_CLASS, ForkOptions.NO_LEAK_DETECTION})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class FrameDecodeBenchmark
{
    private static final int PREFIX_LENGTH = SofhFrame.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int REQUEST_ID_HI_OFFSET = PREFIX_LENGTH + SubmitDecoder.requestIdEncodingOffset();
    private static final int REQUEST_ID_LO_OFFSET = REQUEST_ID_HI_OFFSET + Long.BYTES;
    private static final int DEADLINE_OFFSET = PREFIX_LENGTH + SubmitDecoder.deadlineEpochMsEncodingOffset();
    private static final int ATTEMPT_OFFSET = PREFIX_LENGTH + SubmitDecoder.attemptEncodingOffset();

    @Param({Allocators.POOLED, Allocators.ADAPTIVE})
    public String allocator;

    private final MessageReader reader = new MessageReader();
    private final SubmitFields fields = new SubmitFields();
    private ByteBuf wire;
    private ByteBuf message;
    private ByteBuf copy;
    private int frameLength;
    private EmbeddedChannel channel;
    private SofhFrameDecoder decoder;
    private ChannelHandlerContext decoderContext;
    private SubmitFrameConsumer consumer;

    @Setup
    public void setup()
    {
        final ByteBufAllocator alloc = Allocators.forName(allocator);
        wire = alloc.directBuffer(SofhFrame.HEADER_LENGTH + SubmitFixtures.MAX_BODY_LENGTH * 2);
        frameLength = SubmitFixtures.writePreissueSetup(
            new FrameWriter(), new SubmitEncoder(), wire, SubmitFixtures.deadlineADayFromNow());
        message = wire.slice(SofhFrame.HEADER_LENGTH, frameLength - SofhFrame.HEADER_LENGTH);
        copy = alloc.directBuffer(frameLength);

        decoder = new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH);
        consumer = new SubmitFrameConsumer();
        channel = new EmbeddedChannel(decoder, consumer);
        channel.config().setAllocator(alloc);
        decoderContext = channel.pipeline().context(decoder);
    }

    @TearDown
    public void tearDown()
    {
        channel.finishAndReleaseAll();
        copy.release();
        wire.release();
    }

    @Benchmark
    public long baselineCopyAndSum()
    {
        copy.setBytes(0, wire, 0, frameLength);
        return copy.getInt(SofhFrame.LENGTH_OFFSET) + copy.getLongLE(REQUEST_ID_HI_OFFSET) +
            copy.getLongLE(REQUEST_ID_LO_OFFSET) + copy.getLongLE(DEADLINE_OFFSET) +
            copy.getShortLE(ATTEMPT_OFFSET);
    }

    @Benchmark
    public long readSubmit()
    {
        if (reader.wrap(message) != ErrorCode.NO_ERROR)
        {
            return -1;
        }
        return fields.readAll(reader.submit());
    }

    @Benchmark
    public long decodeFrame() throws Exception
    {
        // The decoder releases its cumulation (this buffer) once it has read it all, and the
        // consumer releases the slice: retain once so the fixture survives the operation.
        wire.retain();
        wire.readerIndex(0);
        decoder.channelRead(decoderContext, wire);
        return consumer.checksum();
    }

    SubmitFrameConsumer consumer()
    {
        return consumer;
    }

    MessageReader reader()
    {
        return reader;
    }

    ByteBuf wire()
    {
        return wire;
    }

    ByteBuf copy()
    {
        return copy;
    }

    int frameLength()
    {
        return frameLength;
    }
}
