package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.accept;
import static io.chukei.gateway.journal.JournalFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Process mode's watch for write-back errors: asked of the kernel, or of a probe standing in for it. */
@Timeout(60)
class WritebackErrorsTest
{
    private static final int EIO = 5;
    private static final int EINVAL = 22;

    private static final Duration WATCH = Duration.ofMinutes(1);

    @TempDir
    Path directory;

    @TempDir
    Path scratch;

    @Test
    void theFirstErrorTheKernelReportsStopsTheChecksAndNamesFileAndError()
    {
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger failFrom = new AtomicInteger(Integer.MAX_VALUE);
        final CycleFiles cycles = new CycleFiles(directory, RollCycles.FAST_DAILY);
        touch(cycles.fileFor(0));
        try (WritebackErrors check = WritebackErrors.start(cycles, () -> 0, () -> 41, TimeUnit.MILLISECONDS.toNanos(5),
            WATCH, fd -> asked.incrementAndGet() >= failFrom.get() ? EIO : 0))
        {
            await().atMost(Duration.ofSeconds(10)).until(() -> check.checks() >= 2);
            assertThat(check.failure()).isNull();

            failFrom.set(asked.get() + 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> check.failure() != null);
            final int askedAtFailure = asked.get();

            assertThat(check.failure()).startsWith("write-back of the journal failed (" + cycles.fileFor(0).getFileName() +
                ": Input/output error, found after index 41)");
            check.close();
            assertThat(asked.get()).as("checks after the failure, close's included").isEqualTo(askedAtFailure);
        }
    }

    @Test
    void aCallTheKernelRefusesHereStopsTheCheckWithoutFailingTheJournal()
    {
        final AtomicInteger asked = new AtomicInteger();
        final CycleFiles cycles = new CycleFiles(directory, RollCycles.FAST_DAILY);
        touch(cycles.fileFor(0));
        final WritebackErrors check = WritebackErrors.start(cycles, () -> 0, () -> 7, TimeUnit.MILLISECONDS.toNanos(5),
            WATCH, fd -> asked.incrementAndGet() == 1 ? EINVAL : EIO);
        await().atMost(Duration.ofSeconds(10)).until(() -> !check.watching());
        check.close();

        assertThat(check.failure()).as("not a failing disk").isNull();
        assertThat(asked.get()).as("asked once, then never again").isEqualTo(1);
    }

    /** The last pages of the file before a roll are written back after it: an error there still stops the journal. */
    @Test
    void theFileBeforeARollIsStillAskedAfterIt()
    {
        final CycleFiles cycles = new CycleFiles(directory, RollCycles.FAST_DAILY);
        touch(cycles.fileFor(0));
        touch(cycles.fileFor(1));
        final AtomicInteger cycle = new AtomicInteger(0);
        final AtomicInteger askedOfTheOldFileAfterTheRoll = new AtomicInteger();
        try (WritebackErrors check = WritebackErrors.start(cycles, cycle::get, () -> 99, TimeUnit.MILLISECONDS.toNanos(5),
            WATCH, fd ->
            {
                if (cycle.get() == 1 && isFile(fd, cycles.fileFor(0)))
                {
                    return askedOfTheOldFileAfterTheRoll.incrementAndGet() >= 3 ? EIO : 0;
                }
                return 0;
            }))
        {
            await().atMost(Duration.ofSeconds(10)).until(() -> check.checks() >= 2);
            cycle.set(1);

            await().atMost(Duration.ofSeconds(10)).until(() -> check.failure() != null);
            assertThat(check.failure()).startsWith("write-back of the journal failed (" + cycles.fileFor(0).getFileName() +
                ": Input/output error, found after index 99)");
        }
    }

