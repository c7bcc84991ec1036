package io.chukei.protocol.client.outbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import net.openhft.chronicle.queue.impl.StoreFileListener;

/**
 * The outbox holds personal data (the Submits' fields): its directory is 0700 and its files 0600. Chronicle creates
 * its cycle files itself with the process umask, so each is narrowed when Chronicle first acquires it
 * ({@code onAcquired}); the 0700 directory keeps others out until then. Does nothing on a file system without POSIX
 * permissions. The acquired files are also told to a listener (the SYNC mode's syncer needs their paths).
 */
final class OwnerOnlyFiles implements StoreFileListener
{
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    interface Acquired
    {
        void acquired(int cycle, File file);
    }

    private final Acquired listener;

    OwnerOnlyFiles(final Acquired listener)
    {
        this.listener = listener;
    }

    @Override
    public void onAcquired(final int cycle, final File file)
    {
        try
        {
            restrict(file.toPath());
        }
        catch (final IOException ex)
        {
            // The 0700 directory still keeps others out; nothing better to do on Chronicle's thread.
        }
        listener.acquired(cycle, file);
    }

    @Override
    public void onReleased(final int cycle, final File file)
    {
        // The file keeps the mode it was given on acquisition.
    }

    static void createDirectory(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            if (POSIX)
            {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            }
            else
            {
                Files.createDirectories(directory);
            }
        }
        restrict(directory);
    }

    static void restrict(final Path path) throws IOException
    {
        if (!POSIX || Files.isSymbolicLink(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        final Set<PosixFilePermission> wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY_MODE : FILE_MODE;
        if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted))
        {
            Files.setPosixFilePermissions(path, wanted);
        }
    }

    static void restrictTree(final Path directory) throws IOException
    {
        try (var paths = Files.list(directory))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                restrict(path);
            }
        }
    }
}
