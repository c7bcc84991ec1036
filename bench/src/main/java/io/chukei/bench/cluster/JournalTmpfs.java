package io.chukei.bench.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted on one node's journal directory (root only), so a disk-full fault fills the
 * journal's file system and nothing else: {@link #fill()} writes a filler file until the file system refuses,
 * {@link #drain()} deletes it. Unmounted by {@link #close()} (lazily if a process still holds it).
 */
public final class JournalTmpfs implements AutoCloseable
{
    static final String FILLER = "disk-full-filler";

    private final Path mountPoint;
    private boolean mounted;

    private JournalTmpfs(final Path mountPoint)
    {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 32m}) on {@code journalDir}, creating it. */
    public static JournalTmpfs mount(final Path journalDir, final String size) throws IOException, InterruptedException
    {
        if (!size.matches("[1-9][0-9]*[kmg]"))
        {
            throw new IllegalArgumentException("size: " + size + " (expected: a number with k, m or g, e.g. 32m)");
        }
        Files.createDirectories(journalDir);
        final JournalTmpfs tmpfs = new JournalTmpfs(journalDir);
        final String output = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", journalDir.toString());
        if (output != null)
        {
            throw new IOException("mount -t tmpfs on " + journalDir + " failed (root is needed): " + output);
        }
        tmpfs.mounted = true;
        return tmpfs;
    }

    public Path mountPoint()
    {
        return mountPoint;
    }

    /** Fills the file system: writes the filler until it is full. Returns the bytes written. */
    public long fill() throws IOException
    {
        final byte[] block = new byte[256 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve(FILLER)))
        {
            while (true)
            {
                out.write(block);
                written += block.length;
            }
        }
        catch (final IOException full)
        {
            if (mountPoint.toFile().getUsableSpace() > block.length)
            {
                throw full;
            }
            return written;
        }
    }

    /** Deletes the filler: the space is back. */
    public void drain() throws IOException
    {
        Files.deleteIfExists(mountPoint.resolve(FILLER));
    }

    /** Free bytes on the file system now. */
    public long usableBytes()
    {
        return mountPoint.toFile().getUsableSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException
    {
        if (!mounted)
        {
            return;
        }
        mounted = false;
        if (run("umount", mountPoint.toString()) != null)
        {
            // A node process that did not stop still holds a file: detach now, freed when it goes.
            final String lazy = run("umount", "-l", mountPoint.toString());
            if (lazy != null)
            {
                throw new IOException("umount " + mountPoint + " failed: " + lazy);
            }
        }
    }

    /** Null on success, else the command's output and exit status. */
    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return String.join(" ", command) + ": no exit within 30 s";
        }
        return process.exitValue() == 0 ? null : output.strip() + " (exit " + process.exitValue() + ")";
    }
}
