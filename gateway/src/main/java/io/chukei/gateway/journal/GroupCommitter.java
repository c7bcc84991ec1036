package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SYNC mode's group commit, on one dedicated thread: take the highest index appended so far, fsync the cycle
 * file(s) up to it, then run every waiter at or below it. Entries appended while a sync runs wait for the next
 * one, so one sync serves every entry appended before it started however many threads append.
 * <p>
 * Chronicle's own {@code ExcerptAppender.sync()} msyncs only what that appender wrote in its current chunk, and
 * only from the appending thread; fsync of the cycle file from this thread covers every appender's writes,
 * because mmap writes and fsync share the page cache.
 * <p>
 * A failed fsync stops it for good ({@link #failure()}): nothing not covered by an earlier sync is reported durable
 * by this process again. After a write-back error Linux may drop the pages it could not write (marked clean, the
 * error reported once), so a later fsync can succeed without them; retrying until one succeeds would report
 * entries durable that the disk does not hold (PostgreSQL's "fsyncgate", 2018, which it answers the same way).
 */
final class GroupCommitter implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private final CycleFiles cycleFiles;
    private final Path directory;
    private final LongToIntFunction cycleOfIndex;
    private final long idleParkNs;
    private final AtomicLong highestAppended = new AtomicLong(-1);
    private final AtomicLong syncs = new AtomicLong();
    private final ConcurrentLinkedQueue<Waiter> arrivals = new ConcurrentLinkedQueue<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private final Thread thread;
    private volatile long durableIndex = -1;
    private volatile boolean running = true;
    private volatile long lastSyncNs;
    private volatile long syncStartedNs;
    private volatile boolean syncing;
    private volatile LongConsumer syncListener = nanos ->
    {
    };
    private volatile String failure;
    private final Force force;

    private FileChannel channel;
    private int channelCycle = Integer.MIN_VALUE;

    private record Waiter(long index, Executor executor, Runnable action, Runnable onFailed)
    {
    }

    /** How a cycle file is made durable: {@code FileChannel.force(false)}; a test's stands in for a disk that fails. */
    @FunctionalInterface
    interface Force
    {
        void force(FileChannel channel) throws IOException;
    }

    /** The file's data to the disk ({@code fdatasync}-like: metadata only as far as reading it back needs). */
    static final Force FSYNC = channel -> channel.force(false);

    GroupCommitter(final Path directory, final CycleFiles cycleFiles, final LongToIntFunction cycleOfIndex,
        final long idleParkNs, final Force force)
    {
        this.force = force;
        this.directory = directory;
        this.cycleFiles = cycleFiles;
        this.cycleOfIndex = cycleOfIndex;
        this.idleParkNs = idleParkNs;
        this.thread = new Thread(this::run, "chukei-journal-sync");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called after every append returns; cheap (one CAS) and never blocks. */
    void appended(final long index)
    {
        long current = highestAppended.get();
        while (index > current && !highestAppended.compareAndSet(current, index))
        {
            current = highestAppended.get();
        }
    }

    void whenDurable(final long index, final Executor executor, final Runnable action)
    {
        whenDurable(index, executor, action, null);
    }

    /**
     * As {@link #whenDurable(long, Executor, Runnable)}; {@code onFailed} (when not null) runs on {@code executor} instead
     * once an fsync has failed before one covered {@code index}: nothing will ever report it durable then.
     */
    void whenDurable(final long index, final Executor executor, final Runnable action, final Runnable onFailed)
    {
        if (index <= durableIndex)
        {
            executor.execute(action);
            return;
        }
        arrivals.add(new Waiter(index, executor, action, onFailed));
        LockSupport.unpark(thread);
    }

    /** Told each fsync's duration in nanoseconds, on the sync thread (for metrics: must be quick). */
    void syncListener(final LongConsumer listener)
    {
        this.syncListener = listener;
    }

    long durableIndex()
    {
        return durableIndex;
    }

    long syncCount()
    {
        return syncs.get();
    }

    /** Duration of the most recent fsync. */
    long lastSyncNs()
    {
        return lastSyncNs;
    }

    /** How long the fsync under way has been running, 0 when none is. */
    long syncRunningNs(final long nowNs)
    {
        final long started = syncStartedNs;
        return syncing ? Math.max(0, nowNs - started) : 0;
    }

    private void run()
    {
        while (running)
        {
            final long target = highestAppended.get();
            if (failure == null && target > durableIndex)
            {
                try
                {
                    syncThrough(target);
                    durableIndex = target;
                    syncs.incrementAndGet();
                }
                catch (final IOException | RuntimeException ex)
                {
                    failed(target, ex);
                }
            }
            completeWaiters();
            if (failure != null || highestAppended.get() <= durableIndex && arrivals.isEmpty())
            {
                LockSupport.parkNanos(this, idleParkNs);
            }
        }
        closeChannel();
    }

    private void failed(final long target, final Throwable ex)
    {
        failure = "fsync of the journal through index " + target + " failed (" + ex + "); entries after index " +
            durableIndex + " are not reported durable by this process, restart the node once the disk is checked";
        LOG.error("Journal sync through index {} failed. No entry after index {} (the last a sync covered) is reported " +
            "durable by this process from now on, and the journal takes no new request: after a write-back error the " +
            "kernel may drop the pages it could not write, so a later fsync can succeed without them. Check the disk, " +
            "then restart the node: its journal is recovered from what the disk holds, and the connectors resend what " +
            "was not acknowledged", target, durableIndex, ex);
    }

    /** Null while every fsync succeeded; else what failed (then it syncs no more and reports nothing more durable). */
    String failure()
    {
        return failure;
    }

    private void completeWaiters()
    {
        Waiter arrival;
        while ((arrival = arrivals.poll()) != null)
        {
            waiting.add(arrival);
        }
        final long durable = durableIndex;
        int kept = 0;
        for (int i = 0; i < waiting.size(); i++)
        {
            final Waiter waiter = waiting.get(i);
            if (waiter.index <= durable)
            {
                run(waiter, waiter.action);
            }
            else if (failure != null && waiter.onFailed != null)
            {
                run(waiter, waiter.onFailed);
            }
            else
            {
                waiting.set(kept++, waiter);
            }
        }
        waiting.subList(kept, waiting.size()).clear();
    }

    private static void run(final Waiter waiter, final Runnable action)
    {
        try
        {
            waiter.executor.execute(action);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("Durability callback for index {} could not be scheduled", waiter.index, ex);
        }
    }

    private void syncThrough(final long target) throws IOException
    {
        final long startNs = System.nanoTime();
        syncStartedNs = startNs;
        syncing = true;
        try
        {
            syncFilesThrough(target);
        }
        finally
        {
            syncing = false;
        }
        final long elapsedNs = System.nanoTime() - startNs;
        lastSyncNs = elapsedNs;
        syncListener.accept(elapsedNs);
    }

    private void syncFilesThrough(final long target) throws IOException
    {
        final int targetCycle = cycleOfIndex.applyAsInt(target);
        if (channel != null && channelCycle < targetCycle)
        {
            // Entries of the previous cycle may still be dirty: finish that file before moving on.
            force.force(channel);
            closeChannel();
        }
        if (channel == null)
        {
            final Path file = cycleFiles.fileFor(targetCycle);
            if (!Files.exists(file))
            {
                throw new IOException("cycle file " + file + " for index " + target + " not found");
            }
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channelCycle = targetCycle;
            // A new cycle file's directory entry must be durable too, or a power cut can lose the whole file.
            CheckpointFile.forceDirectory(directory);
        }
        force.force(channel);
    }

    private void closeChannel()
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                LOG.warn("Closing cycle file channel failed", ex);
            }
            channel = null;
            channelCycle = Integer.MIN_VALUE;
        }
    }

    /** Stops after a final sync of everything appended; waiters still pending then are run as well. */
    @Override
    public void close()
    {
        running = false;
        ParkedThreads.wakeAndJoin(thread, Duration.ofSeconds(10));
        final long target = highestAppended.get();
        if (failure == null && target > durableIndex)
        {
            try
            {
                syncThrough(target);
                durableIndex = target;
                syncs.incrementAndGet();
            }
            catch (final IOException | RuntimeException ex)
            {
                failed(target, ex);
            }
        }
        completeWaiters();
        closeChannel();
    }
}
