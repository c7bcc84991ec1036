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

import io.chukei.gateway.files.PrivateFiles;
import java.util.zip.CRC32C;

/**
 * A snapshot of the request table and the journal index it covers, written atomically (temporary file,
 * fsync, rename, directory fsync) so a crash leaves either the old checkpoint or the new one.
 * <pre>
 *   magic i64 "CHKJCP01" | version i32 | coveredIndex i64 | evictions i64 | entryCount i32
 *   entryCount x ( scope i32 | idHi i64 | idLo i64 | state u8 | acceptedIndex i64 | terminalIndex i64 | fingerprint i64 | forwardAttempts i32
 *                 | deadlineEpochMs i64 | priority u8 )
 *   crc32c i32 of everything before it
 * </pre>
 * Entries are stored oldest first, so a loaded table evicts in the same order as the one saved.
 */
final class CheckpointFile
{
    static final String FILE_NAME = "requests.checkpoint";
    private static final long MAGIC = 0x43484B4A43503031L;
    /** 3: entries start with their municipality scope. An older checkpoint is unusable: recovery scans the journal. */
    private static final int VERSION = 3;
    private static final int HEADER_LENGTH = 8 + 4 + 8 + 8 + 4;
    private static final int ENTRY_LENGTH = 4 + 8 + 8 + 1 + 8 + 8 + 8 + 4 + 8 + 1;
    private static final int CHUNK = 1 << 20;

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

    static void write(final Path directory, final RequestIndex requests, final long coveredIndex) throws IOException
    {
        final Path target = path(directory);
        final Path temporary = directory.resolve(FILE_NAME + ".tmp");
        final CRC32C crc = new CRC32C();
        // Created afresh, so it is 0600 even where an older version left a wider temporary behind.
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary, java.util.Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), PrivateFiles.fileAttributes(temporary)))
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(MAGIC).putInt(VERSION).putLong(coveredIndex).putLong(requests.evictions()).putInt(requests.size());
            final IOException[] failure = new IOException[1];
            requests.forEachSlot(slot ->
            {
                if (buffer.remaining() < ENTRY_LENGTH && failure[0] == null)
                {
                    failure[0] = flush(channel, buffer, crc);
                }
                buffer.putInt(requests.scope(slot)).putLong(requests.idHi(slot)).putLong(requests.idLo(slot)).put(requests.state(slot))
                    .putLong(requests.acceptedIndex(slot)).putLong(requests.terminalIndex(slot))
                    .putLong(requests.fingerprint(slot)).putInt(requests.forwardAttempts(slot))
                    .putLong(requests.deadlineEpochMs(slot)).put(requests.priority(slot));
            });
            if (failure[0] != null)
            {
                throw failure[0];
            }
            final IOException last = flush(channel, buffer, crc);
            if (last != null)
            {
                throw last;
            }
            buffer.putInt((int)crc.getValue()).flip();
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
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
            if (magic != MAGIC || version != VERSION)
            {
                throw new IOException("checkpoint " + file + ": magic/version " + Long.toHexString(magic) + "/" + version +
                    " (expected: " + Long.toHexString(MAGIC) + "/" + VERSION + ")");
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
    }

    private static IOException flush(final FileChannel channel, final ByteBuffer buffer, final CRC32C crc)
    {
        buffer.flip();
        crc.update(buffer.duplicate());
        try
        {
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
        }
        catch (final IOException ex)
        {
            return ex;
        }
        buffer.clear();
        return null;
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
