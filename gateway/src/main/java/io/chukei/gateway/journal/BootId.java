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
 * Whether the machine restarted since the journal was last opened for writing, from Linux's boot id (a new random
 * UUID at every boot) kept in {@code DIR/boot-id}. A process killed -9 leaves every journal write in the page cache,
 * so its journal is whole; a machine that went down (power cut, kernel crash) may have lost the pages not yet
 * written back, in any order, so a FORWARDED entry can be missing while the ACCEPTED before it is there.
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

    /**
     * True when {@code directory} records another boot than this one ({@code source}); then this boot's is recorded.
     * False when nothing was recorded yet (a new journal, or one from a version before this check) or the boot id
     * cannot be read (not Linux): nothing is known then.
     */
    static boolean machineRestartedSinceLastOpen(final Path directory, final Path source)
    {
        final String now;
        try
        {
            now = Files.readString(source, StandardCharsets.US_ASCII).trim();
        }
        catch (final IOException ex)
        {
            LOG.debug("No boot id at {} ({}): a restart of the machine is not told from one of the process", source, ex.toString());
            return false;
        }
        final Path file = directory.resolve(FILE);
        try
        {
            final String before = Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : null;
            if (!now.equals(before))
            {
                PrivateFiles.createFileIfAbsent(file);
                Files.writeString(file, now + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            }
            return before != null && !before.equals(now);
        }
        catch (final IOException ex)
        {
            // Not knowing is taken as a restart of the machine: the cautious reading of what the journal holds.
            LOG.warn("Cannot read or record the boot id in {}: {}; the journal is read as after a restart of the machine",
                file, ex.toString());
            return true;
        }
    }
}
