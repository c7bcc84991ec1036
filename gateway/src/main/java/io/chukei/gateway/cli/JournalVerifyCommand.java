package io.chukei.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalIntegrity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chukei journal verify --data DIR}: looks for the damage a crash of the machine leaves (a cycle file cut
 * short, an entry that cannot be read or does not authenticate, reading that stops before the queue's last index)
 * without changing anything. Exit 0 intact, 1 damaged, 2 bad command line or no journal.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check a stopped node's journal for damage (cut cycle files, unreadable or altered entries); " +
        "exit 1 when damaged. Changes nothing (the node repairs cut files when it starts).")
final class JournalVerifyCommand implements Callable<Integer>
{
    static final int EXIT_DAMAGED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Node data directory (journal in DIR/journal).")
    Path data;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The journal's key file (journal.keyFile); default " +
        "DIR/keys/journal.keys when it exists. Without keys sealed parts are not checked.")
    Path keyFile;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Path journalDir = JournalCommand.journalDirectory(data);
        if (!Files.isDirectory(journalDir))
        {
            spec.commandLine().getErr().println("journal verify: no journal at " + journalDir);
            return JournalCommand.EXIT_USAGE;
        }
        final List<String> problems = new ArrayList<>();
        final List<Path> cut = JournalIntegrity.cutCycleFiles(journalDir);
        for (final Path file : cut)
        {
            problems.add(JournalIntegrity.inspectCut(file).toString());
        }
        long entries = -1;
        long unchecked = 0;
        if (cut.isEmpty())
        {
            final long[] counts = new long[2];
            try (Journal journal = JournalCommand.openReadOnly(data, keyFile))
            {
                problems.addAll(journal.verifyEntries(counts));
            }
            entries = counts[0];
            unchecked = counts[1];
        }
        out.println("journal " + journalDir + ": " + (entries < 0 ? "entries not scanned (a cut file first)" :
            entries + " entries read"));
        if (unchecked > 0)
        {
            // Their checksum was checked; their sealed part, which only the key authenticates, was not.
            out.println("NOT CHECKED " + unchecked + " sealed entries: no key ring (" + KeysCommand.defaultFile(data) +
                " absent and no --key-file), so a changed personal part would not be found");
        }
        for (final String problem : problems)
        {
            out.println("DAMAGED " + problem);
        }
        out.println(problems.isEmpty() ? "journal verify: intact" : "journal verify: " + problems.size() + " problem(s)");
        return problems.isEmpty() ? JournalCommand.EXIT_OK : EXIT_DAMAGED;
    }
}
