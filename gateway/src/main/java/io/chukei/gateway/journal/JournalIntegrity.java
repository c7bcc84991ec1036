package io.chukei.gateway.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Damage a crash of the machine can leave in the journal, and what Chronicle does with it (found by experiment,
 * Chronicle Queue 2026.4):
 * <ul>
 *   <li><b>A cycle file cut short</b> (its tail lost): read-only, Chronicle maps past the end of the file and the
 *       first read there raises SIGBUS ({@code InternalError} in the reading thread); read-write, it silently
 *       extends the file with zeros, reads up to the cut and then <em>appends after the lost part</em>, so entries
 *       written after the restart sit behind a gap of zeros where a sequential reader stops: the next restart would
 *       not see them. Chronicle only ever sizes a cycle file as whole 64 MiB chunks plus a 16 MiB overlap (80 MiB,
 *       144 MiB, ...), so any other length is a cut.</li>
 *   <li><b>A flipped byte in an entry's length word</b>: the reader lands inside the entry, reads zeros as "end",
 *       and stops there without an error; the queue's last index still names the entries after it.</li>
 *   <li><b>A flipped byte inside an entry's body</b>: Chronicle has no checksum. Sealed parts (entry version 2,
 *       AES-GCM) fail authentication when opened; clear fields are not detected (the format has no per-entry
 *       checksum).</li>
 * </ul>
 * {@link #repairCutCycleFiles} runs when a node opens its journal: a cut cycle file is set aside
 * ({@code NAME.cq4.damaged-MILLIS}) and its readable entries are copied, in order, into a new file for the same
 * cycle, so they keep their indexes and new entries follow them with nothing lost in between.
 */
public final class JournalIntegrity
{
    /** Chronicle's default chunk, and the overlap it adds to a cycle file's length. */
    static final long CHUNK_BYTES = 64L << 20;
    static final long OVERLAP_BYTES = 16L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(JournalIntegrity.class);

    private JournalIntegrity()
    {
    }

    /** One damaged place: the file, what is wrong, the last entry read before it and what is known after it. */
    public record Damage(Path file, String problem, long lastGoodIndex, long entriesRecovered, String lost)
    {
        @Override
        public String toString()
        {
            return file.getFileName() + ": " + problem + "; " + entriesRecovered + " entries readable" +
                (lastGoodIndex < 0 ? "" : " up to index " + Long.toHexString(lastGoodIndex)) + "; lost: " + lost;
        }
    }

    /** Whether Chronicle could have left a cycle file this long (whole chunks plus the overlap). */
    static boolean hasChronicleLength(final long length)
    {
        return length >= CHUNK_BYTES + OVERLAP_BYTES && (length - OVERLAP_BYTES) % CHUNK_BYTES == 0;
    }

    /** The length Chronicle would give a file holding {@code length} bytes: the next chunk boundary plus the overlap. */
    static long chronicleLengthFor(final long length)
    {
        final long chunks = Math.max(1, (length - OVERLAP_BYTES + CHUNK_BYTES - 1) / CHUNK_BYTES);
        return chunks * CHUNK_BYTES + OVERLAP_BYTES;
    }

    /** Cycle files in a journal directory (daily cycles) whose length Chronicle cannot have left: cut by a crash. */
    public static List<Path> cutCycleFiles(final Path directory) throws IOException
    {
        return cutCycleFiles(directory, new CycleFiles(directory, RollCycles.FAST_DAILY));
    }

    /** Cycle files in {@code directory} whose length Chronicle cannot have left: cut by a crash. */
    static List<Path> cutCycleFiles(final Path directory, final CycleFiles cycleFiles) throws IOException
    {
        final List<Path> cut = new ArrayList<>();
        for (final Path file : cycleFiles.list())
        {
            if (!hasChronicleLength(Files.size(file)))
            {
                cut.add(file);
            }
        }
        cut.sort(Comparator.naturalOrder());
        return cut;
    }

    /**
     * Before the queue is opened for writing: every cut cycle file is set aside and its readable entries copied into
     * a new file of the same cycle (same indexes). Returns what was found, logged at ERROR.
     */
    static List<Damage> repairCutCycleFiles(final Path directory, final CycleFiles cycleFiles)
    {
        final List<Damage> found = new ArrayList<>();
        try
        {
            for (final Path file : cutCycleFiles(directory, cycleFiles))
            {
                final Damage damage = repair(directory, cycleFiles, file);
                LOG.error("Journal damaged: {}. The damaged file is kept as {}.damaged-*; requests accepted in the lost " +
                    "part and not finished are unknown to this node now: their connectors still hold them and resubmit " +
                    "(possible duplicate) to a node, and card management deduplicates any that were already forwarded",
                    damage, file.getFileName());
                found.add(damage);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("Cannot repair the journal in " + directory, ex);
        }
        return found;
    }

    /** Where {@link #readCopy} hands each readable entry: its index and bytes. */
    @FunctionalInterface
    private interface EntrySink
    {
        void entry(long index, Bytes<?> entry) throws IOException;
    }

    /** The readable entries of a cut cycle file, and the length it was cut to. */
    private record Readable(long lastIndex, long count, long cutLength)
    {
        String problem()
        {
            return "cut at " + cutLength + " bytes (Chronicle writes whole chunks: " + chronicleLengthFor(cutLength) + ")";
        }

        String lost()
        {
            return "every entry after " + (lastIndex < 0 ? "the start of the file" : "index " + Long.toHexString(lastIndex)) +
                " written to this cycle before the crash (how many is not recorded in what is left)";
        }
    }

    /**
     * Reads a cut cycle file's entries from a copy in {@code work}, extended back to a length Chronicle makes: the
     * lost tail reads as zeros (an end), never past the file (SIGBUS). The file itself is not changed.
     */
    private static Readable readCopy(final Path file, final Path work, final EntrySink sink) throws IOException
    {
        final long cutLength = Files.size(file);
        final Path copy = work.resolve(file.getFileName().toString().replaceAll("\\.damaged-\\d+$", ""));
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        try (RandomAccessFile raf = new RandomAccessFile(copy.toFile(), "rw"))
        {
            raf.setLength(chronicleLengthFor(cutLength));
        }
        long count = 0;
        long last = -1;
        try (SingleChronicleQueue from = SingleChronicleQueueBuilder.binary(work).rollCycle(RollCycles.FAST_DAILY).build();
             ExcerptTailer tailer = from.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    // An entry whose header survived but whose body ran past the cut reads as zeros: lost as well.
                    if (!dc.isPresent() || dc.wire().bytes().readLimit() > cutLength)
                    {
                        break;
                    }
                    sink.entry(dc.index(), dc.wire().bytes());
                    last = dc.index();
                    count++;
                }
            }
        }
        return new Readable(last, count, cutLength);
    }

    /** For {@code chukei journal verify}: what a cut cycle file still holds, read from a temporary copy. */
    public static Damage inspectCut(final Path file) throws IOException
    {
        final Path work = Files.createTempDirectory("chukei-verify-");
        try
        {
            final Readable readable = readCopy(file, work, (index, entry) -> { });
            return new Damage(file, readable.problem(), readable.lastIndex(), readable.count(), readable.lost());
        }
        finally
        {
            deleteTree(work);
        }
    }

    private static Damage repair(final Path directory, final CycleFiles cycleFiles, final Path file) throws IOException
    {
        final int cycle = cycleFiles.cycleOf(file);
        final Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
        Files.move(file, aside);
        final Path work = Files.createTempDirectory(directory, ".repair-");
        final long cycleStartMs = (long)cycle * RollCycles.FAST_DAILY.lengthInMillis();
        try (SingleChronicleQueue to = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY)
                 .timeProvider(() -> cycleStartMs + 1).storeFileListener(JournalFileModes.INSTANCE).build();
             ExcerptAppender appender = to.createAppender())
        {
            // Same cycle, same order: each entry gets the index it had, so checkpoints and answers keep pointing at it.
            final Readable readable = readCopy(aside, work, (index, entry) ->
            {
                try (DocumentContext out = appender.writingDocument())
                {
                    out.wire().bytes().write(entry, entry.readPosition(), entry.readRemaining());
                }
                if (appender.lastIndexAppended() != index)
                {
                    throw new IOException("repair of " + file + ": entry " + Long.toHexString(index) + " was copied to index " +
                        Long.toHexString(appender.lastIndexAppended()) + " (expected: the same; the damaged file is kept as " +
                        aside + ")");
                }
            });
            return new Damage(file, readable.problem(), readable.lastIndex(), readable.count(), readable.lost());
        }
        finally
        {
            deleteTree(work);
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