    @Test
    void theFileBeforeARollIsLetGoOnceItsWatchIsOver() throws IOException
    {
        final CycleFiles cycles = new CycleFiles(directory, RollCycles.FAST_DAILY);
        touch(cycles.fileFor(0));
        touch(cycles.fileFor(1));
        final AtomicInteger cycle = new AtomicInteger(0);
        final AtomicInteger askedOfTheOldFile = new AtomicInteger();
        final AtomicInteger askedOfTheNewFile = new AtomicInteger();
        try (WritebackErrors check = WritebackErrors.start(cycles, cycle::get, () -> 1, TimeUnit.MILLISECONDS.toNanos(5),
            Duration.ofSeconds(2), fd ->
            {
                (isFile(fd, cycles.fileFor(0)) ? askedOfTheOldFile : askedOfTheNewFile).incrementAndGet();
                return 0;
            }))
        {
            await().atMost(Duration.ofSeconds(10)).until(() -> askedOfTheOldFile.get() >= 2);
            final int askedOfTheOldFileAtTheRoll = askedOfTheOldFile.get();
            cycle.set(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> askedOfTheNewFile.get() >= 2);
            await("the old file still asked after the roll").atMost(Duration.ofSeconds(10))
                .until(() -> askedOfTheOldFile.get() >= askedOfTheOldFileAtTheRoll + 5);

            await().atMost(Duration.ofSeconds(10)).until(() -> openDescriptorsOf(cycles.fileFor(0)) == 0);
            final int askedOfTheOldFileAtItsEnd = askedOfTheOldFile.get();
            final int askedOfTheNewFileThen = askedOfTheNewFile.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> askedOfTheNewFile.get() >= askedOfTheNewFileThen + 5);
            assertThat(askedOfTheOldFile.get()).as("not asked after its watch").isEqualTo(askedOfTheOldFileAtItsEnd);
            assertThat(check.failure()).isNull();
        }
        assertThat(openDescriptorsOf(cycles.fileFor(1))).as("closed with the check").isZero();
    }

    @Test
    void aHealthyDiskRaisesNoAlarmThroughTheKernelsOwnCall()
    {
        try (Journal journal = Journal.open(config(directory).writebackCheckInterval(Duration.ofMillis(5)).build()))
        {
            for (long lo = 1; lo <= 100; lo++)
            {
                accept(journal, 1, lo);
            }
            syncEverything();
            final long checksAfterSync = journal.writebackChecks();
            await().atMost(Duration.ofSeconds(10)).until(() -> journal.writebackChecks() >= checksAfterSync + 2);
            assertThat(journal.syncProblem()).isNull();
            assertThat(accept(journal, 1, 101)).isNotNegative();
        }
    }

    /**
     * The real thing: the journal on a {@link ThinDisk} out of backing store, its pages written back by a {@code sync}
     * (as the kernel's flusher does 30 s after they were dirtied). The check hears of the failed write-back, and the
     * journal takes no new request. No fsync of the journal's own is made in process mode.
     */
    @Test
    void aFailedWriteBackIsFoundAndNewRequestsAreRefused() throws IOException
    {
        try (ThinDisk disk = ThinDisk.mount(scratch, directory.resolve("thin"));
             Journal journal = Journal.open(config(directory.resolve("thin")).preallocateBytes(0)
                 .writebackCheckInterval(Duration.ofMillis(20)).build()))
        {
            accept(journal, 1, 1);
            syncEverything();
            disk.exhaust();
            for (long lo = 2; lo <= 200; lo++)
            {
                accept(journal, 1, lo);
            }
            syncEverything();

            await().atMost(Duration.ofSeconds(10)).until(() -> journal.syncProblem() != null);
            assertThat(journal.syncProblem()).startsWith("write-back of the journal failed (")
                .containsAnyOf("No space left on device", "Input/output error");
            assertThat(journal.storageProblem()).isEqualTo(journal.syncProblem());
            assertThat(accept(journal, 1, 201)).as("a new request after the failure").isEqualTo(Journal.APPEND_FAILED);
            assertThat(journal.syncCount()).as("no fsync of its own in process mode").isZero();
        }
    }

    /** Whether descriptor {@code fd} of this process is open on {@code file} (Linux's /proc/self/fd). */
    private static boolean isFile(final int fd, final Path file)
    {
        try
        {
            return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).equals(file.toRealPath());
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** How many descriptors of this process are open on {@code file}. */
    private static long openDescriptorsOf(final Path file) throws IOException
    {
        final Path real = file.toRealPath();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd")))
        {
            return descriptors.filter(fd ->
            {
                try
                {
                    return Files.readSymbolicLink(fd).equals(real);
                }
                catch (final IOException ex)
                {
                    return false;
                }
            }).count();
        }
    }

    private static void touch(final Path file)
    {
        try
        {
            Files.write(file, new byte[] {1});
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** {@code sync}: the kernel writes every dirty page back now, and records what it could not write. */
    private static void syncEverything()
    {
        try
        {
            assertThat(new ProcessBuilder("sync").inheritIO().start().waitFor()).isZero();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
