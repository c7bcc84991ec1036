package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a cycle file ahead of the journal's write position, one byte per page, so that the pages the next appends
 * write into are already in the page cache when an event loop writes them through Chronicle's mapping.
 * <p>
 * Why: ahead of the write position the file is a hole (or {@code fallocate}d, unwritten); the first write into a page
 * that is not cached faults, and the kernel fills the page by readahead: it zeroes a whole readahead window
 * ({@code read_ahead_kb}, 8 MiB on the benchmark VM) inside the fault. Measured on one core at 12,000 requests/s
 * (bench/README.md, "The journal's page faults"): three 22-24 ms stalls of the event loop in 6 s, each one fault
 * inside {@code Journal.appendAccepted}. Read here first, the same zeroing happens on the journal's own thread, where the
 * scheduler can interleave it with the loop, and the loop's write finds its page cached.
 * <p>
 * Reads only: never writes, and never maps the file (a mapping could outlive a cycle file that Chronicle releases).
 * Used by one thread (the space guard's).
 */
final class PageCacheWarmer implements AutoCloseable
{
    static final int PAGE_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(PageCacheWarmer.class);

    private final CycleFiles cycleFiles;
    private final ByteBuffer oneByte = ByteBuffer.allocateDirect(1);
    private FileChannel channel;
    private int channelCycle = -1;
    /** Pages below this offset of {@link #channelCycle}'s file have been read. */
    private long warmEnd;
    private boolean warned;

    PageCacheWarmer(final CycleFiles cycleFiles)
    {
        this.cycleFiles = cycleFiles;
    }

    /**
     * Reads every page of cycle {@code cycle}'s file in {@code [from, to)} not read before, stopping at the file's
     * end (its length is Chronicle's: mapped chunk plus overlap). Returns the pages read; 0 on an I/O error (logged
     * once: the journal works without this, only with the stalls it prevents). Called every tick: a window already
     * read costs no system call, and the file is looked up only when the cycle changes.
     */
    long warm(final int cycle, final long from, final long to)
    {
        if (cycle == channelCycle && to <= warmEnd)
        {
            return 0;
        }
        final Path file = cycleFiles.fileFor(cycle);
        try
        {
            if (cycle != channelCycle)
            {
                closeChannel();
                channel = FileChannel.open(file, StandardOpenOption.READ);
                channelCycle = cycle;
                warmEnd = 0;
            }
            final long end = Math.min(to, channel.size());
            long page = Math.max(warmEnd, from & -PAGE_BYTES);
            long pages = 0;
            for (; page < end; page += PAGE_BYTES)
            {
                oneByte.clear();
                if (channel.read(oneByte, page) < 0)
                {
                    break;
                }
                pages++;
            }
            warmEnd = Math.max(warmEnd, page);
            return pages;
        }
        catch (final ClosedChannelException ex)
        {
            // The journal is closing: the guard's executor interrupted its thread, or close() closed the channel
            // under a tick that outlived the wait for it. Nothing to report.
            closeChannel();
            return 0;
        }
        catch (final IOException ex)
        {
            if (!warned)
            {
                warned = true;
                LOG.warn("Journal: cannot read {} ahead of the write position ({}); appends may stall on page faults",
                    file, ex.toString());
            }
            closeChannel();
            return 0;
        }
    }

    /** Whether a read failure has been logged (once per warmer). */
    boolean hasWarned()
    {
        return warned;
    }

    private void closeChannel()
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // Read-only: nothing to lose.
            }
            channel = null;
            channelCycle = -1;
        }
    }

    @Override
    public void close()
    {
        closeChannel();
    }
}
