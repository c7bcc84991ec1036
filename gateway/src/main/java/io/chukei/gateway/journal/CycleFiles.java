package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.RollCycle;

/**
 * Maps daily cycle numbers to the queue's cycle files and back. Chronicle names a daily file after its UTC
 * date (e.g. {@code 20260612F.cq4} for FAST_DAILY, cycle = days since 1970-01-01) when the queue keeps the
 * default epoch and roll time, which this journal does.
 */
final class CycleFiles
{
    static final String SUFFIX = ".cq4";

    private final Path directory;
    private final DateTimeFormatter format;

    CycleFiles(final Path directory, final RollCycle rollCycle)
    {
        this.directory = directory;
        this.format = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
    }

    Path fileFor(final int cycle)
    {
        return directory.resolve(format.format(LocalDate.ofEpochDay(cycle)) + SUFFIX);
    }

    /** The cycle a file name stands for, or -1 when it is not a cycle file of this format. */
    int cycleOf(final Path file)
    {
        final String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX))
        {
            return -1;
        }
        try
        {
            return (int)LocalDate.parse(name.substring(0, name.length() - SUFFIX.length()), format).toEpochDay();
        }
        catch (final DateTimeParseException ex)
        {
            return -1;
        }
    }

    /** Cycle files on disk, in no particular order. */
    List<Path> list() throws IOException
    {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory))
        {
            return files;
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            entries.filter(path -> cycleOf(path) >= 0).forEach(files::add);
        }
        return files;
    }
}
