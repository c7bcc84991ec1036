package io.chukei.bench.codec;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.AcceptedEncoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.ResultEncoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Cost of writing frames with {@link FrameWriter} into a reused, cleared direct buffer, SOFH
 * header included:
 * <ul>
 *   <li>{@code encodeSubmit}: the ~280-byte PREISSUE_SETUP Submit a connector sends, every
 *       field set from prepared bytes;</li>
 *   <li>{@code encodeAcceptedAndResult}: what the relay writes back per request, an Accepted and
 *       a Result (detail "applied", a short payload), the way {@code gateway}'s
 *       {@code Replies} writes them;</li>
 *   <li>{@code baselineWriteSubmitBytes} and {@code baselineWriteReplyBytes}: the same number of
 *       bytes written with {@link ByteBuf#writeBytes(byte[])} from a prepared array, the floor
 *       for producing those bytes at all.</li>
 * </ul>
 * The buffer comes from the allocator named by {@code allocator} (see {@link Allocators}); it is
 * allocated once, so the allocator only matters for the memory's kind (direct). Run from the
 * worktree root after {@code mvn -B -o -q -DskipTests package}:
 * <pre>
 *   ops/chukei jmh FrameEncodeBenchmark -prof gc                                   # full
 *   ops/chukei jmh FrameEncodeBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc       # quick
 * </pre>
 * Read the results as ratios to the baseline measured in the same run; gc.alloc.rate.norm
 * should be ~0 B/op for every case.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsPrepend = {
    ForkOptions.EXECUTOR, ForkOptions.EXECUTOR_CLASS, ForkOptions.NO_LEAK_DETECTION})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class FrameEncodeBenchmark
{
    /** Body capacity reserved for a Result, as the relay reserves it: a small part plus the var data. */
    private static final int RESULT_SMALL_BODY = 128;
    private static final int NODE_ID = 1;
    private static final byte[] RESULT_DETAIL = "applied".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESULT_PAYLOAD = "PREISSUED".getBytes(StandardCharsets.US_ASCII);

    @Param({Allocators.POOLED})
    public String allocator;

    private final FrameWriter writer = new FrameWriter();
    private final SubmitEncoder submit = new SubmitEncoder();
    private final AcceptedEncoder accepted = new AcceptedEncoder();
    private final ResultEncoder result = new ResultEncoder();
    private ByteBuf target;
    private long deadlineEpochMs;
    private long journalPosition;
    private byte[] submitBytes;
    private byte[] replyBytes;

    @Setup
    public void setup()
    {
        target = Allocators.forName(allocator).directBuffer(4096);
        deadlineEpochMs = SubmitFixtures.deadlineADayFromNow();
        encodeSubmit();
        submitBytes = ByteBufUtil.getBytes(target);
        encodeAcceptedAndResult();
        replyBytes = ByteBufUtil.getBytes(target);
        target.clear();
    }

    @TearDown
    public void tearDown()
    {
        target.release();
    }

    @Benchmark
    public int baselineWriteSubmitBytes()
    {
        target.clear();
        target.writeBytes(submitBytes);
        return target.writerIndex();
    }

    @Benchmark
    public int encodeSubmit()
    {
        target.clear();
        return SubmitFixtures.writePreissueSetup(writer, submit, target, deadlineEpochMs);
    }

    @Benchmark
    public int baselineWriteReplyBytes()
    {
        target.clear();
        target.writeBytes(replyBytes);
        return target.writerIndex();
    }

    @Benchmark
    public int encodeAcceptedAndResult()
    {
        target.clear();
        final AcceptedEncoder a = writer.begin(target, accepted, AcceptedEncoder.BLOCK_LENGTH);
        a.requestId().hi(SubmitFixtures.REQUEST_ID_HI).lo(SubmitFixtures.REQUEST_ID_LO);
        a.nodeId(NODE_ID).journalPosition(++journalPosition).durability(Durability.PROCESS)
            .alreadyKnown(BooleanType.FALSE);
        writer.finish(a);

        final ResultEncoder r = writer.begin(
            target, result, RESULT_SMALL_BODY + RESULT_DETAIL.length + RESULT_PAYLOAD.length);
        r.requestId().hi(SubmitFixtures.REQUEST_ID_HI).lo(SubmitFixtures.REQUEST_ID_LO);
        r.nodeId(NODE_ID).status(OutcomeStatus.OK).upstreamCode(0).completedEpochMs(deadlineEpochMs);
        r.putDetail(RESULT_DETAIL, 0, RESULT_DETAIL.length);
        r.putPayload(RESULT_PAYLOAD, 0, RESULT_PAYLOAD.length);
        writer.finish(r);
        return target.writerIndex();
    }

    /** The frames written by the last benchmark call. */
    ByteBuf target()
    {
        return target;
    }

    int submitBytesLength()
    {
        return submitBytes.length;
    }

    int replyBytesLength()
    {
        return replyBytes.length;
    }
}
