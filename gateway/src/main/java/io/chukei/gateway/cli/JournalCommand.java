package io.chukei.gateway.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.journal.JournalStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chukei journal stats|trace}: read a node's journal (DIR/journal) without changing it. */
@Command(name = "journal", description = "Inspect a relay node's journal.", mixinStandardHelpOptions = true,
    subcommands = {JournalCommand.Stats.class, JournalCommand.Trace.class, JournalDumpCommand.class,
        JournalReplayCommand.class})
public final class JournalCommand
{
    static final int EXIT_OK = 0;
    static final int EXIT_NOT_FOUND = 1;
    static final int EXIT_USAGE = 2;

    private JournalCommand()
    {
    }

    static Path journalDirectory(final Path data)
    {
        return data.resolve("journal");
    }

    static Journal openReadOnly(final Path data)
    {
        return Journal.open(JournalConfig.builder().directory(journalDirectory(data)).readOnly(true).build());
    }

    /** Entries per type, index range, cycle files and size. */
    @Command(name = "stats", description = "Entries per type, index range, cycle files, bytes on disk.",
        mixinStandardHelpOptions = true)
    static final class Stats implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Node data directory (journal in DIR/journal).")
        Path data;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            if (!Files.isDirectory(journalDirectory(data)))
            {
                spec.commandLine().getErr().println("journal stats: no journal at " + journalDirectory(data));
                return EXIT_USAGE;
            }
            try (Journal journal = openReadOnly(data))
            {
                final JournalStats stats = journal.stats();
                out.println("journal     " + journalDirectory(data));
                for (final Map.Entry<JournalEventType, Long> entry : stats.countsByType().entrySet())
                {
                    out.printf("%-11s %d%n", entry.getKey(), entry.getValue());
                }
                out.printf("%-11s %d%n", "UNKNOWN", stats.unknownEntries());
                out.printf("%-11s %d%n", "total", stats.totalEntries());
                out.println("firstIndex  " + stats.firstIndex());
                out.println("lastIndex   " + stats.lastIndex());
                out.println("cycleFiles  " + stats.cycleFiles());
                out.println("bytesOnDisk " + stats.bytesOnDisk());
                out.println("entryBytes " + stats.entryBytes());
            }
            return EXIT_OK;
        }
    }

    /** One line per entry of a request, oldest first. */
    @Command(name = "trace", description = "Every journal entry of one request, one line each, oldest first.",
        mixinStandardHelpOptions = true)
    static final class Trace implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Node data directory (journal in DIR/journal).")
        Path data;

        @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "Request id, e.g. 0000017f-0000-0000-0000-000000000001.")
        String requestId;

        @Override
        public Integer call()
        {
            final UUID id;
            try
            {
                id = UUID.fromString(requestId);
            }
            catch (final IllegalArgumentException ex)
            {
                spec.commandLine().getErr().println("journal trace: REQUEST_ID " + requestId + " (expected: a UUID such as " +
                    "0000017f-0000-0000-0000-000000000001)");
                return EXIT_USAGE;
            }
            if (!Files.isDirectory(journalDirectory(data)))
            {
                spec.commandLine().getErr().println("journal trace: no journal at " + journalDirectory(data));
                return EXIT_USAGE;
            }
            try (Journal journal = openReadOnly(data))
            {
                final List<JournalEvent> events = journal.trace(id.getMostSignificantBits(), id.getLeastSignificantBits());
                for (final JournalEvent event : events)
                {
                    spec.commandLine().getOut().println(event.toLine());
                }
                if (events.isEmpty())
                {
                    spec.commandLine().getErr().println("journal trace: no entries for " + id);
                    return EXIT_NOT_FOUND;
                }
            }
            return EXIT_OK;
        }
    }
}
