package io.chukei.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code chukei}: the relay node and its tools. */
@Command(
    name = "chukei",
    mixinStandardHelpOptions = true,
    version = "chukei 0.1.0",
    description = "Chukei (中継): relay gateway between municipal connectors and card management.")
public final class ChukeiCommand implements Runnable
{
    /**
     * Every subcommand by name, in the order the usage lists them. Registered in code rather than in the annotation,
     * so {@link #main} can build only the one a command line names: picocli reflects over every registered command as
     * it builds the command line, and its classes are not in the launcher's AOT cache (their class-file version is too
     * old for it), so building all twelve took 0.3 s of every node's start (bench/README.md, "Restart time").
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Only through {@link #commandLine()}: a bare {@code new CommandLine(new ChukeiCommand())} has no subcommands. */
    private ChukeiCommand()
    {
    }

    public static void main(final String[] args)
    {
        io.chukei.gateway.journal.NativeBinding.reflective();
        System.exit(commandLineFor(args).execute(args));
    }

    /** The command line with every subcommand, for usage and for tests. */
    public static CommandLine commandLine()
    {
        return configured(SUBCOMMANDS.keySet());
    }

    /**
     * The command line for {@code args}: with only the subcommand its first argument names, or with all of them when it
     * names none (usage, {@code help}, an unknown command, whose error then lists them all).
     */
    static CommandLine commandLineFor(final String[] args)
    {
        return args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !"help".equals(args[0]) ?
            configured(java.util.List.of(args[0])) : commandLine();
    }

    private static CommandLine configured(final Iterable<String> names)
    {
        final CommandLine commandLine = new CommandLine(new ChukeiCommand());
        for (final String name : names)
        {
            commandLine.addSubcommand(name, SUBCOMMANDS.get(name));
        }
        // picocli makes each from its class (some constructors are private). The settings below come after the
        // subcommands: picocli applies them to the subcommands registered when they are set.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Failures a user can act on are one line, not a stack trace.
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            // The whole command's name ("chukei journal dump"), not its last word.
            final String name = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println((name.startsWith("chukei") ? name : "chukei " + name) + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return commandLine;
    }

    private static Map<String, Class<?>> subcommands()
    {
        final Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("run", RunCommand.class);
        commands.put("send", SendCommand.class);
        commands.put("cardsim", CardsimCommand.class);
        commands.put("pki", PkiCommand.class);
        commands.put("journal", JournalCommand.class);
        commands.put("batch", BatchCommand.class);
        commands.put("keys", KeysCommand.class);
        commands.put("histo", HistoCommand.class);
        commands.put("evidence", EvidenceCommand.class);
        commands.put("admin", AdminCommand.class);
        commands.put("conformance", ConformanceCommand.class);
        commands.put("reconcile", ReconcileCommand.class);
        commands.put("help", CommandLine.HelpCommand.class);
        return commands;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
