package io.chukei.gateway.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line {@code main} builds: only the subcommand named, or all of them when none is. */
class ChukeiCommandLineTest
{
    private static final String[] ALL = {"run", "send", "cardsim", "pki", "journal", "batch", "keys", "histo", "evidence",
        "admin", "conformance", "reconcile", "help"};

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt()
    {
        assertThat(ChukeiCommand.commandLineFor(new String[] {"run", "--data", "d"}).getSubcommands()).containsOnlyKeys("run");
        assertThat(ChukeiCommand.commandLineFor(new String[] {"journal", "verify"}).getSubcommands()).containsOnlyKeys("journal");
    }

    @Test
    void usageHelpAndUnknownCommandsGetEverySubcommand()
    {
        assertThat(ChukeiCommand.commandLineFor(new String[0]).getSubcommands()).containsOnlyKeys(ALL);
        assertThat(ChukeiCommand.commandLineFor(new String[] {"help", "run"}).getSubcommands()).containsOnlyKeys(ALL);
        assertThat(ChukeiCommand.commandLineFor(new String[] {"--help"}).getSubcommands()).containsOnlyKeys(ALL);
        assertThat(ChukeiCommand.commandLineFor(new String[] {"rnu"}).getSubcommands()).containsOnlyKeys(ALL);
    }

    @Test
    void aSubcommandBuiltAloneKeepsTheSettingsOfTheFullCommandLine()
    {
        final var alone = ChukeiCommand.commandLineFor(new String[] {"send"}).getSubcommands().get("send");
        final var full = ChukeiCommand.commandLine().getSubcommands().get("send");

        assertThat(alone.isCaseInsensitiveEnumValuesAllowed()).isTrue().isEqualTo(full.isCaseInsensitiveEnumValuesAllowed());
        assertThat(alone.getExecutionExceptionHandler()).isNotNull();
        assertThat(alone.getCommandSpec().name()).isEqualTo("send");
    }
}
