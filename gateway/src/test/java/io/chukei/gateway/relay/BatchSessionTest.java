package io.chukei.gateway.relay;

import io.chukei.gateway.batch.BatchAccount;
import io.chukei.gateway.batch.BatchLedger;
import io.chukei.gateway.batch.BatchSnapshot;
import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BatchState;
import io.chukei.protocol.sbe.BatchStatusReplyDecoder;
import io.chukei.protocol.sbe.DigestCheck;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RejectedDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch manifests through one connector session: BatchDeclare, members accounted as they are accepted and answered,
 * BatchStatusQuery's counts and ranges, refusals of members that disagree with the manifest, tenant isolation, and
 * the account rebuilt from the journal.
 */
class BatchSessionTest
{
    private static final long BATCH = 7;
    private static final byte[] NO_DIGEST = new byte[32];

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
    void aBatchWhoseEveryMemberIsAnsweredIsCompleteAndItsDigestMatches()
    {
        open();
        assertThat(declare(3, digestOf(1, 2, 3)).batchState()).isEqualTo(BatchState.OPEN);
        submitMembers(3, 1, 2, 3);
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "ok", new byte[0]);
        session.answer(session.forwarded().get(1), OutcomeStatus.OK, "ok", new byte[0]);
        session.answer(session.forwarded().get(2), OutcomeStatus.REFUSED, "no", new byte[0]);
        drainResults(3);

        final BatchStatusReplyDecoder status = query();
        assertThat(status.code()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(status.batchState()).isEqualTo(BatchState.COMPLETE);
        assertThat(status.completedOk()).isEqualTo(2);
        assertThat(status.completedRefused()).isEqualTo(1);
        assertThat(status.neverSeen()).isZero();
        assertThat(status.digestCheck()).isEqualTo(DigestCheck.MATCH);
    }

    @Test
    void aMissingMemberIsReportedAsExactlyThatSequence()
    {
        open();
        declare(5, NO_DIGEST);
        submitMembers(5, 1, 2, 4, 5);
        for (final InFlightRequest request : List.copyOf(session.forwarded()))
        {
            session.answer(request, OutcomeStatus.OK, "ok", new byte[0]);
        }
        drainResults(4);

        final BatchStatusReplyDecoder status = query();
        assertThat(status.batchState()).isEqualTo(BatchState.OPEN);
        assertThat(status.completedOk()).isEqualTo(4);
        assertThat(status.neverSeen()).isEqualTo(1);
        assertThat(ranges(status)).containsExactly("1+2 COMPLETED_OK", "3+1 NEVER_SEEN", "4+2 COMPLETED_OK");
        assertThat(status.nextSequence()).isEqualTo(BatchStatusReplyDecoder.nextSequenceNullValue());
    }

    @Test
    void membersAcceptedAndNotYetAnsweredAreCountedAsAccepted()
    {
        open();
        declare(2, NO_DIGEST);
        submitMembers(2, 1, 2);

        final BatchStatusReplyDecoder status = query();
        assertThat(status.accepted()).isEqualTo(2);
        assertThat(status.batchState()).isEqualTo(BatchState.OPEN);
    }

    @Test
    void aMemberRejectedAtItsDeadlineCountsAsRejectedAndFinal()
    {
        open();
        declare(1, NO_DIGEST);
        session.send(session.batchMember(1, BATCH, 1, 1));
        accepted(session.nextReply());
        session.passTime(Duration.ofSeconds(31));
        assertThat(session.nextReply().rejected().code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);

        final BatchStatusReplyDecoder status = query();
        assertThat(status.rejected()).isEqualTo(1);
        assertThat(status.batchState()).isEqualTo(BatchState.COMPLETE);
    }

