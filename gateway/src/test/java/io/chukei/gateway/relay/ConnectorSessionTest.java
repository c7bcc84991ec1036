package io.chukei.gateway.relay;

import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.relay.SessionHarness.Reply;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request path through one connector session, without sockets: Hello, Submit, Accepted
 * after the journal, one forward, one final answer; resends, conflicts, deadlines, overload
 * and bad input. Every frame given to or written by the relay must end up released.
 */
class ConnectorSessionTest
{
    private static final int MAX_IN_FLIGHT = 16;
    private static final byte[] PAYLOAD = "ACTIVE".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path journalDirectory;

    private SessionHarness session;

    @AfterEach
    void everyFrameIsReleased()
    {
        session.close();
        assertThat(session.unreleasedFramesSent()).isEmpty();
    }

    @Test
    void helloIsAnsweredWithWelcomeStatingTheSessionsLimits()
    {
        session = new SessionHarness(journalDirectory, MAX_IN_FLIGHT);

        final Reply reply = session.open();

        assertThat(reply.templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        final WelcomeDecoder welcome = reply.welcome();
        assertThat(welcome.nodeId()).isEqualTo(SessionHarness.NODE_ID);
        assertThat(welcome.maxInFlight()).isEqualTo(MAX_IN_FLIGHT);
        assertThat(welcome.durability()).isEqualTo(Durability.PROCESS);
    }

    @Test
    void submitIsAcceptedWithinTheReadThatCarriedIt()
    {
        openSession();

        // PROCESS durability: the entry is durable once appended, so no task stands between the read and Accepted.
        session.receive(session.cardStatus(1));

        assertThat(session.journaled(1)).containsExactly(JournalEventType.ACCEPTED);
        final AcceptedDecoder accepted = accepted(session.nextReply());
        assertThat(accepted.requestId().lo()).isEqualTo(1);
        assertThat(accepted.alreadyKnown()).isEqualTo(BooleanType.FALSE);
        assertThat(accepted.durability()).isEqualTo(Durability.PROCESS);
        assertThat(accepted.journalPosition()).isPositive();
        assertThat(session.forwarded()).hasSize(1);
    }

    @Test
    void acceptedRequestIsForwardedOnceAndItsOutcomeAnsweredWithOneResult()
    {
        openSession();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());

        assertThat(session.forwarded()).hasSize(1);
        assertThat(session.possibleDuplicates()).containsExactly(false);
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied", PAYLOAD);

        final ResultDecoder result = result(session.nextReply());
        assertThat(result.requestId().lo()).isEqualTo(1);
        assertThat(result.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(result.completedEpochMs()).isEqualTo(SessionHarness.NOW.toEpochMilli());
        assertThat(result.detail()).isEqualTo("applied");
        assertThat(payloadOf(result)).isEqualTo(PAYLOAD);
        assertThat(session.pendingReplies()).isZero();
        assertThat(session.core().inFlightCount()).isZero();
        assertThat(session.journaled(1)).containsExactly(JournalEventType.ACCEPTED, JournalEventType.COMPLETED);
    }

    @Test
    void theSubmitFrameIsReleasedOnceTheRequestIsAnswered()
    {
        openSession();
        final ByteBuf submit = session.cardStatus(1);
        session.send(submit);
        accepted(session.nextReply());

        assertThat(submit.refCnt()).as("held while in flight").isPositive();
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied", PAYLOAD);
        result(session.nextReply());

        assertThat(submit.refCnt()).isZero();
    }

    @Test
    void resendOfAPendingIdIsAcceptedAsAlreadyKnownAndNotForwardedAgain()
    {
        openSession();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());

        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(30), true));

        final AcceptedDecoder again = accepted(session.nextReply());
        assertThat(again.alreadyKnown()).isEqualTo(BooleanType.TRUE);
        assertThat(session.forwarded()).hasSize(1);
        assertThat(session.journaled(1)).containsExactly(JournalEventType.ACCEPTED);
    }

    @Test
    void resendInTheSameReadAsItsSubmitIsAcceptedAsAlreadyKnownAfterIt()
    {
        openSession();
        session.receive(session.cardStatus(1));
        session.receive(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(30), true));
        session.send(session.cardStatus(2));

        // The Submit's own Accepted first (it promises the journal's durability level), then the resend's.
        final AcceptedDecoder first = accepted(session.nextReply());
        assertThat(first.requestId().lo()).isEqualTo(1);
        assertThat(first.alreadyKnown()).isEqualTo(BooleanType.FALSE);
        final AcceptedDecoder again = accepted(session.nextReply());
        assertThat(again.requestId().lo()).isEqualTo(1);
        assertThat(again.alreadyKnown()).isEqualTo(BooleanType.TRUE);
        assertThat(accepted(session.nextReply()).requestId().lo()).isEqualTo(2);
        assertThat(session.pendingReplies()).isZero();
        assertThat(session.forwarded()).hasSize(2);
        assertThat(session.journaled(1)).containsExactly(JournalEventType.ACCEPTED);
    }

    @Test
    void resendOfAFinishedIdGetsTheStoredResultAndIsNotForwarded()
    {
        openSession();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied", PAYLOAD);
        final ResultDecoder first = result(session.nextReply());
        final long firstCompletedMs = first.completedEpochMs();

        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofSeconds(30), true));

        final ResultDecoder replayed = result(session.nextReply());
        assertThat(replayed.completedEpochMs()).isEqualTo(firstCompletedMs);
        assertThat(replayed.detail()).isEqualTo("applied");
        assertThat(session.forwarded()).hasSize(1);
        assertThat(session.pendingReplies()).isZero();
    }

    @Test
    void sameIdWithDifferentContentWhilePendingIsRejectedAsRequestIdConflict()
    {
        openSession();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());

        session.send(session.cardStatus(1, "999999999999", Duration.ofSeconds(30), true));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isEqualTo(ErrorCode.REQUEST_ID_CONFLICT);
        assertThat(rejected.field()).isEqualTo(FieldId.REQUEST_ID);
        assertThat(session.forwarded()).hasSize(1);
    }

    @Test
    void sameIdWithDifferentContentAfterItsResultIsRejectedAsRequestIdConflict()
    {
        openSession();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied", PAYLOAD);
        result(session.nextReply());

        session.send(session.cardStatus(1, "999999999999", Duration.ofSeconds(30), true));

        assertThat(rejected(session.nextReply()).code()).isEqualTo(ErrorCode.REQUEST_ID_CONFLICT);
        assertThat(session.forwarded()).hasSize(1);
    }

    @Test
    void deadlinePassingBeforeTheOutcomeIsAnsweredRejectedDeadlineExceeded()
    {
        openSession();
        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofMillis(50), false));
        accepted(session.nextReply());

        session.passTime(Duration.ofMillis(49));
        assertThat(session.pendingReplies()).isZero();
        session.passTime(Duration.ofMillis(1));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.requestId().lo()).isEqualTo(1);
        assertThat(rejected.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(rejected.field()).isEqualTo(FieldId.DEADLINE);
        assertThat(session.core().inFlightCount()).isZero();
        assertThat(session.journaled(1)).containsExactly(JournalEventType.ACCEPTED, JournalEventType.REJECTED);
    }

    @Test
    void outcomeArrivingAfterTheDeadlineIsJournaledButNotAnsweredAgain()
    {
        openSession();
        session.send(session.cardStatus(1, SessionHarness.CARD_ID, Duration.ofMillis(50), false));
        accepted(session.nextReply());
        session.passTime(Duration.ofMillis(50));
        rejected(session.nextReply());

        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied late", PAYLOAD);

        assertThat(session.pendingReplies()).isZero();
        assertThat(session.journaled(1))
            .containsExactly(JournalEventType.ACCEPTED, JournalEventType.REJECTED, JournalEventType.COMPLETED);
    }

    @Test
    void submitsBeyondMaxInFlightAreRejectedOverloadedWithARetryAfter()
    {
        session = new SessionHarness(journalDirectory, 2);
        session.open();
        session.send(session.cardStatus(1));
        session.send(session.cardStatus(2));
        accepted(session.nextReply());
        accepted(session.nextReply());

        session.send(session.cardStatus(3));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.requestId().lo()).isEqualTo(3);
        assertThat(rejected.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(rejected.retryAfterMs()).isPositive();
        assertThat(session.forwarded()).hasSize(2);
    }

    @Test
    void aFinishedRequestFreesItsPlaceInTheInFlightAllowance()
    {
        session = new SessionHarness(journalDirectory, 1);
        session.open();
        session.send(session.cardStatus(1));
        accepted(session.nextReply());
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "applied", PAYLOAD);
        result(session.nextReply());

        session.send(session.cardStatus(2));

        accepted(session.nextReply());
        assertThat(session.forwarded()).hasSize(2);
    }

    @Test
    void wrongCheckDigitIsRejectedNamingTheFieldAndPosition()
    {
        openSession();

        session.send(session.certChange(1, "123456789019", "東京都千代田区"));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.code()).isNotEqualTo(ErrorCode.NO_ERROR);
        assertThat(rejected.field()).isEqualTo(FieldId.PERSONAL_NUMBER);
        assertThat(rejected.position()).isEqualTo(11);
        assertThat(session.forwarded()).isEmpty();
        assertThat(session.core().inFlightCount()).isZero();
    }

    @Test
    void forbiddenCharacterIsRejectedNamingTheFieldPositionAndCodePoint()
    {
        openSession();

        session.send(session.certChange(1, "123456789018", "東京都\u202E千代田区"));

        final RejectedDecoder rejected = rejected(session.nextReply());
        assertThat(rejected.field()).isEqualTo(FieldId.ADDRESS);
        assertThat(rejected.position()).isEqualTo(9);
        assertThat(rejected.codePoint()).isEqualTo(0x202E);
        assertThat(session.forwarded()).isEmpty();
    }

    @Test
    void submitBeforeHelloIsRejectedHelloRequired()
    {
        session = new SessionHarness(journalDirectory, MAX_IN_FLIGHT);
        session.handshake();

        session.send(session.cardStatus(1));

        assertThat(rejected(session.nextReply()).code()).isEqualTo(ErrorCode.HELLO_REQUIRED);
        assertThat(session.forwarded()).isEmpty();
    }

    private void openSession()
    {
        session = new SessionHarness(journalDirectory, MAX_IN_FLIGHT);
        assertThat(session.open().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
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

    private static byte[] payloadOf(final ResultDecoder result)
    {
        final byte[] payload = new byte[result.payloadLength()];
        result.getPayload(payload, 0, payload.length);
        return payload;
    }
}
