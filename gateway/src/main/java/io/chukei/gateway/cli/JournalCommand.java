package io.chukei.gateway.cli;

import java.io.IOException;
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
import io.chukei.gateway.journal.JournalKeys;
import io.chukei.gateway.journal.JournalStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chukei journal stats|trace}: read a node's journal (DIR/journal) without changing it. */
@Command(name = "journal", description = "Inspect a relay node's journal.", mixinStandardHelpOptions = true,
    subcommands = {JournalCommand.Stats.class, JournalCommand.Trace.class, JournalDumpCommand.class, JournalFindCommand.class,
        JournalReplayCommand.class, JournalVerifyCommand.class})
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

    /**
     * Opened for reading, with the key ring from {@code keyFile} or, when null, from the node's default place
     * (DATA/keys/journal.keys) if it is there; without keys, sealed entries show as unreadable.
     */
    static Journal openReadOnly(final Path data, final Path keyFile) throws IOException
    {
        final Path keys = keyFile != null ? keyFile : KeysCommand.defaultFile(data);
        return Journal.open(JournalConfig.builder().directory(journalDirectory(data)).readOnly(true)
            .keys(keyFile != null || Files.exists(keys) ? JournalKeys.load(keys) : null).build());
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
        public Integer call() throws IOException
        {
            final PrintWriter out = spec.commandLine().getOut();
            if (!Files.isDirectory(journalDirectory(data)))
            {
                spec.commandLine().getErr().println("journal stats: no journal at " + journalDirectory(data));
                return EXIT_USAGE;
            }
            try (Journal journal = openReadOnly(data, null))
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

    /**
     * One line per entry of a request, oldest first; over several nodes' journals (a cluster), first what each node
     * did (batch, attempts, what it answered), then every entry of every journal in time order.
     */
    @Command(name = "trace", description = "Every journal entry of one request, one line each, oldest first; " +
        "with several --data (every node of a cluster) or --summary, what each node did first.",
        mixinStandardHelpOptions = true)
    static final class Trace implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Node data directory (journal in " +
            "DIR/journal); repeat it for every node of a cluster.")
        List<Path> data;

        @Option(names = "--summary", description = "Per node: batch, forward attempts, what it answered (always " +
            "shown with several --data).")
        boolean summary;

        @Option(names = "--key-file", paramLabel = "FILE", description = "The journal's key file (journal.keyFile); " +
            "default DIR/keys/journal.keys. Sealed entries are opened with it and shown masked as always.")
        Path keyFile;

        @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "Request id, e.g. 0000017f-0000-0000-0000-000000000001.")
        String requestId;

        @Override
        public Integer call() throws IOException
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
            for (final Path dir : data)
            {
                if (!Files.isDirectory(journalDirectory(dir)))
                {
                    spec.commandLine().getErr().println("journal trace: no journal at " + journalDirectory(dir));
                    return EXIT_USAGE;
                }
            }
            if (data.size() > 1 || summary)
            {
                final RequestStory story = new RequestStory();
                for (final Path dir : data)
                {
                    try (Journal journal = openReadOnly(dir, keyFile))
                    {
                        story.read(dir, journal, id.getMostSignificantBits(), id.getLeastSignificantBits());
                    }
                }
                if (story.isEmpty())
                {
                    spec.commandLine().getErr().println("journal trace: no entries for " + id + " in any journal");
                    return EXIT_NOT_FOUND;
                }
                story.print(spec.commandLine().getOut());
                return EXIT_OK;
            }
            try (Journal journal = openReadOnly(data.get(0), keyFile))
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
