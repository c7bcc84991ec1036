package io.chukei.protocol.client.outbox;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SYNC mode's group commit on one thread ({@code chukei-outbox-sync}): take the highest index appended so far, fsync
 * the cycle file holding it, then run every waiter at or below it. One fsync serves every request appended before
 * it started, from any client and thread; an mmap write and an fsync of the file share the page cache, so the fsync
 * covers what every appender wrote.
 */
final class OutboxSyncer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSyncer.class);
    private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long RETRY_AFTER_FAILURE_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private record Waiter(long index, Executor executor, Runnable action)
    {
    }

    private final LongToIntFunction cycleOfIndex;
    private final Map<Integer, File> cycleFiles = new ConcurrentHashMap<>();
    private final AtomicLong highestAppended = new AtomicLong(-1);
    private final AtomicLong syncs = new AtomicLong();
    private final ConcurrentLinkedQueue<Waiter> arrivals = new ConcurrentLinkedQueue<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private final Thread thread;
    private volatile long durableIndex = -1;
    private volatile boolean running = true;
    private FileChannel channel;
    private int channelCycle = Integer.MIN_VALUE;

    OutboxSyncer(final LongToIntFunction cycleOfIndex)
    {
        this.cycleOfIndex = cycleOfIndex;
        this.thread = new Thread(this::run, "chukei-outbox-sync");
        thread.setDaemon(true);
        thread.start();
    }

    /** Chronicle acquired the file of {@code cycle} (its path is needed to fsync it). */
    void fileAcquired(final int cycle, final File file)
    {
        cycleFiles.put(cycle, file);
    }

    void appended(final long index)
    {
        long current = highestAppended.get();
        while (index > current && !highestAppended.compareAndSet(current, index))
        {
            current = highestAppended.get();
        }
    }

    /** Runs {@code action} on {@code executor} once a sync covered {@code index}. */
    void whenDurable(final long index, final Executor executor, final Runnable action)
    {
        if (index <= durableIndex)
        {
            executor.execute(action);
            return;
        }
        arrivals.add(new Waiter(index, executor, action));
        LockSupport.unpark(thread);
    }

    long syncCount()
    {
        return syncs.get();
    }

    private void run()
    {
        while (running)
        {
            final long target = highestAppended.get();
            if (target > durableIndex)
            {
                try
                {
                    syncThrough(target);
                    durableIndex = target;
                    syncs.incrementAndGet();
                }
                catch (final IOException | RuntimeException ex)
                {
                    // Waiters stay waiting: a request is never sent on an append no sync covered.
                    LOG.error("Outbox sync through index {} failed; retrying", target, ex);
                    LockSupport.parkNanos(RETRY_AFTER_FAILURE_NS);
                    continue;
                }
            }
            completeWaiters();
            if (highestAppended.get() <= durableIndex && arrivals.isEmpty())
            {
                LockSupport.parkNanos(this, IDLE_PARK_NS);
            }
        }
    }

    private void syncThrough(final long target) throws IOException
    {
        final int cycle = cycleOfIndex.applyAsInt(target);
        if (channel != null && channelCycle != cycle)
        {
            // Entries of the previous cycle may still be dirty: finish that file first.
            channel.force(false);
            channel.close();
            channel = null;
        }
        if (channel == null)
        {
            final File file = cycleFiles.get(cycle);
            if (file == null)
            {
                throw new IOException("no cycle file known for cycle " + cycle + " (index " + target + ")");
            }
            channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            channelCycle = cycle;
            cycleFiles.keySet().removeIf(known -> known < cycle);
        }
        channel.force(false);
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
                try
                {
                    waiter.executor.execute(waiter.action);
                }
                catch (final RuntimeException ex)
                {
                    // The client's loop is shut down: its requests were answered SHUTTING_DOWN meanwhile.
                    LOG.debug("Outbox durability callback for index {} not scheduled: {}", waiter.index, ex.toString());
                }
            }
            else
            {
                waiting.set(kept++, waiter);
            }
        }
        waiting.subList(kept, waiting.size()).clear();
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (channel != null)
        {
            try
            {
                channel.force(false);
                channel.close();
            }
            catch (final IOException ex)
            {
                LOG.warn("Closing the outbox sync channel failed", ex);
            }
        }
    }
}
