package io.chukei.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JournalCommandTest
{
    private static final int SCOPE = 131016;

    private static final UUID ID = UUID.fromString("0000017f-0000-0000-0000-000000000001");

    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void traceShowsOneLinePerEntryWithSizesNotContents()
    {
        journalOneRequest();

        final int exit = run("trace", "--data", data.toString(), ID.toString());

        assertThat(exit).isZero();
        assertThat(out.toString().lines()).hasSize(2);
        assertThat(out.toString()).contains("ACCEPTED " + ID).contains("submitBytes=24").contains("FORWARDED")
            .doesNotContain("123456789018");
    }

    @Test
    void statsCountEntriesPerType()
    {
        journalOneRequest();

        final int exit = run("stats", "--data", data.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).containsPattern("ACCEPTED +1").containsPattern("FORWARDED +1").containsPattern("total +2");
    }

    @Test
    void aMalformedRequestIdIsAUsageError()
    {
        journalOneRequest();

        final int exit = run("trace", "--data", data.toString(), "not-a-uuid");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("REQUEST_ID not-a-uuid (expected: a UUID");
    }

    private void journalOneRequest()
    {
        try (Journal journal = Journal.open(JournalConfig.builder().directory(data.resolve("journal")).build()))
        {
            final UnsafeBuffer submit = new UnsafeBuffer("PN=123456789018 and more".getBytes(StandardCharsets.US_ASCII));
            journal.appendAccepted(ID.getMostSignificantBits(), ID.getLeastSignificantBits(), 1, 1L,
                new UnsafeBuffer("131016".getBytes(StandardCharsets.US_ASCII)), 0, (byte)1, 0L, 0L, submit, 0,
                submit.capacity());
            journal.appendForwarded(SCOPE, ID.getMostSignificantBits(), ID.getLeastSignificantBits(), 1, 1, false);
        }
    }

    private int run(final String... args)
    {
        final CommandLine commandLine = new CommandLine(JournalCommand.class);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
