package io.chukei.gateway.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files the node writes are owner-only: directories 0700, files 0600. The JVM cannot set its process umask,
 * so every file is created with explicit permissions where the code creates it ({@link #fileAttributes}), and
 * files a library creates itself (Chronicle's cycle files) are narrowed after the fact with {@link #restrict};
 * their directory is 0700 from the start, so nobody else can reach them in between.
 * On a file system without POSIX permissions every call here does nothing.
 */
public final class PrivateFiles
{
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];
    private static final FileAttribute<?>[] FILE = {PosixFilePermissions.asFileAttribute(FILE_MODE)};
    private static final FileAttribute<?>[] DIRECTORY = {PosixFilePermissions.asFileAttribute(DIRECTORY_MODE)};

    private PrivateFiles()
    {
    }

    /** Attributes that create a file 0600, for {@code Files.createFile}, {@code FileChannel.open} and the like. */
    public static FileAttribute<?>[] fileAttributes(final Path file)
    {
        return posix(file) ? FILE : NONE;
    }

    /**
     * Creates {@code directory} and any missing parents 0700; an existing {@code directory} (not its parents,
     * which may be shared such as /var/lib) is narrowed to 0700.
     */
    public static Path createDirectories(final Path directory) throws IOException
    {
        if (Files.isDirectory(directory))
        {
            restrict(directory);
            return directory;
        }
        return Files.createDirectories(directory, posix(directory) ? DIRECTORY : NONE);
    }

    /** Creates {@code file} 0600 if it does not exist yet (an existing one is narrowed to 0600). */
    public static Path createFileIfAbsent(final Path file) throws IOException
    {
        try
        {
            return Files.createFile(file, fileAttributes(file));
        }
        catch (final java.nio.file.FileAlreadyExistsException ex)
        {
            restrict(file);
            return file;
        }
    }

    /**
     * Narrows {@code path} to 0600 (file) or 0700 (directory) unless it already is; true if it changed.
     * Links are left alone (their target may be anywhere).
     */
    public static boolean restrict(final Path path) throws IOException
    {
        if (!posix(path) || Files.isSymbolicLink(path))
        {
            return false;
        }
        final Set<PosixFilePermission> wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY_MODE : FILE_MODE;
        if (Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted))
        {
            return false;
        }
        Files.setPosixFilePermissions(path, wanted);
        return true;
    }

    /** {@link #restrict} for a file that may vanish meanwhile (a cycle file removed by retention): never throws. */
    public static void restrictQuietly(final Path path)
    {
        try
        {
            restrict(path);
        }
        catch (final IOException | RuntimeException ex)
        {
            // Vanished, or not ours to change: the 0700 directory around it still keeps others out.
        }
    }

    /**
     * Narrows {@code root} and everything under it (files from older versions, made before the node chose modes);
     * returns how many entries changed. Symbolic links are not followed.
     */
    public static int restrictTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return 0;
        }
        int changed = 0;
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                try
                {
                    changed += restrict(path) ? 1 : 0;
                }
                catch (final java.nio.file.NoSuchFileException ex)
                {
                    // Removed while we walked (a temporary file moved into place): nothing to narrow.
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("Cannot narrow the permissions under " + root, ex);
        }
        return changed;
    }

    /** Removes {@code root} and everything under it, deepest first (a scratch directory, an expired bundle). */
    public static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    private static boolean posix(final Path path)
    {
        final FileSystem fileSystem = path.getFileSystem();
        return fileSystem.supportedFileAttributeViews().contains("posix");
    }
}
