package io.chukei.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConformanceCommandTest
{
    @TempDir
    Path data;

    @Test
    void oneListenAddressIsABadCommandLine()
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = ChukeiCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        final int exit = commandLine.execute("conformance", "--listen", "127.0.0.1:7401", "--data", data.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--listen: 127.0.0.1:7401 (expected: two HOST:PORT, one per simulated node");
    }

    @Test
    void anAddressWithoutAPortIsABadCommandLine()
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = ChukeiCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        final int exit = commandLine.execute("conformance", "--listen", "127.0.0.1:7401,127.0.0.1", "--data", data.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--listen: '127.0.0.1' (expected: host:port)");
    }
}
