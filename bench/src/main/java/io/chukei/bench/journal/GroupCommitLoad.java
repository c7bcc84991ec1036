package io.chukei.bench.journal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalDurability;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What group commit alone carries, without TLS, sockets or card management: two threads (standing in for the
 * node's event loops) append ACCEPTED entries at a fixed total rate, wait for durability as the relay does
 * ({@link Journal#whenDurable}: onto their own task queue after the fsync in sync mode, at once in process mode),
 * and on the callback append FORWARDED and COMPLETED, so the journal sees the relay's three entries per request.
 * Prints, per second, the requests made durable, the fsyncs and their total time, and the wait from the intended
 * append time to the callback (so a stalled appender counts against the rate, as in the load generator).
 * <p>
 * Run: {@code java <JVM flags> -cp bench/target/chukei-bench.jar io.chukei.bench.journal.GroupCommitLoad
 * RATE SECONDS [DIR] [sync|process]} (DIR: where the temporary journal goes, default the system's temp dir;
 * it must be on the disk under test).
 */
public final class GroupCommitLoad
{
    private static final int APPENDERS = 2;
    /** The municipality of every entry (131016), as request keys scope ids. */
    private static final int SCOPE = 131016;
    private static final long APPENDER_IDLE_NS = TimeUnit.MICROSECONDS.toNanos(200);

    private GroupCommitLoad()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 2)
        {
            System.err.println("usage: GroupCommitLoad RATE SECONDS [DIR] [sync|process]");
            System.exit(2);
        }
        final int rate = Integer.parseInt(args[0]);
        final int seconds = Integer.parseInt(args[1]);
        final Path parent = args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir"));
        final JournalDurability durability = args.length > 3 ?
            JournalDurability.valueOf(args[3].toUpperCase(java.util.Locale.ROOT)) : JournalDurability.SYNC;
        final Path directory = Files.createTempDirectory(parent, "chukei-group-commit-load");
        try
        {
            run(rate, seconds, directory, durability);
        }
        finally
        {
            JournalAppendBenchmark.deleteRecursively(directory);
        }
    }

    private static void run(final int rate, final int seconds, final Path directory, final JournalDurability durability)
        throws InterruptedException
    {
        final Journal journal = Journal.open(JournalConfig.builder().directory(directory).durability(durability).build());
        journal.recover();
        final AtomicLong syncNanos = new AtomicLong();
        journal.onSync(syncNanos::addAndGet);
        final Recorder durableWait = new Recorder(3);
        final AtomicLong durableCount = new AtomicLong();
        final long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        final long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
        final Thread[] appenders = new Thread[APPENDERS];
        for (int a = 0; a < APPENDERS; a++)
        {
            final Appender appender = new Appender(journal, a, rate / (double)APPENDERS, startNs, endNs, durableWait,
                durableCount);
            appenders[a] = new Thread(appender::run, "appender-" + a);
            appenders[a].start();
        }

        final Histogram total = new Histogram(3);
        long syncsBefore = journal.syncCount();
        long syncNanosBefore = 0;
        long durableBefore = 0;
        System.out.printf("%s, %d requests/s (3 entries each) for %d s into %s%n", durability, rate, seconds, directory);
        for (int second = 1; second <= seconds + 1; second++)
        {
            Thread.sleep(1000);
            final Histogram interval = durableWait.getIntervalHistogram();
            total.add(interval);
            final long syncs = journal.syncCount();
            final long nanos = syncNanos.get();
            final long durable = durableCount.get();
            System.out.printf("%3d s  durable %6d/s  fsyncs %4d (%4d ms in fsync)  wait ms p50 %7.1f p99 %7.1f max %7.1f%n",
                second, durable - durableBefore, syncs - syncsBefore, (nanos - syncNanosBefore) / 1_000_000,
                interval.getValueAtPercentile(50) / 1e3, interval.getValueAtPercentile(99) / 1e3, interval.getMaxValue() / 1e3);
            syncsBefore = syncs;
            syncNanosBefore = nanos;
            durableBefore = durable;
        }
        for (final Thread appender : appenders)
        {
            appender.join();
        }
        total.add(durableWait.getIntervalHistogram());
        System.out.printf("total: %d requests durable; wait ms p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f; %d fsyncs, " +
            "mean %.2f ms%n", total.getTotalCount(), total.getValueAtPercentile(50) / 1e3, total.getValueAtPercentile(90) / 1e3,
            total.getValueAtPercentile(99) / 1e3, total.getValueAtPercentile(99.9) / 1e3, total.getMaxValue() / 1e3,
            journal.syncCount(), journal.syncCount() == 0 ? 0.0 : syncNanos.get() / 1e6 / journal.syncCount());
        journal.close();
    }

    /** One stand-in event loop: appends on schedule, runs its durability callbacks from its own task queue. */
    private static final class Appender
    {
        private final Journal journal;
        private final int id;
        private final double intervalNs;
        private final long startNs;
        private final long endNs;
        private final Recorder durableWait;
        private final AtomicLong durableCount;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final Executor loop = tasks::add;
        private final UnsafeBuffer submit = new UnsafeBuffer(new byte[1024]);
        private final UnsafeBuffer municipality = new UnsafeBuffer("131016".getBytes(StandardCharsets.US_ASCII));
        private final UnsafeBuffer answer = new UnsafeBuffer(new byte[200]);
        private final int submitLength;

        Appender(final Journal journal, final int id, final double perSecond, final long startNs, final long endNs,
            final Recorder durableWait, final AtomicLong durableCount)
        {
            this.journal = journal;
            this.id = id;
            this.intervalNs = 1e9 / perSecond;
            this.startNs = startNs;
            this.endNs = endNs;
            this.durableWait = durableWait;
            this.durableCount = durableCount;
            this.submitLength = SampleSubmit.encode(submit, id, 1);
        }

        void run()
        {
            long sent = 0;
            // Runs on past the end until the last callbacks came (or 10 s more: a stuck disk).
            while (System.nanoTime() < endNs + TimeUnit.SECONDS.toNanos(10))
            {
                final long now = System.nanoTime();
                long intendedNs = startNs + (long)(sent * intervalNs);
                while (intendedNs <= now && intendedNs < endNs)
                {
                    append(intendedNs, (long)id << 40 | ++sent);
                    intendedNs = startNs + (long)(sent * intervalNs);
                }
                Runnable task;
                while ((task = tasks.poll()) != null)
                {
                    task.run();
                }
                if (now >= endNs && durableCount.get() >= expected())
                {
                    return;
                }
                LockSupport.parkNanos(APPENDER_IDLE_NS);
            }
        }

        private long expected()
        {
            return (long)((endNs - startNs) / intervalNs) * APPENDERS;
        }

        private void append(final long intendedNs, final long idLo)
        {
            final long index = journal.appendAccepted(id, idLo, 1, id, municipality, 0, (byte)1, 1_800_000_000_000L, idLo,
                submit, 0, submitLength);
            journal.whenDurable(index, loop, () ->
            {
                durableWait.recordValue(Math.max(0, System.nanoTime() - intendedNs) / 1000);
                journal.appendForwarded(SCOPE, id, idLo, 1, 1, false);
                journal.appendCompleted(SCOPE, id, idLo, (byte)0, 0, false, answer, 0, 20, answer, 0, 150);
                durableCount.incrementAndGet();
            });
        }
    }
}
