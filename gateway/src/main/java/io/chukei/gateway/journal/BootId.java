package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.chukei.gateway.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux's boot id (a new random UUID at every boot) as a journal records it in {@code DIR/boot-id}, to tell a restart
 * of the machine from one of the process. A process killed -9 leaves every journal write in the page cache, so its
 * journal is whole; a machine that went down (power cut, kernel crash) may have lost the pages not yet written back,
 * in any order, so a FORWARDED entry can be missing while the ACCEPTED before it is there.
 * <p>
 * The journal records this boot's id when it closes (and at its first open): a node that dies again before a clean
 * close, after a restart of the machine, still finds the earlier boot's id at its next start.
 */
final class BootId
{
    /** Where Linux gives this boot's id. */
    static final Path SOURCE = Path.of("/proc/sys/kernel/random/boot_id");
    static final String FILE = "boot-id";

    private static final Logger LOG = LoggerFactory.getLogger(BootId.class);

    private BootId()
    {
    }

    /** This boot's id, or null when it cannot be read (not Linux): then a restart of the machine is not told. */
    static String current(final Path source)
    {
        try
        {
            return Files.readString(source, StandardCharsets.US_ASCII).trim();
        }
        catch (final IOException ex)
        {
            LOG.debug("No boot id at {} ({}): a restart of the machine is not told from one of the process", source, ex.toString());
            return null;
        }
    }

    /**
     * Whether {@code directory} records another boot than {@code now}. Nothing recorded yet (a new journal, or one of
     * a version before this check): false, and {@code now} is recorded. A record that cannot be read: true, the
     * cautious reading of what the journal holds.
     */
    static boolean machineRestarted(final Path directory, final String now)
    {
        if (now == null)
        {
            return false;
        }
        final Path file = directory.resolve(FILE);
        try
        {
            if (!Files.exists(file))
            {
                record(directory, now);
                return false;
            }
            return !now.equals(Files.readString(file, StandardCharsets.US_ASCII).trim());
        }
        catch (final IOException ex)
        {
            LOG.warn("Cannot read the boot id recorded in {}: {}; the journal is read as after a restart of the machine",
                file, ex.toString());
            return true;
        }
    }

    /** Records {@code now} as the boot the journal was last closed in. */
    static void record(final Path directory, final String now) throws IOException
    {
        final Path file = directory.resolve(FILE);
        PrivateFiles.createFileIfAbsent(file);
        Files.writeString(file, now + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    }
}
