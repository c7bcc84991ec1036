package io.chukei.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chukei}: the relay node and its tools. */
@Command(
    name = "chukei",
    mixinStandardHelpOptions = true,
    version = "chukei 0.1.0",
    description = "Chukei (中継): relay gateway between municipal connectors and card management.",
    subcommands = {
        RunCommand.class,
        SendCommand.class,
        CardsimCommand.class,
        PkiCommand.class,
        JournalCommand.class,
        BatchCommand.class,
        KeysCommand.class,
        HistoCommand.class,
        EvidenceCommand.class,
        AdminCommand.class,
        ConformanceCommand.class,
        ReconcileCommand.class,
        CommandLine.HelpCommand.class
    })
public final class ChukeiCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, for main and for tests. */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new ChukeiCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Failures a user can act on are one line, not a stack trace.
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println("chukei " + cmd.getCommandName() + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return commandLine;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
