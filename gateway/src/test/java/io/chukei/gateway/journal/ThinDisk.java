package io.chukei.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ext4 file system whose storage runs out before the file system does: a sparse 1 GiB image on a loop device,
 * backed by a 48 MiB tmpfs. Once {@link #exhaust() exhausted}, writes still succeed (into the page cache; ext4 sees
 * plenty of free space, so {@code fallocate} and the free-space reading say nothing), and the write-back of any block
 * not stored before fails in the loop device: the kernel logs "Buffer I/O error", may drop the pages, and reports the
 * error at the next {@code fsync} (ENOSPC). A thin-provisioned volume out of space, or a failing disk, as far as the
 * writer can tell. Needs root, {@code losetup} and {@code mkfs.ext4}; elsewhere a test that mounts one is skipped by
 * assumption, saying why.
 */
public final class ThinDisk implements AutoCloseable
{
    private final SmallDisk backing;
    private final String loopDevice;
    private final Path mount;

    private ThinDisk(final SmallDisk backing, final String loopDevice, final Path mount)
    {
        this.backing = backing;
        this.loopDevice = loopDevice;
        this.mount = mount;
    }

    /** Mounts a fresh thin disk at {@code mountPoint} (created if missing), its backing store under {@code scratch}. */
    public static ThinDisk mount(final Path scratch, final Path mountPoint) throws IOException
    {
        final SmallDisk backing = SmallDisk.mount(scratch, "48m");
        try
        {
            final Path image = backing.root().resolve("disk.img");
            assertThat(SmallDisk.run("truncate", "-s", "1g", image.toString())).as("truncate the image").isZero();
            final Process losetup = new ProcessBuilder("losetup", "-f", "--show", image.toString()).start();
            final String device = new String(losetup.getInputStream().readAllBytes()).trim();
            assumeThat(waitFor(losetup)).as("losetup -f --show (loop devices, util-linux): " +
                new String(losetup.getErrorStream().readAllBytes()).trim()).isZero();
            // No ext4 journal: less of the small backing store used up front, and no journal abort to tell apart.
            assumeThat(SmallDisk.run("mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-N", "4096", "-E", "lazy_itable_init=0",
                device))
                .as("mkfs.ext4 (e2fsprogs)").isZero();
            Files.createDirectories(mountPoint);
            assertThat(SmallDisk.run("mount", "-t", "ext4", device, mountPoint.toString())).as("mount " + device).isZero();
            Files.delete(mountPoint.resolve("lost+found"));
            return new ThinDisk(backing, device, mountPoint);
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            backing.close();
            throw ex;
        }
    }

    /** Fills the backing store: from now on, the write-back of every block not stored before fails. */
    public void exhaust()
    {
        SmallDisk.fill(backing.root().resolve("filler"));
    }

    /** Gives the backing store its room back (a thin pool extended, a path back): write-back works again. */
    public void restore() throws IOException
    {
        Files.delete(backing.root().resolve("filler"));
    }

    @Override
    public void close() throws IOException
    {
        // Pages that cannot be written back are dropped at unmount; a file still mapped by a closing Chronicle queue
        // keeps the mount busy for a moment, so detach lazily then.
        if (SmallDisk.run("umount", mount.toString()) != 0)
        {
            assertThat(SmallDisk.run("umount", "-l", mount.toString())).as("umount -l " + mount).isZero();
        }
        SmallDisk.run("losetup", "-d", loopDevice);
        backing.close();
    }

    private static int waitFor(final Process process)
    {
        try
        {
            return process.waitFor();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted waiting for " + process.info().command()));
        }
    }
}
