package io.chukei.gateway.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.chukei.gateway.journal.JournalKeys;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chukei keys rotate|list}: the journal's key ring. Rotating adds a key that seals new entries from the
 * node's next start on; every older key stays, to read what it sealed. Keys themselves are never printed.
 */
@Command(name = "keys", description = "Manage the journal's encryption keys.", mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.Rotate.class, KeysCommand.List.class})
public final class KeysCommand
{
    private KeysCommand()
    {
    }

    /** Where the key file is: {@code --key-file}, or the default in a node's data directory. */
    static final class KeyFileLocation
    {
        @Option(names = "--key-file", required = true, paramLabel = "FILE",
            description = "The key file (the node's journal.keyFile).")
        Path keyFile;

        @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Node data directory: the key file is DIR/keys/journal.keys " +
                "(where the node keeps it when journal.keyFile is not set).")
        Path data;

        Path file()
        {
            return keyFile != null ? keyFile : defaultFile(data);
        }
    }

    static Path defaultFile(final Path data)
    {
        return JournalKeys.defaultFile(data);
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Add a new key (creating the file with key 1 if absent); the node seals with it after its next start.")
    static final class Rotate implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        KeyFileLocation location;

        @Override
        public Integer call() throws Exception
        {
            if (location.data != null && !java.nio.file.Files.isDirectory(location.data))
            {
                // A mistyped --data would otherwise get a key ring of its own, and the node's would stay as it was.
                spec.commandLine().getErr().println("chukei keys rotate: no node data directory at " + location.data +
                    " (expected: the node's --data directory; a key file kept elsewhere: --key-file FILE)");
                return JournalCommand.EXIT_USAGE;
            }
            final Path file = location.file();
            final int id = JournalKeys.rotate(file);
            spec.commandLine().getOut().println("added key " + id + " to " + file +
                "; a running node seals with it after its next start; keep every older key while the journal holds entries it sealed");
            return JournalCommand.EXIT_OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Key ids and when each was added (never the keys).")
    static final class List implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        KeyFileLocation location;

        @Override
        public Integer call() throws Exception
        {
            final JournalKeys keys = JournalKeys.load(location.file());
            final PrintWriter out = spec.commandLine().getOut();
            out.println("file " + keys.file());
            for (final int id : keys.ids())
            {
                out.println(id + " " + keys.created(id) + (id == keys.newestId() ? " newest: seals new entries from each node's next start" : ""));
            }
            return JournalCommand.EXIT_OK;
        }
    }
}
