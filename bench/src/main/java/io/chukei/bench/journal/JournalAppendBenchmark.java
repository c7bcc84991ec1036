package io.chukei.bench.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalDurability;
import io.chukei.gateway.journal.JournalKeys;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Cost of journaling one ACCEPTED entry with a ~300-byte Submit.
 * <ul>
 *   <li>{@code copyBaseline}: copying the same bytes into a buffer, the floor any journal pays;</li>
 *   <li>{@code appendProcess}: append in PROCESS mode (durable at once: survives a process crash);</li>
 *   <li>{@code appendProcessSealed}: the same with a key ring, so the Submit's personal part is sealed with
 *       AES-256-GCM (entry version 2), as the node writes it; the difference to {@code appendProcess} is the
 *       cost of encryption per ACCEPTED;</li>
 *   <li>{@code completedProcess} / {@code completedProcessSealed}: a COMPLETED with a 40-byte detail and a 16-byte
 *       payload, clear and sealed: the other sealed entry every request writes;</li>
 *   <li>{@code appendSyncRoundTrip}: append in SYNC mode and wait for the group-commit fsync's callback,
 *       single-threaded, so every append pays a whole fsync (the worst case of group commit).</li>
 * </ul>
 * Run: {@code java -jar bench/target/chukei-bench.jar JournalAppend -prof gc}
 * (the jar's manifest opens what Chronicle needs; add
 * {@code -jvmArgsAppend "-Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true"}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
@State(Scope.Thread)
public class JournalAppendBenchmark
{
    private static final byte INTERACTIVE = 1;

    private final UnsafeBuffer submit = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer municipality = new UnsafeBuffer("131016".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private final DurableFlag durable = new DurableFlag();
    private int submitLength;
    private long sequence;
    private Path processDirectory;
    private Path syncDirectory;
    private Journal processJournal;
    private Journal sealedJournal;
    private Journal syncJournal;
    private Path sealedDirectory;
    private final UnsafeBuffer detail = new UnsafeBuffer("card suspended by the municipality 131016".getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);

    /** Set by the group-commit thread, spun on by the benchmark thread. */
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
    public void open() throws IOException
    {
        submitLength = SampleSubmit.encode(submit, 0x0123_4567_89AB_CDEFL, 1);
        processDirectory = Files.createTempDirectory("chukei-bench-journal-process");
        syncDirectory = Files.createTempDirectory("chukei-bench-journal-sync");
        // No full-disk guard: an unpaced writer outruns the space it allocates ahead every 50 ms, and the appends
        // refused then (in a few ns) were what this benchmark measured before 2026-12-05 (bench/README.md).
        processJournal = Journal.open(JournalConfig.builder().directory(processDirectory).preallocateBytes(0).build());
        sealedDirectory = Files.createTempDirectory("chukei-bench-journal-sealed");
        sealedJournal = Journal.open(JournalConfig.builder().directory(sealedDirectory.resolve("journal"))
            .keys(JournalKeys.loadOrCreate(sealedDirectory.resolve("journal.keys"))).preallocateBytes(0).build());
        syncJournal = Journal.open(JournalConfig.builder().directory(syncDirectory).durability(JournalDurability.SYNC)
            .preallocateBytes(0).build());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        for (final Journal journal : new Journal[] {processJournal, sealedJournal, syncJournal})
        {
            if (journal.appendFailures() > 0 || journal.spaceRefusals() > 0)
            {
                throw new IllegalStateException("appends refused or failed during the run: " + journal.appendFailures() +
                    " failed, " + journal.spaceRefusals() + " refused for space; the figures measure refusals");
            }
        }
        processJournal.close();
        sealedJournal.close();
        syncJournal.close();
        deleteRecursively(sealedDirectory);
        deleteRecursively(processDirectory);
        deleteRecursively(syncDirectory);
    }

    @Benchmark
    public int copyBaseline()
    {
        copy.putBytes(0, submit, 0, submitLength);
        return copy.getInt(submitLength - 4);
    }

    @Benchmark
    public long appendProcess()
    {
        final long lo = ++sequence;
        return processJournal.appendAccepted(1, lo, 1, 1L, municipality, 0, INTERACTIVE, 1_800_000_000_000L, lo, submit, 0,
            submitLength);
    }

    @Benchmark
    public long appendProcessSealed()
    {
        final long lo = ++sequence;
        return sealedJournal.appendAccepted(1, lo, 1, 1L, municipality, 0, INTERACTIVE, 1_800_000_000_000L, lo, submit, 0,
            submitLength);
    }

    @Benchmark
    public long completedProcess()
    {
        final long lo = ++sequence;
        return processJournal.appendCompleted(131016, 1, lo, (byte)0, 0, false, detail, 0, detail.capacity(), payload, 0,
            payload.capacity());
    }

    @Benchmark
    public long completedProcessSealed()
    {
        final long lo = ++sequence;
        return sealedJournal.appendCompleted(131016, 1, lo, (byte)0, 0, false, detail, 0, detail.capacity(), payload, 0,
            payload.capacity());
    }

    @Benchmark
    public long appendSyncRoundTrip()
    {
        final long lo = ++sequence;
        final long index = syncJournal.appendAccepted(1, lo, 1, 1L, municipality, 0, INTERACTIVE, 1_800_000_000_000L, lo,
            submit, 0, submitLength);
        durable.done = false;
        syncJournal.whenDurable(index, Runnable::run, durable);
        while (!durable.done)
        {
            Thread.onSpinWait();
        }
        return index;
    }

    static void deleteRecursively(final Path directory) throws IOException
    {
        try (var files = Files.walk(directory))
        {
            for (final Path path : (Iterable<Path>)files.sorted(java.util.Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
