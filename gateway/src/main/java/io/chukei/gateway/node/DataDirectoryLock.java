package io.chukei.gateway.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;

import io.chukei.gateway.files.PrivateFiles;
import io.chukei.protocol.text.SafeText;

/**
 * One node per data directory: {@code DATA/node.lock}, locked by the operating system for as long as the node runs.
 * Two nodes started on one directory wrote one journal, overwrote each other's {@code node.properties}, and applied a
 * request twice through their simulators' shared ledger. The lock goes with its process, so a node killed with -9
 * leaves none behind; the file's line (process id, node id, start) names the holder in the refusal. Read-only tools
 * ({@code journal dump}, {@code trace}, ...) do not take it.
 * <p>
 * The operating system's lock belongs to the process, and closing any descriptor of the file in that process releases
 * it (POSIX record locks; see {@link FileLock}): so a process never opens the file of a directory it already holds,
 * and a second node in the same process (tests) is refused from {@link #HELD} alone.
 */
final class DataDirectoryLock implements AutoCloseable
{
    static final String FILE_NAME = "node.lock";
    private static final int MAX_HOLDER_BYTES = 200;

    /** The directories this process holds, by real path, with the line written for each. */
    private static final java.util.Map<Path, String> HELD = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    /** Null where the file system takes no locks. */
    private final FileLock lock;

    private DataDirectoryLock(final Path key, final FileChannel channel, final FileLock lock)
    {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dataDir} for node {@code nodeId}.
     *
     * @throws IllegalStateException naming the directory and the node that holds it, when another one does
     */
    static DataDirectoryLock acquire(final Path dataDir, final int nodeId) throws IOException
    {
        final Path key = dataDir.toRealPath();
        final String line = "pid " + ProcessHandle.current().pid() + ", node " + nodeId + ", since " + Instant.now();
        final String heldHere = HELD.putIfAbsent(key, line);
        if (heldHere != null)
        {
            throw inUse(dataDir, heldHere);
        }
        final Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PrivateFiles.fileAttributes(file));
            final FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final java.nio.channels.OverlappingFileLockException sameFileElsewhere)
            {
                // This process holds the file under another path (a bind mount): closing this descriptor would release
                // that lock, so it stays open, unused, for the life of the process.
                channel = null;
                throw inUse(dataDir, "this process, under another path");
            }
            catch (final IOException noLocksHere)
            {
                // A file system that takes no locks (some network mounts): the node runs, unprotected, and says so.
                org.slf4j.LoggerFactory.getLogger(DataDirectoryLock.class).warn("Cannot lock {} ({}): nothing stops " +
                    "a second node on this data directory; give each node its own", file, noLocksHere.toString());
                return new DataDirectoryLock(key, channel, null);
            }
            if (lock == null)
            {
                throw inUse(dataDir, holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new DataDirectoryLock(key, channel, lock);
        }
        catch (final IOException | RuntimeException ex)
        {
            HELD.remove(key);
            if (channel != null)
            {
                channel.close();
            }
            throw ex;
        }
    }

    private static IllegalStateException inUse(final Path dataDir, final String holder)
    {
        return new IllegalStateException("data directory " + dataDir + " is in use by another node (" + holder + "; " +
            dataDir.resolve(FILE_NAME) + " is locked): two nodes on one data directory would write one journal and " +
            "could apply a request twice (expected: a data directory of its own for each node, --data or data.dir)");
    }

    private static String holder(final FileChannel channel) throws IOException
    {
        final ByteBuffer line = ByteBuffer.allocate(MAX_HOLDER_BYTES);
        channel.read(line, 0);
        final String text = new String(line.array(), 0, line.position(), StandardCharsets.US_ASCII).strip();
        return text.isEmpty() ? "it has not said who it is yet" : SafeText.of(text);
    }

    /** Releases the lock; the file stays (deleting it could race a node starting meanwhile). */
    @Override
    public void close() throws IOException
    {
        try
        {
            if (lock != null)
            {
                lock.release();
            }
        }
        finally
        {
            channel.close();
            HELD.remove(key);
        }
    }
}
