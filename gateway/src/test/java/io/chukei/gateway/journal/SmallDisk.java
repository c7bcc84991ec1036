package io.chukei.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs to fill up: a real full disk under a journal. Mounting needs root (the build machines run tests as
 * root); elsewhere a test that opens one is skipped by assumption, saying why.
 */
public final class SmallDisk implements AutoCloseable
{
    private final Path mount;

    private SmallDisk(final Path mount)
    {
        this.mount = mount;
    }

    /** Mounts a tmpfs of {@code size} (as mount(8) takes it, e.g. "4m") at {@code directory}/tmpfs. */
    public static SmallDisk mount(final Path directory, final String size) throws IOException
    {
        final Path point = Files.createDirectories(directory.resolve("tmpfs"));
        assumeThat(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", point.toString()))
            .as("mounting a tmpfs needs root").isZero();
        return new SmallDisk(point);
    }

    public Path root()
    {
        return mount;
    }

    /** Writes {@code file} until the file system says it is full. */
    public static void fill(final Path file)
    {
        final byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file))
        {
            while (true)
            {
                out.write(block);
            }
        }
        catch (final IOException full)
        {
            // No space left on device: filled.
        }
    }

    @Override
    public void close() throws IOException
    {
        // Chronicle unmaps closed files on a background thread: detach lazily if they are still mapped.
        if (run("umount", mount.toString()) != 0)
        {
            assertThat(run("umount", "-l", mount.toString())).as("umount -l " + mount).isZero();
        }
    }

    static int run(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        try
        {
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }
}
