package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

import io.chukei.gateway.files.PrivateFiles;

/**
 * A snapshot of the request table and the journal index it covers, written atomically (temporary file,
 * fsync, rename, directory fsync) so a crash leaves either the old checkpoint or the new one.
 * <p>
 * Format 4, written: an image of the table's arrays, so loading is a bulk copy per array (no insertion per entry;
 * bench/README.md, "Restart time"). All little-endian:
 * <pre>
 *   magic i64 "CHKJCP01" | version i32 = 4 | coveredIndex i64 | evictions i64 | size i32 | slots i32
 *   | orderLength i32 | orderHead i32 | slotHash i32
 *   scope i32[slots] | idHi i64[slots] | idLo i64[slots] | acceptedIndex i64[slots] | terminalIndex i64[slots]
 *   | fingerprint i64[slots] | forwardAttempts i32[slots] | deadlineEpochMs i64[slots] | priority u8[slots]
 *   | state u8[slots] | orderScope i32[orderLength] | orderHi i64[orderLength] | orderLo i64[orderLength]
 *   crc32c i32 of everything before it
 * </pre>
 * {@code slotHash} names the slot function the image was laid out with; an image of another is not used.
 * <p>
 * Format 3, still read (a node upgraded in place): entries oldest first, each inserted again.
 * <pre>
 *   magic i64 "CHKJCP01" | version i32 = 3 | coveredIndex i64 | evictions i64 | entryCount i32
 *   entryCount x ( scope i32 | idHi i64 | idLo i64 | state u8 | acceptedIndex i64 | terminalIndex i64 | fingerprint i64 | forwardAttempts i32
 *                 | deadlineEpochMs i64 | priority u8 )
 *   crc32c i32 of everything before it
 * </pre>
 */
final class CheckpointFile
{
    static final String FILE_NAME = "requests.checkpoint";
    private static final long MAGIC = 0x43484B4A43503031L;
    /** 4: an image of the table's arrays. 3: entries, oldest first. An older checkpoint is unusable: recovery scans. */
    private static final int VERSION = 4;
    private static final int ENTRIES_VERSION = 3;
    /** The slot function of {@link RequestIndex} the images are laid out with; a new one needs a new id. */
    private static final int SLOT_HASH = 1;
    private static final int HEADER_LENGTH = 8 + 4 + 8 + 8 + 4;
    private static final int ENTRY_LENGTH = 4 + 8 + 8 + 1 + 8 + 8 + 8 + 4 + 8 + 1;
    private static final int IMAGE_HEADER_LENGTH = 8 + 4 + 8 + 8 + 4 + 4 + 4 + 4 + 4;
    private static final int SLOT_LENGTH = 4 + 8 + 8 + 8 + 8 + 8 + 4 + 8 + 1 + 1;
    private static final int ORDER_LENGTH = 4 + 8 + 8;
    private static final int MAX_SLOTS = 1 << 30;
    private static final int CHUNK = 1 << 20;
    /** A paced write waits this many times as long as each chunk took: at most 1 / (1 + 4) of a CPU. */
    static final int PACE_FACTOR = 4;
    /** A paced write sends what it wrote to the disk every this many chunks, so the final fsync has little left. */
    private static final int PACED_CHUNKS_PER_SYNC = 8;
    /** The longest wait after one chunk (a chunk slowed by the disk does not stretch the write without bound). */
    private static final long MAX_PACE_NANOS = 20_000_000L;

    /** A checkpoint read back. */
    record Loaded(RequestIndex requests, long coveredIndex)
    {
    }

    private CheckpointFile()
    {
    }

    static Path path(final Path directory)
    {
        return directory.resolve(FILE_NAME);
    }

    /**
     * The index the checkpoint in {@code directory} says it covers, from its header alone (no image read, no CRC), or -1
     * when there is none or its header is not one: for a check that the journal still holds the entries it covered.
     */
    static long coveredIndexOf(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(path(directory), java.nio.file.StandardOpenOption.READ))
        {
            final java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && channel.read(header) > 0)
            {
                // reads the 20 bytes of magic, version and covered index
            }
            if (header.hasRemaining() || header.getLong(0) != MAGIC ||
                header.getInt(8) != VERSION && header.getInt(8) != ENTRIES_VERSION)
            {
                return -1;
            }
            return header.getLong(12);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    static void write(final Path directory, final RequestIndex requests, final long coveredIndex) throws IOException
    {
        write(directory, requests, coveredIndex, () -> false);
    }

