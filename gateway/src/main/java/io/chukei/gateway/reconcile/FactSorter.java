package io.chukei.gateway.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import io.chukei.gateway.files.PrivateFiles;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An external sort of {@link Fact}s by key with a fixed memory bound: facts fill a chunk of {@code chunkFacts}
 * records; a full chunk is sorted and written to a run file in {@code workDirectory}; {@link #merge} then reads
 * every run (and the last chunk, never written) in one k-way merge and hands each key's facts on together.
 * Heap: about 80 bytes per chunk record plus 256 KiB per run being merged; disk: 56 bytes per fact spilled. Run
 * files are private (0600, in a 0700 directory) and deleted on {@link #close}: they hold ids, no personal data.
 */
final class FactSorter implements AutoCloseable
{
    /** The chunk size by default: 1 Mi facts, about 80 MiB of heap. */
    static final int DEFAULT_CHUNK_FACTS = 1 << 20;
    private static final int READ_BUFFER_FACTS = 256 * 1024 / Fact.LENGTH;
    private static final int INSERTION_SORT_BELOW = 16;

    /** Receives each key's facts: {@code facts} holds {@code count} records from {@code offsets[0..count)}. */
    interface GroupSink
    {
        void group(DirectBuffer facts, int[] offsets, int count);
    }

    private final int capacity;
    private final Path workDirectory;
    private final UnsafeBuffer chunk;
    private final int[] scopes;
    private final long[] his;
    private final long[] los;
    private final int[] order;
    private final List<Path> runs = new ArrayList<>();
    private int size;
    private long total;
    private Path spillDirectory;

    FactSorter(final int chunkFacts, final Path workDirectory)
    {
        if (chunkFacts < 2)
        {
            throw new IllegalArgumentException("chunkFacts: " + chunkFacts + " (expected: >= 2)");
        }
        this.capacity = chunkFacts;
        this.workDirectory = workDirectory;
        this.chunk = new UnsafeBuffer(new byte[Math.multiplyExact(chunkFacts, Fact.LENGTH)]);
        this.scopes = new int[chunkFacts];
        this.his = new long[chunkFacts];
        this.los = new long[chunkFacts];
        this.order = new int[chunkFacts];
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    void add(final int scope, final long idHi, final long idLo, final byte kind, final int source, final int code,
        final int count, final long timeMs, final long batchId, final long batchSequence, final long batchSize)
    {
        if (size == capacity)
        {
            spill();
        }
        Fact.write(chunk, size * Fact.LENGTH, scope, idHi, idLo, kind, source, code, count, timeMs, batchId, batchSequence,
            batchSize);
        scopes[size] = scope;
        his[size] = idHi;
        los[size] = idLo;
        size++;
        total++;
    }

    long total()
    {
        return total;
    }

    int runsSpilled()
    {
        return runs.size();
    }

    /** Hands every key's facts to {@code sink}, in key order; call once, after the last {@link #add}. */
    void merge(final GroupSink sink)
    {
        sortChunk();
        final PriorityQueue<Run> heap = new PriorityQueue<>((a, b) -> Fact.compareKeys(a.buffer(), a.offset(), b.buffer(),
            b.offset()));
        final List<FileRun> open = new ArrayList<>();
        try
        {
            for (final Path run : runs)
            {
                final FileRun fileRun = new FileRun(run);
                open.add(fileRun);
                if (fileRun.advance())
                {
                    heap.add(fileRun);
                }
            }
            final ChunkRun last = new ChunkRun();
            if (last.advance())
            {
                heap.add(last);
            }
            mergeFrom(heap, sink);
        }
        finally
        {
            open.forEach(FileRun::close);
        }
    }

    private static void mergeFrom(final PriorityQueue<Run> heap, final GroupSink sink)
    {
        // One key's facts, copied out of the runs (their buffers move on): grows only for a key with many facts.
        UnsafeBuffer group = new UnsafeBuffer(new byte[64 * Fact.LENGTH]);
        int[] offsets = new int[64];
        int count = 0;
        while (!heap.isEmpty())
        {
            final Run run = heap.poll();
            if (count > 0 && Fact.compareKeys(group, 0, run.buffer(), run.offset()) != 0)
            {
                sink.group(group, offsets, count);
                count = 0;
            }
            if (count == offsets.length)
            {
                offsets = java.util.Arrays.copyOf(offsets, count * 2);
                final UnsafeBuffer larger = new UnsafeBuffer(new byte[count * 2 * Fact.LENGTH]);
                larger.putBytes(0, group, 0, count * Fact.LENGTH);
                group = larger;
            }
            group.putBytes(count * Fact.LENGTH, run.buffer(), run.offset(), Fact.LENGTH);
            offsets[count] = count * Fact.LENGTH;
            count++;
            if (run.advance())
            {
                heap.add(run);
            }
        }
        if (count > 0)
        {
            sink.group(group, offsets, count);
        }
    }

    private void spill()
    {
        sortChunk();
        try
        {
            if (spillDirectory == null)
            {
                spillDirectory = Files.createTempDirectory(workDirectory, "chukei-reconcile-");
                PrivateFiles.restrictTree(spillDirectory);
            }
            final Path run = spillDirectory.resolve("run-" + runs.size() + ".facts");
            PrivateFiles.createFileIfAbsent(run);
            try (FileChannel channel = FileChannel.open(run, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                final byte[] staging = new byte[READ_BUFFER_FACTS * Fact.LENGTH];
                final byte[] source = chunk.byteArray();
                int filled = 0;
                for (int i = 0; i < size; i++)
                {
                    System.arraycopy(source, order[i] * Fact.LENGTH, staging, filled, Fact.LENGTH);
                    filled += Fact.LENGTH;
                    if (filled == staging.length || i == size - 1)
                    {
                        final ByteBuffer out = ByteBuffer.wrap(staging, 0, filled);
                        while (out.hasRemaining())
                        {
                            channel.write(out);
                        }
                        filled = 0;
                    }
                }
            }
            runs.add(run);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reconcile: cannot write a sort run in " + workDirectory +
                " (expected: a writable --work-dir with room for 56 bytes per fact)", ex);
        }
        size = 0;
    }

    /** Sorts {@code order[0..size)} (record numbers) by key: quicksort on the key arrays, no boxing. */
    private void sortChunk()
    {
        for (int i = 0; i < size; i++)
        {
            order[i] = i;
        }
        quicksort(0, size - 1);
    }

    private void quicksort(final int from, final int to)
    {
        int lo = from;
        int hi = to;
        while (hi - lo >= INSERTION_SORT_BELOW)
        {
            final int pivot = order[medianOfThree(lo, (lo + hi) >>> 1, hi)];
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (compare(order[i], pivot) < 0)
                {
                    i++;
                }
                while (compare(order[j], pivot) > 0)
                {
                    j--;
                }
                if (i <= j)
                {
                    final int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                    i++;
                    j--;
                }
            }
            // Recurse into the smaller side, loop on the larger: the stack stays O(log n).
            if (j - lo < hi - i)
            {
                quicksort(lo, j);
                lo = i;
            }
            else
            {
                quicksort(i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++)
        {
            final int moving = order[i];
            int j = i - 1;
            while (j >= lo && compare(order[j], moving) > 0)
            {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = moving;
        }
    }

    private int medianOfThree(final int a, final int b, final int c)
    {
        final int ra = order[a];
        final int rb = order[b];
        final int rc = order[c];
        if (compare(ra, rb) < 0)
        {
            return compare(rb, rc) < 0 ? b : compare(ra, rc) < 0 ? c : a;
        }
        return compare(ra, rc) < 0 ? a : compare(rb, rc) < 0 ? c : b;
    }

    private int compare(final int a, final int b)
    {
        int c = Integer.compare(scopes[a], scopes[b]);
        if (c != 0)
        {
            return c;
        }
        c = Long.compare(his[a], his[b]);
        return c != 0 ? c : Long.compare(los[a], los[b]);
    }

    @Override
    public void close()
    {
        for (final Path run : runs)
        {
            deleteQuietly(run);
        }
        runs.clear();
        if (spillDirectory != null)
        {
            deleteQuietly(spillDirectory);
        }
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            // Left in the work directory; nothing personal in it, and the next run uses a new directory.
        }
    }

    /** A sorted sequence of facts being merged: the current one at {@link #buffer()}/{@link #offset()}. */
    private interface Run
    {
        boolean advance();

        DirectBuffer buffer();

        int offset();
    }

    /** The last chunk, sorted in memory and never written. */
    private final class ChunkRun implements Run
    {
        private int next;
        private int offset;

        @Override
        public boolean advance()
        {
            if (next >= size)
            {
                return false;
            }
            offset = order[next++] * Fact.LENGTH;
            return true;
        }

        @Override
        public DirectBuffer buffer()
        {
            return chunk;
        }

        @Override
        public int offset()
        {
            return offset;
        }
    }

    /** A run file read through a small buffer. */
    private static final class FileRun implements Run
    {
        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer bytes = ByteBuffer.allocate(READ_BUFFER_FACTS * Fact.LENGTH);
        private final UnsafeBuffer view = new UnsafeBuffer(bytes.array());
        private int offset = -Fact.LENGTH;

        FileRun(final Path file)
        {
            this.file = file;
            try
            {
                this.channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("reconcile: cannot read sort run " + file, ex);
            }
            bytes.limit(0);
        }

        @Override
        public boolean advance()
        {
            offset += Fact.LENGTH;
            if (offset + Fact.LENGTH <= bytes.limit())
            {
                return true;
            }
            try
            {
                bytes.clear();
                while (bytes.hasRemaining() && channel.read(bytes) > 0)
                {
                    // Fill the buffer: records never straddle a refill (the buffer is a whole number of records).
                }
                bytes.flip();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("reconcile: cannot read sort run " + file, ex);
            }
            offset = 0;
            return bytes.limit() >= Fact.LENGTH;
        }

        @Override
        public DirectBuffer buffer()
        {
            return view;
        }

        @Override
        public int offset()
        {
            return offset;
        }

        void close()
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // Read-only; nothing to lose.
            }
        }
    }
}
