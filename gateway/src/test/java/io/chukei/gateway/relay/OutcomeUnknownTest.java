package io.chukei.gateway.relay;

import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.relay.SessionHarness.Reply;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.StatusReplyDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deadline that passes after a forward left: the connector is told the outcome is unknown (not that the request
 * failed), the request stays open, and card management's later verdict is journaled and answers from then on.
 */
class OutcomeUnknownTest
{
    private static final byte[] PAYLOAD = "ISSUED".getBytes(StandardCharsets.US_ASCII);
    private static final Duration DEADLINE = Duration.ofMillis(50);
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(5);

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
    void aDeadlineAfterAForwardIsAnsweredOutcomeUnknownAndTheRequestStaysOpen()
    {
        final InFlightRequest request = forwardedThenPastItsDeadline(2);

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(rejected.field()).isEqualTo(FieldId.DEADLINE);
        assertThat(rejected.detail()).contains("1 forward attempt(s)").contains("never a new requestId");
        assertThat(session.core().inFlightCount()).isEqualTo(1);
        assertThat(request.isOutcomeUnknown()).isTrue();
        assertThat(session.journaled(1)).containsExactly(JournalEventType.ACCEPTED, JournalEventType.OUTCOME_UNKNOWN);
    }

    @Test
    void theLaterOutcomeIsJournaledCompletedAndPushedAsTheResult()
    {
        final InFlightRequest request = forwardedThenPastItsDeadline(2);
        rejected(session.nextReply());

        session.answer(request, OutcomeStatus.OK, "issued", PAYLOAD);

        final ResultDecoder result = result(session.nextReply());
        assertThat(result.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(session.core().inFlightCount()).isZero();
        assertThat(session.journaled(1)).containsExactly(
            JournalEventType.ACCEPTED, JournalEventType.OUTCOME_UNKNOWN, JournalEventType.COMPLETED);
    }

    @Test
    void statusQueryWhileUnknownSaysOutcomeUnknownAndAfterTheOutcomeGivesTheResult()
    {
        final InFlightRequest request = forwardedThenPastItsDeadline(2);
        rejected(session.nextReply());

        session.send(session.statusQuery(1));
        final StatusReplyDecoder reply = statusReply(session.nextReply());
        assertThat(reply.state()).isEqualTo(RequestState.OUTCOME_UNKNOWN);

        session.answer(request, OutcomeStatus.OK, "issued", PAYLOAD);
        result(session.nextReply());
        session.send(session.statusQuery(1));
        assertThat(result(session.nextReply()).status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void aResendWithTheSameIdGetsTheRealResultNotADeadline()
    {
        final InFlightRequest request = forwardedThenPastItsDeadline(2);
        rejected(session.nextReply());
        session.answer(request, OutcomeStatus.OK, "issued", PAYLOAD);
        result(session.nextReply());

        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(30), true));

        assertThat(result(session.nextReply()).status()).isEqualTo(OutcomeStatus.OK);
        assertThat(session.forwarded()).as("never forwarded again by this node").hasSize(1);
    }

    @Test
    void aResendWhileUnknownWaitsForTheVerdictOnItsOwnConnection()
    {
        final InFlightRequest request = forwardedThenPastItsDeadline(2);
        rejected(session.nextReply());

        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(30), true));
        final AcceptedDecoder accepted = accepted(session.nextReply());
        assertThat(accepted.alreadyKnown()).isEqualTo(BooleanType.TRUE);

