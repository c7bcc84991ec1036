package io.chukei.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's page-cache warmer on sparse files, as Chronicle leaves a cycle file ahead of its write position.
 * Residency is read with {@code fincore} (util-linux, in every Debian install).
 */
class PageCacheWarmerTest
{
    private static final int PAGE = PageCacheWarmer.PAGE_BYTES;

    @TempDir
    Path directory;
    private CycleFiles cycles;

    @BeforeEach
    void cycleFiles()
    {
        cycles = new CycleFiles(directory, RollCycles.FAST_DAILY);
    }

    @Test
    void readsEachPageOnceAsTheWindowMovesAhead() throws IOException
    {
        sparse(1, 8 << 20);
        try (PageCacheWarmer warmer = new PageCacheWarmer(cycles))
        {
            assertThat(warmer.warm(1, 0, 1 << 20)).isEqualTo(256);
            // The write position moved on by ten pages and a bit: only the two pages past the old window are new.
            assertThat(warmer.warm(1, 10 * PAGE + 100, (1 << 20) + 2 * PAGE)).isEqualTo(2);
            assertThat(warmer.warm(1, 10 * PAGE + 100, (1 << 20) + 2 * PAGE)).isZero();
        }
    }

    @Test
    void aNewCycleFileIsReadFromTheWritePosition() throws IOException
    {
        sparse(1, 4 << 20);
        sparse(2, 4 << 20);
        try (PageCacheWarmer warmer = new PageCacheWarmer(cycles))
        {
            assertThat(warmer.warm(1, 0, 2 << 20)).isEqualTo(512);
            // Rolled: the next file's window starts at its own write position (rounded down to its page), not at the
            // old file's.
            assertThat(warmer.warm(2, PAGE + 1, PAGE + (1 << 20))).isEqualTo(256);
        }
    }

    @Test
    void stopsAtTheEndOfTheFile() throws IOException
    {
        final Path file = sparse(1, 25 * PAGE - 10);
        try (PageCacheWarmer warmer = new PageCacheWarmer(cycles))
        {
            assertThat(warmer.warm(1, 0, 1 << 20)).isEqualTo(25);
            // Chronicle grew the file: the pages past the old end are read on the next call.
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                raf.setLength(40 * PAGE);
            }
            assertThat(warmer.warm(1, 0, 1 << 20)).isEqualTo(15);
        }
    }

    @Test
    void thePagesAheadAreInThePageCacheAfterwards() throws Exception
    {
        final Path file = sparse(1, 64 << 20);
        assertThat(residentBytes(file)).as("a new sparse file").isZero();
        try (PageCacheWarmer warmer = new PageCacheWarmer(cycles))
        {
            warmer.warm(1, 4 << 20, 20 << 20);
        }
        // At least the window; the kernel's readahead may take more.
        assertThat(residentBytes(file)).isGreaterThanOrEqualTo(16L << 20);
    }

    @Test
    void aReadInterruptedByTheJournalClosingStopsAndTheNextCallReadsAgain() throws IOException
    {
        sparse(1, 1 << 20);
        try (PageCacheWarmer warmer = new PageCacheWarmer(cycles))
        {
            Thread.currentThread().interrupt();
            try
            {
                assertThat(warmer.warm(1, 0, 1 << 20)).isZero();
            }
            finally
            {
                assertThat(Thread.interrupted()).as("the interrupt is kept for the guard's executor").isTrue();
            }
            assertThat(warmer.hasWarned()).as("closing is not a failure to report").isFalse();
            assertThat(warmer.warm(1, 0, 1 << 20)).isEqualTo(256);
        }
    }

    @Test
    void aFileThatCannotBeOpenedIsReportedNotThrown()
    {
        try (PageCacheWarmer warmer = new PageCacheWarmer(cycles))
        {
            // No file for cycle 1 in the directory.
            assertThat(warmer.warm(1, 0, 1 << 20)).isZero();
            assertThat(warmer.hasWarned()).isTrue();
        }
    }

    /** Cycle {@code cycle}'s file, as Chronicle leaves it: {@code length} bytes long, none written. */
    private Path sparse(final int cycle, final long length) throws IOException
    {
        final Path file = cycles.fileFor(cycle);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
        return file;
    }

    /** Bytes of {@code file} in the page cache, by {@code fincore}. */
    static long residentBytes(final Path file) throws IOException, InterruptedException
    {
        final Process fincore;
        try
        {
            fincore = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
                .redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("this test needs fincore (Debian package util-linux)", ex);
        }
        final String out = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(fincore.waitFor(10, TimeUnit.SECONDS)).as("fincore finished").isTrue();
        assertThat(fincore.exitValue()).as("fincore: %s", out).isZero();
        assertThat(Files.exists(file)).isTrue();
        return Long.parseLong(out);
    }
}
