package io.chukei.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SendCommandTest
{
    @TempDir
    Path data;

    @Test
    void withoutADevPkiItStopsAndNamesTheDirectoryInsteadOfCreatingACa()
    {
        final StringWriter err = new StringWriter();

        final int exitCode = new CommandLine(new SendCommand()).setErr(new PrintWriter(err))
            .execute("--data", data.toString(), "--node", "127.0.0.1:1", "--municipality", "131016",
                "--operation", "CARD_STATUS", "--card-id", "123456789012");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("no dev PKI in " + data.resolve("pki").toAbsolutePath(),
            "expected: ca.crt and ca.key");
        assertThat(data.resolve("pki")).doesNotExist();
    }
}
