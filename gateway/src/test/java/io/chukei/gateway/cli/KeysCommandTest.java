package io.chukei.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest
{
    @TempDir
    Path dir;

    /** A mistyped --data made a key ring of its own there and exited 0, leaving the node's as it was. */
    @Test
    void rotatingInADataDirectoryThatDoesNotExistIsRefusedAndCreatesNothing()
    {
        final Path typo = dir.resolve("nodee-1");
        final StringWriter err = new StringWriter();

        final int exit = ChukeiCommand.commandLine().setOut(new PrintWriter(new StringWriter()))
            .setErr(new PrintWriter(err, true)).execute("keys", "rotate", "--data", typo.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("chukei keys rotate: no node data directory at " + typo);
        assertThat(Files.exists(typo)).isFalse();
    }

    @Test
    void rotatingInANodesDataDirectoryAddsAKey()
    {
        final StringWriter out = new StringWriter();

        assertThat(ChukeiCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(new StringWriter()))
            .execute("keys", "rotate", "--data", dir.toString())).isZero();
        assertThat(out.toString()).contains("added key 1 to " + dir.resolve("keys").resolve("journal.keys"));
    }
}
