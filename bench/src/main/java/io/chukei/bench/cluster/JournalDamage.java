package io.chukei.bench.cluster;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a crash of the machine leaves in a stopped node's journal (issue 18, item 2): the last cycle file cut short in
 * the middle of an entry (the page cache had not written its tail back), and one byte changed in an entry the cut
 * keeps. The node must start on it, name both, and lose nothing its connectors cannot resubmit.
 */
public final class JournalDamage
{
    /** Entries of the last cycle lost to the cut (at most half of them). */
    public static final int ENTRIES_LOST = 300;
    /** The entry given a changed byte: this many before the cut, so kept and replayed at the next start. */
    public static final int CHANGED_BEFORE_CUT = 50;

    private JournalDamage()
    {
    }

    /**
     * Where the last cycle file was cut, how many of its entries were lost, and which kept entry was changed (-1:
     * none); {@code file} null when there was nothing to damage.
     */
    public record Damage(Path file, long length, int entries, int entriesLost, long changedIndex)
    {
        @Override
        public String toString()
        {
            if (file == null)
            {
                return "nothing: the last cycle held no entry";
            }
            return file.getFileName() + " cut at " + length + " bytes (" + entriesLost + " of its " + entries +
                " entries lost), " + (changedIndex < 0 ? "no kept entry to change" :
                "entry " + Long.toHexString(changedIndex) + " changed");
        }
    }

    /**
     * Cuts the last cycle file of the (stopped) journal in {@code journalDir} {@value #ENTRIES_LOST} entries before its
     * end, ten bytes into an entry, and flips a bit of the request id of the entry {@value #CHANGED_BEFORE_CUT} before
     * the cut (or the first one). A last cycle of one entry loses it and has nothing changed; an empty one is left as
     * it is (the damage says so).
     */
    public static Damage cutAndChange(final Path journalDir) throws IOException
    {
        final List<long[]> entries = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(journalDir).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer())
        {
            tailer.moveToCycle(queue.lastCycle());
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    entries.add(new long[] {tailer.index(), dc.wire().bytes().readPosition()});
                }
            }
        }
        if (entries.isEmpty())
        {
            // A node killed before it journaled anything in this cycle (a soak's first fault, or just after 00:00 UTC).
            return new Damage(null, -1, 0, 0, -1);
        }
        final int kept = Math.max(entries.size() / 2, entries.size() - ENTRIES_LOST);
        // With a single entry the cut takes it and nothing kept is left to change.
        final long[] changed = kept == 0 ? null : entries.get(Math.max(0, kept - CHANGED_BEFORE_CUT));
        final Path file;
        try (Stream<Path> files = Files.list(journalDir))
        {
            file = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).max(Path::compareTo).orElseThrow();
        }
        final long length = entries.get(kept)[1] + 10;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
            if (changed != null)
            {
                // Inside the entry's request id (header offset 10..25): the entry fails its checksum.
                final long at = changed[1] + 20;
                raf.seek(at);
                final int b = raf.read();
                raf.seek(at);
                raf.write(b ^ 0x10);
            }
        }
        return new Damage(file, length, entries.size(), entries.size() - kept, changed == null ? -1 : changed[0]);
    }
}
