package io.chukei.gateway.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import jnr.ffi.LibraryLoader;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PROCESS mode's watch for a failing disk. An Accepted there does not wait for the disk, and Linux reports a write-back
 * error (the kernel's flusher could not write a page of the journal) only to a later fsync of the file — which nobody
 * makes in this mode — so a node would go on acknowledging on a disk that drops its writes. Every interval this thread
 * asks the kernel, for the cycle file being written, whether such an error was recorded since it last asked:
 * {@code sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE)} waits only for write-back already under way (none
 * of its own; an fsync each second cost the answer p99.9 twice over, bench/README.md) and returns the error the
 * kernel recorded for the file since this descriptor last looked (errseq, Linux 4.13+). An error is found once the
 * kernel has tried to write the page: within {@code vm.dirty_expire_centisecs} (30 s) plus its flusher's interval of
 * the append, sooner under memory pressure, at once after a {@code sync}.
 * <p>
 * After a roll the previous cycle's file is asked too, for {@link #PREVIOUS_FILE_WATCH} more: its last pages were
 * dirtied in the seconds before the roll and are written back up to that long after it.
 * <p>
 * The first error stops it ({@link #failure()}): the journal then takes no new request, and the health check fails.
 */
final class WritebackErrors implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(WritebackErrors.class);
    private static final int O_RDONLY = 0;
    private static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    /** The errors a failed write-back leaves (EIO; ENOSPC and EDQUOT from thin or quota-bound storage). */
    private static final int EIO = 5;
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;
    /**
     * How long the previous cycle's file is still asked after a roll: the kernel writes a page back within
     * {@code vm.dirty_expire_centisecs} (30 s) plus its flusher's interval (5 s) of its last write; four times that
     * covers a flusher that is behind.
     */
    static final Duration PREVIOUS_FILE_WATCH = Duration.ofMinutes(2);

    /** Asks about one open file: 0, or the errno of a write-back error recorded since the previous call. */
    @FunctionalInterface
    interface Probe
    {
        int errorSinceLastCall(int fd);
    }

    private final CycleFiles cycleFiles;
    /** The newest cycle the queue has a file for ({@link Integer#MIN_VALUE} before the first), read on this thread. */
    private final IntSupplier lastCycle;
    /** The queue's last index, read for a failure's message only. */
    private final LongSupplier lastIndex;
    private final long intervalNs;
    private final long previousFileWatchNs;
    private final Probe probe;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;
    /** Set when the call itself is refused here (a sandbox, an unusual file system): the check stops, nothing fails. */
    private volatile boolean off;
    private volatile long checks;

    /** The cycle file being written; null before the first is opened. Touched on this thread only. */
    private WatchedFile current;
    /** The file before the last roll, asked until {@link WatchedFile#watchUntilNs}; null when none. */
    private WatchedFile previous;

    private WritebackErrors(final CycleFiles cycleFiles, final IntSupplier lastCycle, final LongSupplier lastIndex,
        final long intervalNs, final long previousFileWatchNs, final Probe probe)
    {
        this.cycleFiles = cycleFiles;
        this.lastCycle = lastCycle;
        this.lastIndex = lastIndex;
        this.intervalNs = intervalNs;
        this.previousFileWatchNs = previousFileWatchNs;
        this.probe = probe;
        this.thread = new Thread(this::run, "chukei-journal-writeback");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watching with the kernel's {@code sync_file_range}; null (logged) where the C library does not have it. */
    static WritebackErrors start(final CycleFiles cycleFiles, final IntSupplier lastCycle, final LongSupplier lastIndex,
        final long intervalNs)
    {
        final Probe probe;
        try
        {
            final Libc libc = LibraryLoader.create(Libc.class).load("c");
            final jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
            probe = fd -> libc.sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE) == 0 ? 0 :
                Math.max(1, runtime.getLastError());
        }
        catch (final RuntimeException | LinkageError ex)
        {
            LOG.warn("No write-back check of the journal: sync_file_range is not available here ({}); a disk that fails " +
                "under this node in process mode goes unnoticed until it restarts", ex.toString());
            return null;
        }
        return new WritebackErrors(cycleFiles, lastCycle, lastIndex, intervalNs, PREVIOUS_FILE_WATCH.toNanos(), probe);
    }

    /** For tests: asks {@code probe} instead of the kernel, and a previous file for {@code previousFileWatch}. */
    static WritebackErrors start(final CycleFiles cycleFiles, final IntSupplier lastCycle, final LongSupplier lastIndex,
        final long intervalNs, final Duration previousFileWatch, final Probe probe)
    {
        return new WritebackErrors(cycleFiles, lastCycle, lastIndex, intervalNs, previousFileWatch.toNanos(), probe);
    }

    /** Null while no write-back error was found; else what was found (then it checks no more). */
    String failure()
    {
        return failure;
    }

    /** False once the check stopped because the kernel does not serve its call here. */
    boolean watching()
    {
        return !off;
    }

    /** Checks made so far. */
    long checks()
    {
        return checks;
    }

    private void run()
    {
        while (running)
        {
            checkOnce();
            LockSupport.parkNanos(this, intervalNs);
        }
    }

    private void checkOnce()
    {
        // Asked of the queue here, not told at every append: nothing on the appending threads.
        final int cycle = lastCycle.getAsInt();
        if (failure != null || off || cycle == Integer.MIN_VALUE)
        {
            return;
        }
        final long now = System.nanoTime();
        if (current != null && current.cycle != cycle)
        {
            // A roll: the file before it keeps being asked a while, its last pages are written back after the roll.
            close(previous);
            previous = current;
            previous.watchUntilNs = now + previousFileWatchNs;
            current = null;
        }
        if (previous != null)
        {
            check(previous);
            if (now - previous.watchUntilNs >= 0)
            {
                close(previous);
                previous = null;
            }
        }
        if (current == null)
        {
            current = open(cycle);
        }
        if (current != null)
        {
            check(current);
        }
    }

    private WatchedFile open(final int cycle)
    {
        final Path file = cycleFiles.fileFor(cycle);
        final int opened = PosixAPI.posix().open(file.toString(), O_RDONLY, 0);
        if (opened < 0)
        {
            // Not a failing disk by itself (retention, an operator): tried again at the next check.
            LOG.warn("Write-back check: cannot open {}: {}", file, PosixAPI.posix().lastErrorStr());
            return null;
        }
        return new WatchedFile(opened, cycle, file);
    }

    private void check(final WatchedFile watched)
    {
        if (failure != null || off)
        {
            return;
        }
        final int errno = probe.errorSinceLastCall(watched.fd);
        checks++;
        if (errno == 0)
        {
            return;
        }
        final String error = PosixAPI.posix().strerror(errno);
        if (errno != EIO && errno != ENOSPC && errno != EDQUOT)
        {
            // Not what a write-back leaves: the call is not served here. Taking it for a failing disk would stop a
            // healthy node for good.
            off = true;
            LOG.warn("No write-back check of the journal: sync_file_range on {} answers {}; a disk that fails under " +
                "this node in process mode goes unnoticed until it restarts", watched.file, error);
            return;
        }
        final long index = lastIndex.getAsLong();
        failure = "write-back of the journal failed (" + watched.file.getFileName() + ": " + error + ", found after index " +
            index + "); entries acknowledged before it may not be on the disk, restart the node once the disk is checked";
        LOG.error("Journal write-back failed: the kernel could not write pages of {} ({}), entries this node acknowledged " +
            "in process mode (index {} was the latest appended when this was found). The journal takes no new request " +
            "from now on; the requests the node holds are finished (their entries are in memory), but a crash of the " +
            "machine loses what the disk did not take. Check the disk, then restart the node", watched.file, error, index);
    }

    private static void close(final WatchedFile watched)
    {
        if (watched != null)
        {
            PosixAPI.posix().close(watched.fd);
        }
    }

    /** Stops after one last check of what was appended. */
    @Override
    public void close()
    {
        running = false;
        ParkedThreads.wakeAndJoin(thread, Duration.ofSeconds(10));
        checkOnce();
        close(previous);
        close(current);
        previous = null;
        current = null;
    }

    /** An open read-only descriptor of one cycle file: the kernel keeps a descriptor's own place in the file's errors. */
    private static final class WatchedFile
    {
        final int fd;
        final int cycle;
        final Path file;
        long watchUntilNs;

        WatchedFile(final int fd, final int cycle, final Path file)
        {
            this.fd = fd;
            this.cycle = cycle;
            this.file = file;
        }
    }
}
