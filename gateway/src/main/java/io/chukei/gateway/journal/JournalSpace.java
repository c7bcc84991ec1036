package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the disk under the journal allocated ahead of where it writes, so that no write into Chronicle's
 * memory-mapped cycle file can fault.
 * <p>
 * Why: Chronicle grows a cycle file with {@code setLength} (a sparse file, 80 MiB at first) and maps it in 64 MiB
 * chunks; a page gets its disk block only when it is first written. On a full disk (tested on a full tmpfs)
 * that first write raises SIGBUS, which the JVM turns into {@code InternalError: a fault occurred in a recent
 * unsafe memory access operation} thrown from inside Chronicle's header write, possibly with the entry's header
 * half-claimed. So the journal never writes where no block is allocated: a thread of its own
 * ({@code chukei-journal-space}) keeps {@code preallocateBytes} past the write position allocated with
 * {@code fallocate(FALLOC_FL_KEEP_SIZE)} (the file's length stays Chronicle's), and appends check the room
 * left before they touch the file:
 * <ul>
 *   <li>a new request (ACCEPTED) is refused once the allocation could not be topped up (the disk is full), or
 *       less than {@code preallocateBytes / 2} is left ahead: what remains is kept to finish what was accepted;</li>
 *   <li>any other entry (forwards, outcomes, audits) is written while at least {@link #MARGIN_BYTES} are left.</li>
 * </ul>
 * When space returns the next top-up succeeds and new requests are taken again. On a file system without
 * {@code fallocate} the room is the free space the file system reports, read every tick: no guarantee then
 * (another writer can take the last blocks between the check and the write), logged once as a warning.
 * <p>
 * Not covered: the first entries written after the node starts or the journal rolls to a new daily file, before
 * the first top-up of that file (the free-space reading stands in for them).
 * <p>
 * The same thread, each tick, reads the window ahead of the write position into the page cache ({@link
 * PageCacheWarmer}), so that an event loop's append does not stall on a page fault.
 */
final class JournalSpace implements AutoCloseable
{
    /** Entries other than ACCEPTED are written while at least this much is allocated ahead. */
    static final long MARGIN_BYTES = 256 * 1024;
    static final long TICK_MS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(JournalSpace.class);
    private static final int O_RDWR = 2;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int EOPNOTSUPP = 95;
    private static final int ENOSYS = 38;

    /** What is allocated ahead in which cycle file; replaced whole so readers never mix two files' values. */
    private record Allocation(int cycle, long end)
    {
    }

    private final Path directory;
    private final CycleFiles cycleFiles;
    private final long preallocateBytes;
    private final AtomicLong writeEnd = new AtomicLong(-1);
    private final AtomicLong refusals = new AtomicLong();
    private volatile int writeCycle = -1;
    private volatile Allocation allocation = new Allocation(-1, 0);
    private volatile long usableBytes = Long.MAX_VALUE;
    /**
     * The journal's file system, looked up once: {@code Files.getFileStore} reads the whole mount table on each call
     * (0.3 % of a node's CPU at 8,000 requests/s, at 20 ticks a second), while the store asks for its space afresh on
     * each {@code getUsableSpace}. Looked up again after a failure. Used by the constructor, then by the guard thread
     * alone (scheduling the tick orders the two).
     */
    private FileStore store;
    /** Null while the allocation keeps up; else why it cannot (e.g. "No space left on device"). */
    private volatile String problem;
    private volatile boolean fallocateWorks = true;
    private final ScheduledExecutorService guard;
    // Guard thread only.
    private int fd = -1;
    private int fdCycle = -1;
    private final PageCacheWarmer warmer;

    JournalSpace(final Path directory, final CycleFiles cycleFiles, final long preallocateBytes)
    {
        if (preallocateBytes < 4 * MARGIN_BYTES)
        {
            throw new IllegalArgumentException("preallocateBytes: " + preallocateBytes + " (expected: >= " + 4 * MARGIN_BYTES + ")");
        }
        this.directory = directory;
        this.cycleFiles = cycleFiles;
        this.preallocateBytes = preallocateBytes;
        this.warmer = new PageCacheWarmer(cycleFiles);
        allocateWhole(directory.resolve("metadata.cq4t"));
        refreshUsable();
        guard = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "chukei-journal-space");
            thread.setDaemon(true);
            return thread;
        });
        guard.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Whether a new request of about {@code entryBytes} may be journaled; false counts a refusal. */
    boolean mayAccept(final long entryBytes)
    {
        if (problem == null && headroom() >= preallocateBytes / 2 + entryBytes)
        {
            return true;
        }
        refusals.incrementAndGet();
        return false;
    }

    /** Whether an entry that finishes accepted work (forward, outcome, audit) may be written. */
    boolean mayWrite()
    {
        return headroom() >= MARGIN_BYTES;
    }

    /** After an append: where the file now ends being written, in which cycle. */
    void wrote(final int cycle, final long endPosition)
    {
        if (cycle != writeCycle)
        {
            writeCycle = cycle;
        }
        // Appends are ordered by Chronicle's write lock: the latest store is (near enough) the furthest; the margins
        // are far wider than a few entries.
        writeEnd.lazySet(endPosition);
    }

    /** Bytes allocated ahead of the write position, or the free space while the file's allocation is not known. */
    long headroom()
    {
        final Allocation allocated = allocation;
        final long end = writeEnd.get();
        if (fallocateWorks && end >= 0 && allocated.cycle() == writeCycle)
        {
            return allocated.end() - end;
        }
        return usableBytes;
    }

    /** Null while there is room, else what is wrong: the health check's failure text. */
    String problem()
    {
        final String why = problem;
        if (why != null)
        {
            return "journal disk full: cannot allocate " + preallocateBytes + " bytes ahead (" + why + "); " +
                headroom() + " bytes left for accepted requests, new requests refused";
        }
        return null;
    }

    /** New requests refused for lack of space since the journal opened. */
    long refusals()
    {
        return refusals.get();
    }

    private void tick()
    {
        try
        {
            refreshUsable();
            final int cycle = writeCycle;
            final long end = writeEnd.get();
            if (cycle < 0 || end < 0)
            {
                problem = fallocateWorks || usableBytes >= preallocateBytes ? null : "free space " + usableBytes + " bytes";
                return;
            }
            if (fallocateWorks)
            {
                topUp(cycle, end);
            }
            else
            {
                problem = usableBytes >= preallocateBytes ? null : "free space " + usableBytes + " bytes";
            }
            // Allocated or not, what there is to write into goes into the page cache before an event loop writes it
            // (else the loop's fault zeroes a whole readahead window: PageCacheWarmer).
            warmer.warm(cycle, end, end + preallocateBytes);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            if (fallocateWorks)
            {
                // PosixAPI's native binding (JNR) could not be loaded here: the free-space reading is all that is left.
                fallocateWorks = false;
                problem = null;
                LOG.warn("Journal space: cannot call fallocate ({}); the journal falls back to checking free space, which " +
                    "another writer can race", ex.toString());
            }
            else
            {
                LOG.warn("Journal space check failed: {}", ex.toString());
            }
        }
    }

    private void topUp(final int cycle, final long end)
    {
        if (fdCycle != cycle)
        {
            closeFd();
            fd = PosixAPI.posix().open(cycleFiles.fileFor(cycle).toString(), O_RDWR, 0);
            if (fd < 0)
            {
                problem = "cannot open " + cycleFiles.fileFor(cycle) + ": " + PosixAPI.posix().lastErrorStr();
                return;
            }
            fdCycle = cycle;
        }
        // A new cycle file starts from nothing allocated, but that is not published: writers would read 0 bytes ahead
        // and refuse every entry until the fallocate below returns (they fall back to the free space meanwhile).
        final Allocation allocated = allocation.cycle() == cycle ? allocation : new Allocation(cycle, 0);
        final long target = end + preallocateBytes;
        // Topped up recently enough: one call per eighth of the window, not one per tick (while the disk is full,
        // every tick tries, to notice space coming back).
        final long missing = target - allocated.end();
        final boolean due = missing > 0 && (problem != null || missing > preallocateBytes / 8);
        if (!due || PosixAPI.posix().fallocate(fd, FALLOC_FL_KEEP_SIZE, allocated.end(), missing) == 0)
        {
            if (due)
            {
                // Nothing allocated before in this process (the field's first value): the native binding and the file
                // system both serve the guard, said once.
                final boolean first = allocation.cycle() < 0;
                allocation = new Allocation(cycle, target);
                if (first)
                {
                    LOG.info("Journal space: {} bytes allocated ahead of the write position with fallocate", target - end);
                }
            }
            // Less free than one window: the next top-ups will fail; stop taking new work now, while the window
            // allocated is whole (the check costs one statfs per tick, already made).
            final String low = usableBytes < preallocateBytes ? "free space " + usableBytes + " bytes" : null;
            if (problem != null && low == null)
            {
                LOG.info("Journal space available again: {} bytes allocated ahead, {} bytes free; new requests are " +
                    "taken again", target - end, usableBytes);
            }
            else if (problem == null && low != null)
            {
                LOG.error("Journal disk nearly full under {}: {} bytes free, less than journal.preallocateBytes ({}); new " +
                    "requests are refused JOURNAL_UNAVAILABLE, the {} bytes allocated ahead finish what was accepted",
                    directory, usableBytes, preallocateBytes, allocation.end() - end);
            }
            problem = low;
            return;
        }
        final int errno = PosixAPI.posix().lastError();
        if (errno == EOPNOTSUPP || errno == ENOSYS)
        {
            fallocateWorks = false;
            LOG.warn("The file system under {} cannot preallocate (fallocate: {}): the journal falls back to checking free " +
                "space, which another writer can race; a full disk may then fault a write into the mapped journal",
                directory, PosixAPI.posix().strerror(errno));
            return;
        }
        if (problem == null)
        {
            LOG.error("Journal disk full under {}: cannot allocate {} bytes ahead ({}); new requests are refused " +
                "JOURNAL_UNAVAILABLE, the {} bytes still allocated finish what was accepted", directory, preallocateBytes,
                PosixAPI.posix().strerror(errno), allocated.end() - end);
        }
        problem = PosixAPI.posix().strerror(errno);
    }

    /** The queue's metadata file is mapped too and small: all of it allocated once. */
    private void allocateWhole(final Path file)
    {
        try
        {
            if (!Files.exists(file))
            {
                return;
            }
            final long size = Files.size(file);
            final int metadataFd = PosixAPI.posix().open(file.toString(), O_RDWR, 0);
            if (metadataFd >= 0)
            {
                PosixAPI.posix().fallocate(metadataFd, FALLOC_FL_KEEP_SIZE, 0, size);
                PosixAPI.posix().close(metadataFd);
            }
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            LOG.warn("Cannot preallocate {}: {}", file, ex.toString());
        }
    }

    private void refreshUsable()
    {
        try
        {
            if (store == null)
            {
                store = Files.getFileStore(directory);
            }
            usableBytes = store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            store = null;
            usableBytes = 0;
        }
    }

    private void closeFd()
    {
        if (fd >= 0)
        {
            PosixAPI.posix().close(fd);
            fd = -1;
            fdCycle = -1;
        }
    }

    @Override
    public void close()
    {
        guard.shutdownNow();
        try
        {
            guard.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        closeFd();
        warmer.close();
    }
}