        session.answer(request, OutcomeStatus.OK, "issued", PAYLOAD);
        assertThat(result(session.nextReply()).status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void anOlderConnectorIsToldDeadlineExceededButStillGetsTheRealOutcomeLater()
    {
        final InFlightRequest request = forwardedThenPastItsDeadline(1);

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).as("a version-1 decoder has no OUTCOME_UNKNOWN").isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(rejected.detail()).contains("outcome is unknown");
        session.send(session.statusQuery(1));
        assertThat(statusReply(session.nextReply()).state()).isEqualTo(RequestState.FORWARDED);

        session.answer(request, OutcomeStatus.OK, "issued", PAYLOAD);
        assertThat(result(session.nextReply()).status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void aDeadlineBeforeAnyForwardIsATrueDeadlineExceeded()
    {
        open(2);
        session.send(session.cardStatus(1, SessionHarness.CARD_ID, DEADLINE, false));
        accepted(session.nextReply());

        session.passTime(DEADLINE);

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(rejected.detail()).contains("0 forward attempts");
        assertThat(session.sendUpstream(session.forwarded().get(0))).as("a completed request is never sent").isZero();
        assertThat(session.journaled(1)).containsExactly(JournalEventType.ACCEPTED, JournalEventType.REJECTED);
    }

    @Test
    void forwardsAllAnsweredTransientFailureLeaveATrueDeadlineExceeded()
    {
        open(2);
        session.send(session.cardStatus(1, SessionHarness.CARD_ID, DEADLINE, false));
        accepted(session.nextReply());
        final InFlightRequest request = session.forwarded().get(0);
        session.sendUpstream(request);
        session.core().onAttemptNotApplied(request);

        session.passTime(DEADLINE);

        assertThat(rejected(session.nextReply()).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(session.core().inFlightCount()).isZero();
    }

    @Test
    void anUnknownOutcomeTurnsDeadlineExceededOnceEveryAttemptIsAnsweredNotApplied()
    {
        final InFlightRequest request = forwardedThenPastItsDeadline(2);
        assertThat(rejected(session.nextReply()).code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);

        session.core().onAttemptNotApplied(request);

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(rejected.detail()).contains("each answered TRANSIENT_FAILURE");
        assertThat(session.core().inFlightCount()).isZero();
        assertThat(session.journaled(1)).containsExactly(
            JournalEventType.ACCEPTED, JournalEventType.OUTCOME_UNKNOWN, JournalEventType.REJECTED);
    }

    @Test
    void afterTheOutcomeWaitTheRequestLeavesMemoryAndALateVerdictIsStillJournaled()
    {
        final InFlightRequest request = forwardedThenPastItsDeadline(2);
        rejected(session.nextReply());

        session.passTime(OUTCOME_WAIT);

        assertThat(session.core().inFlightCount()).isZero();
        assertThat(session.pendingReplies()).isZero();
        session.answer(request, OutcomeStatus.OK, "issued", PAYLOAD);
        assertThat(session.journaled(1)).containsExactly(
            JournalEventType.ACCEPTED, JournalEventType.OUTCOME_UNKNOWN, JournalEventType.COMPLETED);
    }

    @Test
    void aRecoveredRequestForwardedBeforeTheKillKeepsItsAttemptsAndTurnsOutcomeUnknownNotRejected()
    {
        open(2);
        final InFlightRequest recovered = recovered(7, 1, false);

        assertThat(adopt(recovered))
            .isEqualTo(RelayCore.Recovery.REFORWARDED_OUTCOME_UNKNOWN);
        session.passTime(Duration.ZERO);

        assertThat(session.forwarded()).containsExactly(recovered);
        assertThat(session.core().inFlightCount()).isEqualTo(1);
        assertThat(session.trace(7)).singleElement().satisfies(event ->
        {
            assertThat(event.type()).isEqualTo(JournalEventType.OUTCOME_UNKNOWN);
            assertThat(event.summary()).contains("forwardAttempts=1");
        });
        assertThat(session.sendUpstream(recovered)).as("attempts go on from the journal's").isEqualTo(2);
    }

    @Test
    void aRecoveredRequestNeverForwardedWhoseDeadlinePassedIsRejectedAndNotSent()
    {
        open(2);
        final InFlightRequest recovered = recovered(8, 0, false);

        assertThat(adopt(recovered))
            .isEqualTo(RelayCore.Recovery.REJECTED_DEADLINE_EXCEEDED);
        session.passTime(Duration.ZERO);

        assertThat(session.forwarded()).isEmpty();
        assertThat(session.core().inFlightCount()).isZero();
        assertThat(session.trace(8)).singleElement().satisfies(event ->
            assertThat(event.summary()).contains("code=DEADLINE_EXCEEDED").contains("0 forward attempts"));
    }

    @Test
    void aRecoveredOutcomeUnknownRequestIsAskedForAgainNotRejected()
    {
        open(2);
        final InFlightRequest recovered = recovered(9, 2, true);

        assertThat(adopt(recovered))
            .isEqualTo(RelayCore.Recovery.REFORWARDED_OUTCOME_UNKNOWN);
        session.passTime(Duration.ofMillis(1));

        assertThat(session.forwarded()).containsExactly(recovered);
        assertThat(session.core().inFlightCount()).isEqualTo(1);
        session.answer(recovered, OutcomeStatus.OK, "issued", PAYLOAD);
        assertThat(session.trace(9)).singleElement().satisfies(event ->
            assertThat(event.type()).isEqualTo(JournalEventType.COMPLETED));
    }

    @Test
    void aRecoveredRequestRegisteredBeforeItsSubmitIsReadBackIsInFlightAndGoesOutOnceItArrives()
    {
        open(2);
        final InFlightRequest recovered = InFlightRequest.of(131016, SessionHarness.idHi(), 10,
            io.netty.buffer.Unpooled.EMPTY_BUFFER, 1L, SessionHarness.NOW.toEpochMilli() + 60_000, System.nanoTime(), null,
            true);

        assertThat(session.core().registerRecovered(recovered, 1, session.loop())).isEqualTo(RelayCore.Recovery.REFORWARDED);
        session.passTime(Duration.ZERO);
        assertThat(session.core().inFlightCount()).as("known before the listener opens").isEqualTo(1);
        assertThat(session.forwarded()).as("nothing to send before its Submit is read back").isEmpty();

        assertThat(session.core().forwardRecovered(recovered, io.netty.buffer.Unpooled.directBuffer(8).writeLong(42)))
            .isTrue();
        session.passTime(Duration.ZERO);
        assertThat(session.forwarded()).containsExactly(recovered);
        assertThat(recovered.submit().getLong(0)).isEqualTo(42);
    }

    @Test
    void aResendBeforeTheRecoveredSubmitIsReadBackIsAnsweredAlreadyKnownAndNotAcceptedAgain()
    {
        open(2);
        final io.netty.buffer.ByteBuf resend = session.cardStatus(12, SessionHarness.CARD_ID, Duration.ofSeconds(60), true);
        // The fingerprint the journal kept for it: of the SBE bytes, resend fields (possibleDuplicate, deadline) aside.
        final int sbe = io.chukei.protocol.framing.SofhFrame.HEADER_LENGTH;
        final long fingerprint = SubmitFingerprint.of(new org.agrona.concurrent.UnsafeBuffer(
            resend.nioBuffer(resend.readerIndex() + sbe, resend.readableBytes() - sbe)), resend.readableBytes() - sbe);
        final InFlightRequest recovered = InFlightRequest.of(131016, SessionHarness.idHi(), 12,
            io.netty.buffer.Unpooled.EMPTY_BUFFER, fingerprint, SessionHarness.NOW.toEpochMilli() + 60_000,
            System.nanoTime(), null, true);
        assertThat(session.core().registerRecovered(recovered, 1, session.loop())).isEqualTo(RelayCore.Recovery.REFORWARDED);

        session.send(resend);

        assertThat(accepted(session.nextReply()).alreadyKnown()).isEqualTo(io.chukei.protocol.sbe.BooleanType.TRUE);
        assertThat(session.trace(12)).as("not journaled a second time").isEmpty();
        assertThat(session.core().inFlightCount()).isEqualTo(1);
        assertThat(session.forwarded()).as("nothing to send before its Submit is read back").isEmpty();
        assertThat(session.core().forwardRecovered(recovered, io.netty.buffer.Unpooled.directBuffer(8).writeLong(42)))
            .isTrue();
        session.passTime(Duration.ZERO);
        assertThat(session.forwarded()).containsExactly(recovered);
    }

    @Test
    void aRecoveredRequestFinishedBeforeItsSubmitIsReadBackIsNotSentAndTheBytesAreReleased()
    {
        open(2);
        final InFlightRequest recovered = InFlightRequest.of(131016, SessionHarness.idHi(), 11,
            io.netty.buffer.Unpooled.EMPTY_BUFFER, 1L, SessionHarness.NOW.toEpochMilli() + 1_000, System.nanoTime(), null,
            true);
        session.core().registerRecovered(recovered, 1, session.loop());
        session.passTime(Duration.ofSeconds(2));
        assertThat(session.trace(11)).singleElement().satisfies(event ->
            assertThat(event.summary()).contains("code=DEADLINE_EXCEEDED"));

        final io.netty.buffer.ByteBuf late = io.netty.buffer.Unpooled.directBuffer(8).writeLong(42);
        assertThat(session.core().forwardRecovered(recovered, late)).isFalse();

        session.passTime(Duration.ZERO);
        assertThat(session.forwarded()).isEmpty();
        assertThat(late.refCnt()).isZero();
        assertThat(session.core().inFlightCount()).isZero();
    }

    /** As a restarted node takes a pending request over: registered, then (when it goes out again) its Submit supplied. */
    private RelayCore.Recovery adopt(final InFlightRequest recovered)
    {
        final RelayCore.Recovery recovery = session.core().registerRecovered(recovered, 1, session.loop());
        if (recovery.forwards())
        {
            assertThat(session.core().forwardRecovered(recovered, io.netty.buffer.Unpooled.buffer(0))).isTrue();
        }
        return recovery;
    }

    /** A request rebuilt from the journal after a restart, its deadline a second past, as RelayNode builds it. */
    private static InFlightRequest recovered(final long idLo, final int journaledAttempts, final boolean outcomeUnknown)
    {
        final InFlightRequest request = InFlightRequest.of(131016, SessionHarness.idHi(), idLo,
            io.netty.buffer.Unpooled.buffer(0), 1L, SessionHarness.NOW.toEpochMilli() - 1000, System.nanoTime(), null, true);
        request.recoveredState(journaledAttempts, outcomeUnknown);
        return request;
    }

    /** A request accepted on a session of schema {@code version}, forwarded once, its deadline then passed. */
    private InFlightRequest forwardedThenPastItsDeadline(final int version)
    {
        open(version);
        session.send(session.cardStatus(1, SessionHarness.CARD_ID, DEADLINE, false));
        accepted(session.nextReply());
        final InFlightRequest request = session.forwarded().get(0);
        assertThat(session.sendUpstream(request)).isEqualTo(1);
        session.passTime(DEADLINE);
        return request;
    }

    private void open(final int version)
    {
        session = new SessionHarness(journalDirectory, 16);
        session.core().outcomeWaitMs(OUTCOME_WAIT.toMillis());
        assertThat(session.open(version).templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
    }

    private static AcceptedDecoder accepted(final Reply reply)
    {
        assertThat(reply.templateId()).as("template of the reply (Accepted expected)").isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        return reply.accepted();
    }

    private static ResultDecoder result(final Reply reply)
    {
        assertThat(reply.templateId()).as("template of the reply (Result expected)").isEqualTo(ResultDecoder.TEMPLATE_ID);
        return reply.result();
    }

    private static RejectedDecoder rejected(final Reply reply)
    {
        assertThat(reply.templateId()).as("template of the reply (Rejected expected)").isEqualTo(RejectedDecoder.TEMPLATE_ID);
        return reply.rejected();
    }

    private static StatusReplyDecoder statusReply(final Reply reply)
    {
        assertThat(reply.templateId()).as("template of the reply (StatusReply expected)")
            .isEqualTo(StatusReplyDecoder.TEMPLATE_ID);
        return reply.statusReply();
    }
}