    @Test
    void aMemberWithAnotherSizeThanTheManifestIsRejectedNamingBatchSize()
    {
        open();
        declare(3, NO_DIGEST);
        session.send(session.batchMember(1, BATCH, 1, 4));

        final RejectedDecoder rejected = session.nextReply().rejected();
        assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_BATCH);
        assertThat(rejected.field()).isEqualTo(FieldId.BATCH_SIZE);
        assertThat(rejected.detail()).contains("batchSize: 4 (expected: 3");
        assertThat(session.forwarded()).isEmpty();
    }

    @Test
    void aSequenceAlreadyHeldByAnotherRequestIdIsRejectedBatchConflict()
    {
        open();
        declare(3, NO_DIGEST);
        submitMembers(3, 1);
        session.send(session.batchMember(99, BATCH, 1, 3));

        final RejectedDecoder rejected = session.nextReply().rejected();
        assertThat(rejected.requestId().lo()).isEqualTo(99);
        assertThat(rejected.code()).isEqualTo(ErrorCode.BATCH_CONFLICT);
        assertThat(rejected.field()).isEqualTo(FieldId.BATCH_SEQUENCE);
        assertThat(session.forwarded()).hasSize(1);
    }

    @Test
    void membersWhoseIdsDisagreeWithTheDigestAreReportedAsMismatch()
    {
        open();
        declare(3, digestOf(1, 2, 3));
        session.send(session.batchMember(1, BATCH, 1, 3));
        session.send(session.batchMember(2, BATCH, 2, 3));
        session.send(session.batchMember(9, BATCH, 3, 3));
        drainAccepted(3);

        assertThat(query().digestCheck()).isEqualTo(DigestCheck.MISMATCH);
    }

    @Test
    void aDeclarationWithAnotherSizeForTheSameBatchIsRefusedBatchConflict()
    {
        open();
        declare(3, NO_DIGEST);
        session.send(session.batchDeclare(BATCH, 4, NO_DIGEST, SessionHarness.MUNICIPALITY));

        final BatchStatusReplyDecoder refused = session.nextReply().batchStatusReply();
        assertThat(refused.code()).isEqualTo(ErrorCode.BATCH_CONFLICT);
        assertThat(refused.field()).isEqualTo(FieldId.BATCH_SIZE);
        walkRanges(refused);
        assertThat(refused.detail()).contains("batchSize: 4 (expected: 3");
    }

    @Test
    void aQueryNamingAnotherMunicipalityIsRefusedAndSaysNothingAboutTheBatch()
    {
        open();
        declare(3, NO_DIGEST);
        submitMembers(3, 1, 2);

        session.send(session.batchQuery(BATCH, "011002"));
        final BatchStatusReplyDecoder refused = session.nextReply().batchStatusReply();
        assertThat(refused.code()).isEqualTo(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED);
        assertThat(refused.batchState()).isEqualTo(BatchState.UNKNOWN);
        assertThat(refused.batchSize()).isZero();
        assertThat(refused.accepted()).isZero();
        assertThat(ranges(refused)).isEmpty();
    }

    @Test
    void anotherMunicipalitysAccountOfTheSameBatchIdIsInvisible()
    {
        open();
        declare(3, NO_DIGEST);
        submitMembers(3, 1, 2);
        final BatchLedger ledger = session.core().batches();

        assertThat(ledger.find(MunicipalityCodes.parse("011002"), BATCH)).isNull();
        assertThat(ledger.find(MunicipalityCodes.parse(SessionHarness.MUNICIPALITY), BATCH)).isNotNull();
    }

    @Test
    void aBatchNobodyDeclaredIsUnknown()
    {
        open();
        final BatchStatusReplyDecoder status = query();
        assertThat(status.code()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(status.batchState()).isEqualTo(BatchState.UNKNOWN);
    }

    @Test
    void theAccountIsRebuiltFromTheJournalAsItWas()
    {
        open();
        declare(4, digestOf(1, 2, 3, 4));
        submitMembers(4, 1, 2, 4);
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "ok", new byte[0]);
        drainResults(1);
        final BatchSnapshot before =
            session.core().batches().find(MunicipalityCodes.parse(SessionHarness.MUNICIPALITY), BATCH).snapshot();

        final BatchLedger rebuilt = new BatchLedger(4, 100);
        session.journal().forEachFact(rebuilt.rebuilder());
        final BatchSnapshot after = rebuilt.find(MunicipalityCodes.parse(SessionHarness.MUNICIPALITY), BATCH).snapshot();

        assertThat(after.states()).containsExactly(before.states());
        assertThat(after.count(BatchMemberState.COMPLETED_OK)).isEqualTo(1);
        assertThat(after.count(BatchMemberState.ACCEPTED)).isEqualTo(2);
        assertThat(after.count(BatchMemberState.NEVER_SEEN)).isEqualTo(1);
    }

    @Test
    void whileTheAccountsAreRebuiltBatchMessagesAndMembersAreRefusedOverloadedAndNothingIsJournaled()
    {
        open();
        declare(2, NO_DIGEST);
        session.core().batchesRebuilding();

        session.send(session.batchMember(1, BATCH, 1, 2));
        final RejectedDecoder member = session.nextReply().rejected();
        assertThat(member.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(member.field()).isEqualTo(FieldId.BATCH_ID);
        assertThat(member.retryAfterMs()).isEqualTo(1000);
        assertThat(session.trace(1)).as("refused before acceptance").isEmpty();
        assertThat(query().code()).isEqualTo(ErrorCode.OVERLOADED);
        session.send(session.batchDeclare(BATCH + 1, 2, NO_DIGEST, SessionHarness.MUNICIPALITY));
        assertThat(session.nextReply().batchStatusReply().code()).isEqualTo(ErrorCode.OVERLOADED);
    }

    @Test
    void onceRebuiltTheSameMemberIsAccepted()
    {
        open();
        declare(2, NO_DIGEST);
        session.core().batchesRebuilding();
        session.send(session.batchMember(1, BATCH, 1, 2));
        assertThat(session.nextReply().rejected().code()).isEqualTo(ErrorCode.OVERLOADED);

        session.core().batchesRebuilt();
        submitMembers(2, 1);

        assertThat(query().accepted()).isEqualTo(1);
    }

    @Test
    void aRecoveredMemberFinishedByItsDeadlineBeforeItsSubmitIsReadBackIsCountedOnceTheSubmitArrives()
    {
        open();
        declare(2, NO_DIGEST);
        final int scope = MunicipalityCodes.parse(SessionHarness.MUNICIPALITY);
        final BatchAccount account = session.core().batches().find(scope, BATCH);
        // As the rebuild after a start finds it: accepted before the crash, no verdict journaled.
        account.accepted(1, SessionHarness.idHi(), 1, SessionHarness.NOW.toEpochMilli());
        final InFlightRequest recovered = InFlightRequest.of(scope, SessionHarness.idHi(), 1,
            io.netty.buffer.Unpooled.EMPTY_BUFFER, 1L, SessionHarness.NOW.toEpochMilli() + 1_000, System.nanoTime(), null,
            true);
        assertThat(session.core().registerRecovered(recovered, 1, session.loop())).isEqualTo(RelayCore.Recovery.REFORWARDED);

        session.passTime(Duration.ofSeconds(2));
        assertThat(session.trace(1)).singleElement().satisfies(event ->
            assertThat(event.summary()).contains("code=DEADLINE_EXCEEDED"));
        assertThat(account.snapshot().count(BatchMemberState.ACCEPTED)).as("its batch fields are not known yet").isOne();

        assertThat(session.core().forwardRecovered(recovered, sbeBytes(session.batchMember(1, BATCH, 1, 2)))).isFalse();
        final BatchSnapshot after = account.snapshot();
        assertThat(after.count(BatchMemberState.REJECTED)).as("the deadline's verdict, counted once the Submit came").isOne();
        assertThat(after.count(BatchMemberState.ACCEPTED)).isZero();
        assertThat(session.forwarded()).isEmpty();
    }

    @Test
    void aRecoveredMemberWhoseSubmitArrivesFirstIsCountedWhenItIsAnswered()
    {
        open();
        declare(2, NO_DIGEST);
        final int scope = MunicipalityCodes.parse(SessionHarness.MUNICIPALITY);
        final BatchAccount account = session.core().batches().find(scope, BATCH);
        account.accepted(2, SessionHarness.idHi(), 2, SessionHarness.NOW.toEpochMilli());
        final InFlightRequest recovered = InFlightRequest.of(scope, SessionHarness.idHi(), 2,
            io.netty.buffer.Unpooled.EMPTY_BUFFER, 1L, SessionHarness.NOW.toEpochMilli() + 60_000, System.nanoTime(), null,
            true);
        session.core().registerRecovered(recovered, 1, session.loop());

        assertThat(session.core().forwardRecovered(recovered, sbeBytes(session.batchMember(2, BATCH, 2, 2)))).isTrue();
        session.passTime(Duration.ZERO);
        session.answer(session.forwarded().get(0), OutcomeStatus.OK, "ok", new byte[0]);

        assertThat(account.snapshot().count(BatchMemberState.COMPLETED_OK)).isOne();
    }

    /** The SBE bytes (message header and body) of a framed message, as the journal keeps a Submit. */
    private static io.netty.buffer.ByteBuf sbeBytes(final io.netty.buffer.ByteBuf frame)
    {
        final io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.directBuffer();
        bytes.writeBytes(frame, frame.readerIndex() + io.chukei.protocol.framing.SofhFrame.HEADER_LENGTH,
            frame.readableBytes() - io.chukei.protocol.framing.SofhFrame.HEADER_LENGTH);
        frame.release();
        return bytes;
    }

    private void open()
    {
        session = new SessionHarness(journalDirectory, 64);
        session.open();
    }

    private BatchStatusReplyDecoder declare(final long size, final byte[] digest)
    {
        session.send(session.batchDeclare(BATCH, size, digest, SessionHarness.MUNICIPALITY));
        final BatchStatusReplyDecoder reply = session.nextReply().batchStatusReply();
        assertThat(reply.code()).isEqualTo(ErrorCode.NO_ERROR);
        return reply;
    }

    private BatchStatusReplyDecoder query()
    {
        session.send(session.batchQuery(BATCH, SessionHarness.MUNICIPALITY));
        return session.nextReply().batchStatusReply();
    }

    /** Member i of {@code size} with request id lo = i, each accepted. */
    private void submitMembers(final long size, final long... sequences)
    {
        for (final long sequence : sequences)
        {
            session.send(session.batchMember(sequence, BATCH, sequence, size));
        }
        drainAccepted(sequences.length);
    }

    private void drainAccepted(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            accepted(session.nextReply());
        }
    }

    private void drainResults(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            assertThat(session.nextReply().templateId()).isEqualTo(io.chukei.protocol.sbe.ResultDecoder.TEMPLATE_ID);
        }
    }

    private static AcceptedDecoder accepted(final SessionHarness.Reply reply)
    {
        assertThat(reply.templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        return reply.accepted();
    }

    private static List<String> ranges(final BatchStatusReplyDecoder reply)
    {
        final List<String> ranges = new ArrayList<>();
        for (final BatchStatusReplyDecoder.RangesDecoder range : reply.ranges())
        {
            ranges.add(range.firstSequence() + "+" + range.length() + " " + range.state());
        }
        return ranges;
    }

    private static void walkRanges(final BatchStatusReplyDecoder reply)
    {
        ranges(reply);
    }

    /** The manifest digest of members whose ids are (idHi, lo) for each lo given, in order. */
    private static byte[] digestOf(final long... los)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            final ByteBuffer id = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (final long lo : los)
            {
                id.clear();
                id.putLong(SessionHarness.idHi()).putLong(lo);
                sha.update(id.array());
            }
            return sha.digest();
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
