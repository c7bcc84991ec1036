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

    @Test
    void anUnknownOperationIsNamedWithTheChoicesWithoutTheWiresNullValue()
    {
        final StringWriter err = new StringWriter();

        final int exitCode = new CommandLine(new SendCommand()).setErr(new PrintWriter(err))
            .execute("--data", data.toString(), "--municipality", "131016", "--operation", "FOO");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("--operation: 'FOO' (expected: one of PREISSUE_SETUP, CARD_ISSUE, " +
            "CERT_CHANGE, CARD_SUSPEND, CARD_STATUS)").doesNotContain("NULL_VAL");
        final StringWriter nullValue = new StringWriter();
        assertThat(new CommandLine(new SendCommand()).setErr(new PrintWriter(nullValue)).execute("--data",
            data.toString(), "--municipality", "131016", "--operation", "card_status", "--priority", "null_val"))
            .isEqualTo(2);
        assertThat(nullValue.toString()).contains("--priority: 'null_val' (expected: one of INTERACTIVE, BATCH)");
    }
}
