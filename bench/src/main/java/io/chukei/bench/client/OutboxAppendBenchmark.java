package io.chukei.bench.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.chukei.bench.codec.SubmitFixtures;
import io.chukei.protocol.client.outbox.ConnectorOutbox;
import io.chukei.protocol.client.outbox.OutboxConfig;
import io.chukei.protocol.client.outbox.OutboxDurability;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the connector outbox costs per request: the SUBMIT entry appended before the first send (the frame of a
 * PREISSUE_SETUP batch member with a name, kana and address, ~330 bytes) plus the ANSWER entry after the answer.
 * <ul>
 *   <li>{@code copyBaseline}: copying the frame once into a buffer, the floor any outbox pays;</li>
 *   <li>{@code submitAndAnswerProcess}: both appends in PROCESS durability (survives kill -9), the SDK's default;</li>
 *   <li>{@code submitSyncRoundTrip}: the SUBMIT in SYNC durability, waiting for the group-commit fsync's callback,
 *       single-threaded, so every request pays a whole fsync (the worst case of group commit).</li>
 * </ul>
 * Run: {@code ops/chukei jmh OutboxAppend -prof gc} (B/op: {@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
@State(Scope.Thread)
public class OutboxAppendBenchmark
{
    private final byte[] copy = new byte[SubmitFixtures.MAX_BODY_LENGTH + 64];
    private final DurableFlag durable = new DurableFlag();
    private byte[] frame;
    private Path processDirectory;
    private Path syncDirectory;
    private ConnectorOutbox processOutbox;
    private ConnectorOutbox syncOutbox;
    private long now;

    /** Set by the sync thread, spun on by the benchmark thread. */
    static final class DurableFlag implements Runnable
    {
        volatile boolean done;

        @Override
        public void run()
        {
            done = true;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final ByteBuf buffer = Unpooled.buffer(2048);
        final int length = SubmitFixtures.writePreissueSetup(new FrameWriter(), new SubmitEncoder(), buffer,
            SubmitFixtures.deadlineADayFromNow());
        frame = new byte[length];
        buffer.getBytes(buffer.readerIndex(), frame);
        buffer.release();
        processDirectory = Files.createTempDirectory("outbox-bench-process");
        syncDirectory = Files.createTempDirectory("outbox-bench-sync");
        processOutbox = ConnectorOutbox.open(processDirectory);
        syncOutbox = ConnectorOutbox.open(OutboxConfig.builder(syncDirectory).durability(OutboxDurability.SYNC).build());
        now = System.currentTimeMillis();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        processOutbox.close();
        syncOutbox.close();
        delete(processDirectory);
        delete(syncDirectory);
    }

    @Benchmark
    public byte[] copyBaseline()
    {
        System.arraycopy(frame, 0, copy, 0, frame.length);
        return copy;
    }

    @Benchmark
    public long submitAndAnswerProcess()
    {
        final long index = processOutbox.appendSubmit(frame, now);
        return processOutbox.appendAnswer(frame, now, index, (byte)1, false, OutcomeStatus.OK.value(), now);
    }

    @Benchmark
    public boolean submitSyncRoundTrip()
    {
        durable.done = false;
        final long index = syncOutbox.appendSubmit(frame, now);
        syncOutbox.whenDurable(index, Runnable::run, durable);
        while (!durable.done)
        {
            Thread.onSpinWait();
        }
        syncOutbox.appendAnswer(frame, now, index, (byte)1, false, OutcomeStatus.OK.value(), now);
        return durable.done;
    }

    private static void delete(final Path directory) throws IOException
    {
        try (var files = Files.walk(directory))
        {
            for (final Path path : files.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
