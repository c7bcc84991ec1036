package io.chukei.protocol.client.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.RollCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes cycle files older than the retention: a file is deleted when its cycle is before
 * {@code current - retainCycles} and nothing unresolved may be in it.
 */
final class OutboxRetention
{
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRetention.class);
    private static final String SUFFIX = ".cq4";

    private final Path directory;
    private final RollCycle rollCycle;
    private final DateTimeFormatter format;
    private final int retainCycles;

    OutboxRetention(final Path directory, final RollCycle rollCycle, final int retainCycles)
    {
        this.directory = directory;
        this.rollCycle = rollCycle;
        this.format = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        this.retainCycles = retainCycles;
    }

    int apply(final int currentCycle, final IntPredicate holdsNothingUnresolved)
    {
        final int firstKept = currentCycle - retainCycles;
        int deleted = 0;
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final int cycle = cycleOf(file);
                if (cycle >= 0 && cycle < firstKept && cycle < currentCycle && holdsNothingUnresolved.test(cycle) &&
                    Files.deleteIfExists(file))
                {
                    LOG.info("Deleted outbox cycle file {} (before the first kept cycle, nothing unresolved in it)",
                        file.getFileName());
                    deleted++;
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("Outbox retention could not list or delete files in {}; will try again", directory, ex);
        }
        return deleted;
    }

    /** The cycle a file name stands for, or -1 when it is not a cycle file. */
    int cycleOf(final Path file)
    {
        final String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX))
        {
            return -1;
        }
        try
        {
            final long epochMs = LocalDateTime.parse(name.substring(0, name.length() - SUFFIX.length()), format)
                .toInstant(ZoneOffset.UTC).toEpochMilli();
            return (int)(epochMs / rollCycle.lengthInMillis());
        }
        catch (final DateTimeParseException ex)
        {
            return -1;
        }
    }
}
