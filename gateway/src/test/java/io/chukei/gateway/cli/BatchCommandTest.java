package io.chukei.gateway.cli;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.SubmitEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chukei batch status} and {@code chukei journal find} over two nodes' journals: a batch of 4 whose members
 * were split by a failover (1-2 on node 1, 3-4 on node 2, sequence 3 rejected at its deadline on node 1 first).
 */
class BatchCommandTest
{
    private static final int SCOPE = 131016;
    private static final long HI = 0x0190c6a852e57000L;
    private static final long BATCH = 77;

    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aBatchSplitAcrossTwoNodesIsCompleteOnlyWhenBothJournalsAreRead()
    {
        journals(true);

        assertThat(batchStatus("--data", node(1).toString(), "77")).isEqualTo(BatchCommand.EXIT_INCOMPLETE);
        out.getBuffer().setLength(0);
        final int exit = batchStatus("--data", node(1).toString(), "--data", node(2).toString(), "77");

        assertThat(exit).as(out.toString()).isEqualTo(BatchCommand.EXIT_COMPLETE);
        assertThat(out.toString()).contains("batch 77  municipality 131016  size 4  COMPLETE  (2 nodes, manifest journaled)")
            .contains("completed OK 4").contains("rejected 0").contains("never seen 0");
    }

    @Test
    void aMissingMemberIsNamedByItsSequence()
    {
        journals(false);

        final int exit = batchStatus("--data", node(1).toString(), "--data", node(2).toString(), "--json", "77");

        assertThat(exit).isEqualTo(BatchCommand.EXIT_INCOMPLETE);
        assertThat(out.toString()).contains("\"complete\":false").contains("\"missing\":[4]").contains("\"NEVER_SEEN\":1");
    }

    @Test
    void anUnknownBatchIsNotFound()
    {
        journals(true);

        assertThat(batchStatus("--data", node(1).toString(), "78")).isEqualTo(BatchCommand.EXIT_NOT_FOUND);
    }

    @Test
    void findListsABatchsMembersRejectedOnOneNodeAndAnsweredOnAnotherAsAnswered()
    {
        journals(true);

        final int exit = journalFind("--data", node(1).toString(), "--data", node(2).toString(), "--batch", "77",
            "--state", "answered");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("4 request(s)").contains("seq=3/4").contains("nodes=" + node(1) + "," + node(2));
    }

    @Test
    void findByRejectionCodeSeesWhatOneNodeAloneSays()
    {
        journals(true);

        final int exit = journalFind("--data", node(1).toString(), "--state", "rejected:DEADLINE_EXCEEDED");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("1 request(s)").contains("rejected:DEADLINE_EXCEEDED batch=77 seq=3/4");
    }

    @Test
    void anUnknownStateIsAUsageError()
    {
        journals(true);

        assertThat(journalFind("--data", node(1).toString(), "--state", "rejected:NO_SUCH_CODE")).isEqualTo(2);
        assertThat(err.toString()).contains("--state rejected:NO_SUCH_CODE (expected:");
    }

    /** Node 1: manifest, members 1..3, 1-2 OK, 3 DEADLINE_EXCEEDED. Node 2: manifest, members 3 (and 4), OK. */
    private void journals(final boolean withFourth)
    {
        try (Journal journal = Journal.open(JournalConfig.builder().directory(node(1).resolve("journal")).build()))
        {
            journal.appendBatchDeclared(SCOPE, BATCH, 4, new byte[32]);
            for (int sequence = 1; sequence <= 3; sequence++)
            {
                accepted(journal, sequence);
            }
            completed(journal, 1);
            completed(journal, 2);
            final UnsafeBuffer detail = new UnsafeBuffer("deadline".getBytes(StandardCharsets.UTF_8));
            journal.appendRejected(SCOPE, HI, 3, ErrorCode.DEADLINE_EXCEEDED.value(), FieldId.DEADLINE.value(), -1, true,
                detail, 0, detail.capacity());
        }
        try (Journal journal = Journal.open(JournalConfig.builder().directory(node(2).resolve("journal")).build()))
        {
            journal.appendBatchDeclared(SCOPE, BATCH, 4, new byte[32]);
            accepted(journal, 3);
            completed(journal, 3);
            if (withFourth)
            {
                accepted(journal, 4);
                completed(journal, 4);
            }
        }
    }

    private Path node(final int id)
    {
        return data.resolve("n" + id);
    }

    /** Member {@code sequence} of 4 in batch 77, request id (HI, sequence). */
    private static void accepted(final Journal journal, final int sequence)
    {
        final UnsafeBuffer submit = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + SubmitEncoder.BLOCK_LENGTH + 64]);
        final SubmitEncoder encoder = new SubmitEncoder().wrapAndApplyHeader(submit, 0, new MessageHeaderEncoder());
        encoder.requestId().hi(HI).lo(sequence);
        encoder.municipalityCode("131016").batchId(BATCH).batchSequence(sequence).batchSize(4);
        journal.appendAccepted(HI, sequence, 1, 1L, new UnsafeBuffer("131016".getBytes(StandardCharsets.US_ASCII)), 0,
            (byte)2, 0L, 0L, submit, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static void completed(final Journal journal, final int sequence)
    {
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        journal.appendCompleted(SCOPE, HI, sequence, (byte)OutcomeStatus.OK.value(), 200, false, empty, 0, 0, empty, 0, 0);
    }

    private int batchStatus(final String... args)
    {
        final String[] all = new String[args.length + 1];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(new CommandLine(BatchCommand.class), all);
    }

    private int journalFind(final String... args)
    {
        final String[] all = new String[args.length + 1];
        all[0] = "find";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(new CommandLine(JournalCommand.class), all);
    }

    private int run(final CommandLine commandLine, final String... args)
    {
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
