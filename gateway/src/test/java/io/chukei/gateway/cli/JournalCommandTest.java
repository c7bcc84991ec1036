package io.chukei.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.SubmitEncoder;
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

    @Test
    void aClusterTraceSaysPerNodeTheBatchTheAttemptsAndWhatItAnswered()
    {
        final Path node1 = data.resolve("n1");
        final Path node2 = data.resolve("n2");
        try (Journal journal = Journal.open(JournalConfig.builder().directory(node2.resolve("journal")).build()))
        {
            accepted(journal, 2);
            journal.appendForwarded(SCOPE, ID.getMostSignificantBits(), ID.getLeastSignificantBits(), 1, 1, false);
            journal.appendOutcomeUnknown(SCOPE, ID.getMostSignificantBits(), ID.getLeastSignificantBits(), 1, 0L);
            completed(journal);
        }
        try (Journal journal = Journal.open(JournalConfig.builder().directory(node1.resolve("journal")).build()))
        {
            accepted(journal, 1);
            journal.appendForwarded(SCOPE, ID.getMostSignificantBits(), ID.getLeastSignificantBits(), 1, 2, true);
            completed(journal);
        }

        final int exit = run("trace", "--data", node1.toString(), "--data", node2.toString(), ID.toString());

        assertThat(exit).isZero();
        final List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("node 1 (").contains("answered RESULT OK; 1 forward(s) journaled, highest attempt 2")
            .contains("batch 77 sequence 12/5000");
        assertThat(lines.get(1)).startsWith("node 2 (").contains("answered RESULT OK (card management's verdict learned " +
            "after the deadline").contains("highest attempt 1");
        assertThat(lines.subList(2, lines.size())).hasSize(7).allSatisfy(line -> assertThat(line).matches("\\[node [12]\\] .*"));
    }

    /** An ACCEPTED entry of node {@code nodeId} whose Submit is member 12 of 5,000 of batch 77. */
    private static void accepted(final Journal journal, final int nodeId)
    {
        final UnsafeBuffer submit = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + SubmitEncoder.BLOCK_LENGTH + 64]);
        final SubmitEncoder encoder = new SubmitEncoder().wrapAndApplyHeader(submit, 0, new MessageHeaderEncoder());
        encoder.requestId().hi(ID.getMostSignificantBits()).lo(ID.getLeastSignificantBits());
        encoder.municipalityCode("131016").batchId(77).batchSequence(12).batchSize(5000);
        journal.appendAccepted(ID.getMostSignificantBits(), ID.getLeastSignificantBits(), nodeId, 1L,
            new UnsafeBuffer("131016".getBytes(StandardCharsets.US_ASCII)), 0, (byte)1, 0L, 0L, submit, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static void completed(final Journal journal)
    {
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        journal.appendCompleted(SCOPE, ID.getMostSignificantBits(), ID.getLeastSignificantBits(),
            (byte)OutcomeStatus.OK.value(), 200, false, empty, 0, 0, empty, 0, 0);
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