    /**
     * As {@link #write(Path, RequestIndex, long)}; while {@code paced} says so (asked after each 1 MiB), waits
     * {@link #PACE_FACTOR} times as long as that MiB took to copy, checksum and write, so the write takes at most a
     * fifth of one CPU, and sends what it wrote to the disk every {@link #PACED_CHUNKS_PER_SYNC} MiB. The image is the
     * whole table (143 MB at the default capacity); written flat out, it took the CPU from a one-CPU node's event loop
     * for long enough to hold its requests for 15-60 ms (bench/README.md, <i>The checkpoint's stall</i>). The
     * checkpoint thread writes paced; shutdown and explicit checkpoints do not.
     */
    static void write(final Path directory, final RequestIndex requests, final long coveredIndex,
        final BooleanSupplier paced)
        throws IOException
    {
        final Path target = path(directory);
        final Path temporary = directory.resolve(FILE_NAME + ".tmp");
        // Created afresh, so it is 0600 even where an older version left a wider temporary behind.
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary, java.util.Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), PrivateFiles.fileAttributes(temporary)))
        {
            final RequestIndex.Image image = requests.image();
            final ImageOut out = new ImageOut(channel, paced);
            out.header(coveredIndex, image);
            out.ints(image.scope());
            out.longs(image.idHi());
            out.longs(image.idLo());
            out.longs(image.acceptedIndex());
            out.longs(image.terminalIndex());
            out.longs(image.fingerprint());
            out.ints(image.forwardAttempts());
            out.longs(image.deadlineEpochMs());
            out.bytes(image.priority());
            out.bytes(image.state());
            out.ints(image.orderScope());
            out.longs(image.orderHi());
            out.longs(image.orderLo());
            out.finish();
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(directory);
    }

    /** The checkpoint, or null when there is none; IOException when it is unreadable or corrupt. */
    static Loaded read(final Path directory, final int maxEntries) throws IOException
    {
        final Path file = path(directory);
        if (!Files.exists(file))
        {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer start = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (start.hasRemaining() && channel.read(start, start.position()) > 0)
            {
                // the first 12 bytes, or what the file has
            }
            if (start.position() == 12 && start.getLong(0) == MAGIC && start.getInt(8) == VERSION)
            {
                return readImage(file, channel, maxEntries);
            }
            return readEntries(file, channel, maxEntries);
        }
    }

    /** Format 3: entries, oldest first, each inserted again. */
    private static Loaded readEntries(final Path file, final FileChannel channel, final int maxEntries) throws IOException
    {
        final long size = channel.size();
        if (size < HEADER_LENGTH + 4 || size > Integer.MAX_VALUE)
        {
            throw new IOException("checkpoint " + file + ": size " + size + " (expected: " + (HEADER_LENGTH + 4) +
                ".." + Integer.MAX_VALUE + ")");
        }
        final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        mapped.order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        crc.update(mapped.duplicate().limit((int)size - 4));
        final int stored = mapped.getInt((int)size - 4);
        if (stored != (int)crc.getValue())
        {
            throw new IOException("checkpoint " + file + ": crc32c " + Integer.toHexString(stored) + " (expected: " +
                Integer.toHexString((int)crc.getValue()) + ")");
        }
        final long magic = mapped.getLong();
        final int version = mapped.getInt();
        if (magic != MAGIC || version != ENTRIES_VERSION)
        {
            throw new IOException("checkpoint " + file + ": magic/version " + Long.toHexString(magic) + "/" + version +
                " (expected: " + Long.toHexString(MAGIC) + "/" + VERSION + " or " + ENTRIES_VERSION + ")");
        }
        final long coveredIndex = mapped.getLong();
        mapped.getLong(); // evictions: informational
        final int count = mapped.getInt();
        if ((long)count * ENTRY_LENGTH != size - HEADER_LENGTH - 4)
        {
            throw new IOException("checkpoint " + file + ": " + count + " entries in " + size + " bytes (expected: " +
                (HEADER_LENGTH + 4 + (long)count * ENTRY_LENGTH) + " bytes)");
        }
        final RequestIndex requests = new RequestIndex(maxEntries, Math.min(count, maxEntries) * 2);
        for (int i = 0; i < count; i++)
        {
            final int scope = mapped.getInt();
            final long hi = mapped.getLong();
            final long lo = mapped.getLong();
            final byte state = mapped.get();
            final long accepted = mapped.getLong();
            final long terminal = mapped.getLong();
            final long fingerprint = mapped.getLong();
            final int attempts = mapped.getInt();
            final long deadline = mapped.getLong();
            final byte priority = mapped.get();
            try
            {
                requests.restore(scope, hi, lo, state, accepted, terminal, fingerprint, attempts, deadline, priority);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IOException("checkpoint " + file + ": entry " + i + ": " + ex.getMessage(), ex);
            }
        }
        return new Loaded(requests, coveredIndex);
    }

    /** Format 4: the table's arrays, each read in bulk. */
    private static Loaded readImage(final Path file, final FileChannel channel, final int maxEntries) throws IOException
    {
        final long fileSize = channel.size();
        final ImageIn in = new ImageIn(file, channel, fileSize);
        in.skip(12);
        final long coveredIndex = in.headerLong();
        final long evictions = in.headerLong();
        final int size = in.headerInt();
        final int slots = in.headerInt();
        final int orderLength = in.headerInt();
        final int orderHead = in.headerInt();
        final int slotHash = in.headerInt();
        if (slotHash != SLOT_HASH)
        {
            throw new IOException("checkpoint " + file + ": slot hash " + slotHash + " (expected: " + SLOT_HASH + ")");
        }
        if (slots < 1 || slots > MAX_SLOTS || orderLength < 1 || orderLength > MAX_SLOTS)
        {
            throw new IOException("checkpoint " + file + ": " + slots + " slots, order ring " + orderLength +
                " (expected: 1.." + MAX_SLOTS + " each)");
        }
        final long expected = IMAGE_HEADER_LENGTH + (long)slots * SLOT_LENGTH + (long)orderLength * ORDER_LENGTH + 4;
        if (fileSize != expected)
        {
            throw new IOException("checkpoint " + file + ": " + fileSize + " bytes (expected: " + expected + " for " +
                slots + " slots and an order ring of " + orderLength + ")");
        }
        final RequestIndex.Image image = new RequestIndex.Image(size, evictions, orderHead, in.ints(slots),
            in.longs(slots), in.longs(slots), in.longs(slots), in.longs(slots), in.longs(slots), in.ints(slots),
            in.longs(slots), in.bytes(slots), in.bytes(slots), in.ints(orderLength), in.longs(orderLength),
            in.longs(orderLength));
        in.checkCrc();
        try
        {
            // A bound lowered since the image was written: the entries again, oldest first, evicting as they go.
            return new Loaded(size <= maxEntries ? RequestIndex.fromImage(maxEntries, image) :
                RequestIndex.fromImage(Integer.MAX_VALUE, image).trimmedTo(maxEntries), coveredIndex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException("checkpoint " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** Copies elements {@code at..at+n} of an array to or from the image buffer at its position (which it leaves). */
    @FunctionalInterface
    private interface ChunkCopy
    {
        void copy(int at, int n);
    }

    /** Writes the image through one direct buffer, bulk-copying the arrays into it, with the CRC32C of it all. */
    private static final class ImageOut
    {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private final BooleanSupplier paced;
        /** When the current chunk began: copying into the buffer, then checksum and write. */
        private long chunkStart = System.nanoTime();
        private int chunks;

        ImageOut(final FileChannel channel, final BooleanSupplier paced)
        {
            this.channel = channel;
            this.paced = paced;
        }

        void header(final long coveredIndex, final RequestIndex.Image image)
        {
            buffer.putLong(MAGIC).putInt(VERSION).putLong(coveredIndex).putLong(image.evictions()).putInt(image.size())
                .putInt(image.state().length).putInt(image.orderHi().length).putInt(image.orderHead()).putInt(SLOT_HASH);
        }

        void ints(final int[] values) throws IOException
        {
            chunks(values.length, 4, (at, n) -> buffer.asIntBuffer().put(values, at, n));
        }

        void longs(final long[] values) throws IOException
        {
            chunks(values.length, 8, (at, n) -> buffer.asLongBuffer().put(values, at, n));
        }

        void bytes(final byte[] values) throws IOException
        {
            chunks(values.length, 1, (at, n) -> buffer.slice().put(values, at, n));
        }

        /** {@code length} elements of {@code width} bytes into the buffer, as many at a time as it has room for. */
        private void chunks(final int length, final int width, final ChunkCopy copy) throws IOException
        {
            for (int at = 0; at < length; )
            {
                final int n = Math.min(length - at, room(width));
                copy.copy(at, n);
                buffer.position(buffer.position() + n * width);
                at += n;
            }
        }

        void finish() throws IOException
        {
            drain();
            buffer.putInt((int)crc.getValue()).flip();
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
        }

        /** How many elements of {@code width} bytes fit now (at least one: the buffer is drained when full). */
        private int room(final int width) throws IOException
        {
            if (buffer.remaining() < width)
            {
                drain();
            }
            return buffer.remaining() / width;
        }

        private void drain() throws IOException
        {
            buffer.flip();
            crc.update(buffer.duplicate());
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            buffer.clear();
            if (paced.getAsBoolean())
            {
                if (++chunks % PACED_CHUNKS_PER_SYNC == 0)
                {
                    // Written back a few MiB at a time, paced like the rest, rather than 143 MB in the final fsync.
                    channel.force(false);
                }
                LockSupport.parkNanos(Math.min(MAX_PACE_NANOS, (System.nanoTime() - chunkStart) * PACE_FACTOR));
            }
            chunkStart = System.nanoTime();
        }
    }

    /** Reads the image through one direct buffer, bulk-copying out of it into the arrays, with the CRC32C of it all. */
    private static final class ImageIn
    {
        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        /** Bytes of the file before its CRC not yet read into the buffer. */
        private long unread;

        ImageIn(final Path file, final FileChannel channel, final long fileSize) throws IOException
        {
            this.file = file;
            this.channel = channel;
            this.unread = fileSize - 4;
            if (unread < IMAGE_HEADER_LENGTH)
            {
                throw new IOException("checkpoint " + file + ": " + fileSize + " bytes (expected: at least " +
                    (IMAGE_HEADER_LENGTH + 4) + ")");
            }
            channel.position(0);
            buffer.limit(0);
        }

        void skip(final int count) throws IOException
        {
            need(count);
            buffer.position(buffer.position() + count);
        }

        long headerLong() throws IOException
        {
            need(8);
            return buffer.getLong();
        }

        int headerInt() throws IOException
        {
            need(4);
            return buffer.getInt();
        }

        int[] ints(final int length) throws IOException
        {
            final int[] values = new int[length];
            chunks(length, 4, (at, n) -> buffer.asIntBuffer().get(values, at, n));
            return values;
        }

        long[] longs(final int length) throws IOException
        {
            final long[] values = new long[length];
            chunks(length, 8, (at, n) -> buffer.asLongBuffer().get(values, at, n));
            return values;
        }

        byte[] bytes(final int length) throws IOException
        {
            final byte[] values = new byte[length];
            chunks(length, 1, (at, n) -> buffer.slice().get(values, at, n));
            return values;
        }

        /** {@code length} elements of {@code width} bytes out of the buffer, as many at a time as it holds. */
        private void chunks(final int length, final int width, final ChunkCopy copy) throws IOException
        {
            for (int at = 0; at < length; )
            {
                final int n = Math.min(length - at, available(width));
                copy.copy(at, n);
                buffer.position(buffer.position() + n * width);
                at += n;
            }
        }

        /** After the last array: nothing left before the CRC, and the CRC matches. */
        void checkCrc() throws IOException
        {
            if (buffer.hasRemaining() || unread != 0)
            {
                throw new IOException("checkpoint " + file + ": " + (buffer.remaining() + unread) + " bytes left over");
            }
            final ByteBuffer stored = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (stored.hasRemaining() && channel.read(stored) > 0)
            {
                // the last four bytes
            }
            if (stored.hasRemaining() || stored.getInt(0) != (int)crc.getValue())
            {
                throw new IOException("checkpoint " + file + ": crc32c " + Integer.toHexString(stored.getInt(0)) +
                    " (expected: " + Integer.toHexString((int)crc.getValue()) + ")");
            }
        }

        /** How many elements of {@code width} bytes the buffer holds now (at least one). */
        private int available(final int width) throws IOException
        {
            need(width);
            return buffer.remaining() / width;
        }

        /** At least {@code count} bytes in the buffer, read from the file as needed, the CRC over each as read. */
        private void need(final int count) throws IOException
        {
            if (buffer.remaining() >= count)
            {
                return;
            }
            buffer.compact();
            while (buffer.position() < count)
            {
                if (unread == 0)
                {
                    throw new IOException("checkpoint " + file + ": ends inside its image");
                }
                final int from = buffer.position();
                buffer.limit((int)Math.min(buffer.capacity(), from + unread));
                final int read = channel.read(buffer);
                if (read < 0)
                {
                    throw new IOException("checkpoint " + file + ": ends inside its image");
                }
                crc.update(buffer.duplicate().position(from).limit(from + read));
                unread -= read;
            }
            buffer.flip();
        }
    }

    static void forceDirectory(final Path directory) throws IOException
    {
        // On Linux a directory can be opened and fsynced: that makes the rename itself durable.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
        {
            dir.force(true);
        }
    }
}
