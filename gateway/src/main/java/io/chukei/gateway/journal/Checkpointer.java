package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps its own replica of the request table by tailing the journal with the same {@link JournalReplayer}
 * recovery uses (catching up every {@link #CATCH_UP_NANOS}), and every interval writes it as a checkpoint (paced) and
 * applies retention. Working from the
 * journal rather than from the relay's live table means the hot path takes no lock and pays no copy, and
 * a checkpoint is by construction exactly the state after the entry it names.
 */
final class Checkpointer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final long NOTHING_WRITTEN = Long.MIN_VALUE;
    /** How often the replica catches up with the journal between checkpoints. */
    static final long CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SingleChronicleQueue queue;
    private final Path directory;
    private final Retention retention;
    private final int capacity;
    private final long intervalNs;
    private final Thread thread;
    private volatile boolean running = true;
    private JournalReplayer replayer;
    private ExcerptTailer tailer;
    private long startIndex;
    private long coveredIndex;
    private long writtenIndex = NOTHING_WRITTEN;
    private long checkpoints;

    /**
     * The replica is built on the checkpoint thread (from the latest checkpoint and the journal after it), so
     * a restart does not wait for a second copy of the table.
     */
    Checkpointer(final SingleChronicleQueue queue, final Path directory, final Retention retention, final int capacity,
        final long intervalNs)
    {
        this.queue = queue;
        this.directory = directory;
        this.retention = retention;
        this.capacity = capacity;
        this.intervalNs = intervalNs;
        this.thread = new Thread(this::run, "chukei-journal-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        long nextCheckpoint = System.nanoTime() + intervalNs;
        while (running)
        {
            LockSupport.parkNanos(this, Math.min(CATCH_UP_NANOS, intervalNs));
            if (!running)
            {
                break;
            }
            try
            {
                if (System.nanoTime() - nextCheckpoint >= 0)
                {
                    nextCheckpoint = System.nanoTime() + intervalNs;
                    checkpointNow(() -> running);
                }
                else
                {
                    catchUp();
                }
            }
            catch (final RuntimeException ex)
            {
                LOG.error("Journal checkpoint failed; the next interval tries again", ex);
            }
        }
    }

    /**
     * Applies what the journal gained since the last call to the replica. Every {@link #CATCH_UP_NANOS}, not once per
     * interval: 30 s of entries at 8,000 requests/s (720,000) took the checkpoint thread about 0.2 s of CPU in one go,
     * which on a one-CPU node stalled the event loop (bench/README.md, <i>The checkpoint's stall</i>); a tenth of a
     * second's worth is a few milliseconds.
     */
    private synchronized void catchUp()
    {
        ensureReplica();
        replayer.replay(tailer());
        coveredIndex = Math.max(coveredIndex, replayer.lastIndex());
    }

    /** Catches up with the journal, writes a checkpoint if anything changed, applies retention. */
    long checkpointNow()
    {
        return checkpointNow(() -> false);
    }

    /**
     * As {@link #checkpointNow()}; the checkpoint file is written paced while {@code paced} holds (the interval's
     * checkpoints, until close: {@link CheckpointFile#write(Path, RequestIndex, long, BooleanSupplier)}).
     */
    private synchronized long checkpointNow(final BooleanSupplier paced)
    {
        catchUp();
        final long covered = coveredIndex;
        if (covered != writtenIndex)
        {
            try
            {
                CheckpointFile.write(directory, replayer.requests(), covered, paced);
                writtenIndex = covered;
                checkpoints++;
            }
            catch (final IOException ex)
            {
                LOG.error("Writing journal checkpoint at index {} failed; restart will replay a longer tail", covered, ex);
            }
        }
        retention.apply(queue.cycle(), oldestNeededCycle());
        queue.refreshDirectoryListing();
        return writtenIndex;
    }

    synchronized long checkpoints()
    {
        return checkpoints;
    }

    private void ensureReplica()
    {
        if (replayer != null)
        {
            return;
        }
        CheckpointFile.Loaded loaded = null;
        try
        {
            loaded = CheckpointFile.read(directory, capacity);
        }
        catch (final IOException ex)
        {
            LOG.warn("Checkpointer found the checkpoint unusable; rebuilding its table from the whole journal: {}",
                ex.getMessage());
        }
        if (loaded != null && loaded.coveredIndex() >= 0 && !holds(loaded.coveredIndex()))
        {
            // As recovery does: a checkpoint covering entries the journal no longer holds (a cut cycle file set aside,
            // the newest file deleted) describes requests of lost entries, and its index would claim them covered in
            // every checkpoint after it. Rebuilt from what the journal holds.
            LOG.warn("Checkpointer: the checkpoint covers index {} which the journal does not hold; rebuilding its " +
                "table from the whole journal", loaded.coveredIndex());
            loaded = null;
        }
        replayer = new JournalReplayer(loaded != null ? loaded.requests() : new RequestIndex(capacity));
        startIndex = loaded != null ? loaded.coveredIndex() : -1;
        coveredIndex = startIndex;
    }

    private boolean holds(final long index)
    {
        try (ExcerptTailer probe = queue.createTailer())
        {
            return probe.moveToIndex(index) && skipOne(probe);
        }
    }

    private int oldestNeededCycle()
    {
        if (writtenIndex == NOTHING_WRITTEN && coveredIndex >= 0)
        {
            // No checkpoint of ours on disk yet: recovery may still need everything after the old one.
            return queue.firstCycle();
        }
        final long oldest = Math.min(writtenIndex < 0 ? Long.MAX_VALUE : writtenIndex,
            replayer.requests().oldestPendingAcceptedIndex());
        return oldest == Long.MAX_VALUE ? queue.cycle() : queue.rollCycle().toCycle(oldest);
    }

    private ExcerptTailer tailer()
    {
        if (tailer == null)
        {
            tailer = queue.createTailer();
            if (startIndex >= 0 && tailer.moveToIndex(startIndex))
            {
                skipOne(tailer);
            }
            else
            {
                // Replaying from the start is harmless: every entry applies idempotently to the replica.
                tailer.toStart();
            }
        }
        // Used from the checkpoint thread and from close() or an explicit checkpoint: calls are serialised here.
        tailer.singleThreadedCheckReset();
        return tailer;
    }

    /** Steps over the entry at the tailer's position (the one a checkpoint or recovery already covers). */
    static boolean skipOne(final ExcerptTailer tailer)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            return dc.isPresent();
        }
    }

    @Override
    public void close()
    {
        running = false;
        ParkedThreads.wakeAndJoin(thread, Duration.ofSeconds(30));
        checkpointNow();
        synchronized (this)
        {
            if (tailer != null)
            {
                tailer.close();
                tailer = null;
            }
        }
    }
}
