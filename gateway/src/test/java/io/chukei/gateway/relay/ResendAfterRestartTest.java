package io.chukei.gateway.relay;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.PendingRequest;
import io.chukei.gateway.relay.SessionHarness.Reply;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resend of a request finished before the node restarted is answered from the journal's verdict; when that verdict
 * cannot be read (its cycle deleted by retention, a damaged entry) the request goes upstream again, whose
 * deduplication answers with the stored outcome. Before, it was answered DEADLINE_EXCEEDED ("not applied") although
 * card management had applied it.
 */
class ResendAfterRestartTest
{
    private static final byte[] PAYLOAD = "ISSUED".getBytes(StandardCharsets.US_ASCII);
    // Unique in the journal's bytes: the damage is aimed at the COMPLETED entry that holds it.
    private static final String VERDICT = "verdict-k7Qz3";

    @TempDir
    Path journalDirectory;

    private SessionHarness session;

    @AfterEach
    void close()
    {
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
    }

    @Test
    void aResendOfARequestCompletedBeforeTheRestartGetsItsJournaledResult()
    {
        completeOneAndStop();

        restart();
        session.send(session.cardStatus(1));

        final Reply reply = session.nextReply();
        assertThat(reply.templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
        assertThat(reply.result().status()).isEqualTo(OutcomeStatus.OK);
        assertThat(reply.result().detail()).isEqualTo(VERDICT);
        assertThat(session.forwarded()).as("not forwarded again").isEmpty();
    }

    @Test
    void aResendWhoseJournaledVerdictCannotBeReadGoesUpstreamAgainNotDeadlineExceeded() throws IOException
    {
        completeOneAndStop();
        changeAByteOf(VERDICT);

        restartAndResendTakenAsNew();
        // Card management's deduplication answers with the outcome it stored.
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "stored " + VERDICT, PAYLOAD);
        final Reply result = session.nextReply();
        assertThat(result.templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
        assertThat(result.result().status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void aResendTakenAsNewIsPendingAtTheNextStartUntilItsNewVerdict() throws IOException
    {
        completeOneAndStop();
        changeAByteOf(VERDICT);
        restartAndResendTakenAsNew();

        // Stopped before card management answered the second forward: the next start must forward it again. Before,
        // the request table kept the old (unreadable) verdict and ignored the new acceptance, so the request was not
        // among the pending ones; past its deadline a resend would have been answered "not applied".
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
        try (Journal journal = Journal.open(JournalConfig.builder().directory(journalDirectory)
            .nodeId(SessionHarness.NODE_ID).build()))
        {
            assertThat(journal.recover().pending()).singleElement()
                .satisfies(pending -> assertThat(pending.idLo()).isEqualTo(1));
        }
        restart(); // a session for close()
    }

    @Test
    void aResendWhoseJournaledStatusThisVersionDoesNotDefineGoesUpstreamAgain()
    {
        restart();
        session.send(session.cardStatus(1));
        assertThat(session.nextReply().templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
        // A verdict journaled by a newer version (before a roll-back) with a status this one does not know.
        try (Journal journal = Journal.open(JournalConfig.builder().directory(journalDirectory)
            .nodeId(SessionHarness.NODE_ID).build()))
        {
            final PendingRequest accepted = journal.recover().pending().get(0);
            final UnsafeBuffer none = new UnsafeBuffer(new byte[0]);
            assertThat(journal.appendCompleted(accepted.scope(), accepted.idHi(), accepted.idLo(), (byte)99, 0, false,
                none, 0, 0, none, 0, 0)).isNotNegative();
            // journal trace (and dump) name it instead of failing on it.
            assertThat(journal.trace(accepted.idHi(), accepted.idLo()))
                .anySatisfy(event -> assertThat(event.summary()).contains("status=undefined(99)"));
        }

        restartAndResendTakenAsNew();
    }

    /** After a restart, the resend of request 1 is accepted as new and forwarded, its verdict counted unreadable. */
    private void restartAndResendTakenAsNew()
    {
        restart();
        session.send(session.cardStatus(1));

        assertThat(session.nextReply().templateId()).as("the resend accepted, not rejected or failed")
            .isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        assertThat(session.forwarded()).singleElement().satisfies(request -> assertThat(request.idLo()).isEqualTo(1));
        assertThat(session.metrics().registry().get("chukei.requests.resend.verdict_unreadable").counter().count())
            .isEqualTo(1.0);
    }

    private void completeOneAndStop()
    {
        restart();
        session.send(session.cardStatus(1));
        assertThat(session.nextReply().templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, VERDICT, PAYLOAD);
        assertThat(session.nextReply().templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
        // Closing the journal writes the checkpoint: the next start takes the request as finished from it.
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
    }

    private void restart()
    {
        session = new SessionHarness(journalDirectory, 16);
        assertThat(session.open().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
    }

    /** One changed bit inside {@code text} where it lies in a journal cycle file: that entry fails its checksum. */
    private void changeAByteOf(final String text) throws IOException
    {
        final byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        final List<Path> cycles;
        try (Stream<Path> files = Files.list(journalDirectory))
        {
            cycles = files.filter(file -> file.getFileName().toString().endsWith(".cq4")).toList();
        }
        int changed = 0;
        for (final Path cycle : cycles)
        {
            try (RandomAccessFile file = new RandomAccessFile(cycle.toFile(), "rw"))
            {
                // In windows of 1 MiB that overlap by one byte less than the text (a cycle file is 80 MiB, mostly a hole).
                final byte[] window = new byte[1 << 20];
                for (long start = 0; start < file.length(); start += window.length - (needle.length - 1))
                {
                    file.seek(start);
                    final int read = file.read(window);
                    for (int at = 0; at <= read - needle.length; at++)
                    {
                        if (Arrays.equals(window, at, at + needle.length, needle, 0, needle.length))
                        {
                            final long position = start + at + needle.length - 1;
                            file.seek(position);
                            file.write(window[at + needle.length - 1] ^ 0x01);
                            changed++;
                        }
                    }
                }
            }
        }
        assertThat(changed).as("places holding %s", text).isEqualTo(1);
    }
}
