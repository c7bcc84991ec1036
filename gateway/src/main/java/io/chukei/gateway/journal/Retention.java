package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes daily cycle files older than the retention period. A cycle is kept, whatever its age, while it
 * holds the ACCEPTED entry of a pending request or entries the latest checkpoint does not cover, so
 * retention never takes away what recovery needs.
 */
final class Retention
{
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final CycleFiles cycleFiles;
    private final int retentionDays;

    Retention(final CycleFiles cycleFiles, final int retentionDays)
    {
        this.cycleFiles = cycleFiles;
        this.retentionDays = retentionDays;
    }

    /**
     * Deletes cycle files before {@code min(currentCycle - retentionDays, oldestNeededCycle)}: today's file
     * and the previous {@code retentionDays} days stay. Returns how many files were deleted.
     */
    int apply(final int currentCycle, final int oldestNeededCycle)
    {
        final int firstKept = Math.min(currentCycle - retentionDays, oldestNeededCycle);
        int deleted = 0;
        try
        {
            for (final Path file : cycleFiles.list())
            {
                final int cycle = cycleFiles.cycleOf(file);
                if (cycle < firstKept && Files.deleteIfExists(file))
                {
                    LOG.info("Deleted journal cycle file {} (cycle {} is before the first kept cycle {})",
                        file.getFileName(), cycle, firstKept);
                    deleted++;
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("Journal retention could not list or delete cycle files; will try again at the next checkpoint", ex);
        }
        return deleted;
    }
}
