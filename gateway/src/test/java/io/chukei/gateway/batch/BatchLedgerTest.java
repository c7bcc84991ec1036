package io.chukei.gateway.batch;

import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.DigestCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounds, keys and state rules of one node's batch accounts, and the merge of several nodes' snapshots. */
class BatchLedgerTest
{
    private static final int TOKYO = 131016;
    private static final int SAPPORO = 11002;
    private static final byte[] NO_DIGEST = new byte[32];

    @Test
    void aBatchIdIsScopedToItsMunicipality()
    {
        final BatchLedger ledger = new BatchLedger(4, 10);
        assertThat(ledger.declare(TOKYO, 7, 3, NO_DIGEST, 0)).isEqualTo(BatchLedger.Declaration.DECLARED);

        assertThat(ledger.find(SAPPORO, 7)).isNull();
        assertThat(ledger.declare(SAPPORO, 7, 5, NO_DIGEST, 0)).isEqualTo(BatchLedger.Declaration.DECLARED);
        assertThat(ledger.find(SAPPORO, 7).size()).isEqualTo(5);
        assertThat(ledger.find(TOKYO, 7).size()).isEqualTo(3);
    }

    @Test
    void theSameManifestAgainIsAlreadyDeclaredAndAnotherIsAConflict()
    {
        final BatchLedger ledger = new BatchLedger(4, 10);
        ledger.declare(TOKYO, 7, 3, NO_DIGEST, 0);

        assertThat(ledger.declare(TOKYO, 7, 3, NO_DIGEST, 0)).isEqualTo(BatchLedger.Declaration.ALREADY_DECLARED);
        assertThat(ledger.declare(TOKYO, 7, 4, NO_DIGEST, 0)).isEqualTo(BatchLedger.Declaration.CONFLICT_SIZE);
        final byte[] other = new byte[32];
        other[0] = 1;
        assertThat(ledger.declare(TOKYO, 7, 3, other, 0)).isEqualTo(BatchLedger.Declaration.CONFLICT_DIGEST);
    }

    @Test
    void aBatchAboveMaxSizeOrEmptyIsTooLarge()
    {
        final BatchLedger ledger = new BatchLedger(4, 10);
        assertThat(ledger.declare(TOKYO, 1, 11, NO_DIGEST, 0)).isEqualTo(BatchLedger.Declaration.TOO_LARGE);
        assertThat(ledger.declare(TOKYO, 2, 0, NO_DIGEST, 0)).isEqualTo(BatchLedger.Declaration.TOO_LARGE);
    }

    @Test
    void whenFullTheOldestCompleteAccountMakesRoomAndWithNoneCompleteTheDeclarationIsRefused()
    {
        final BatchLedger ledger = new BatchLedger(2, 10);
        ledger.declare(TOKYO, 1, 1, NO_DIGEST, 0);
        ledger.declare(TOKYO, 2, 1, NO_DIGEST, 0);
        assertThat(ledger.declare(TOKYO, 3, 1, NO_DIGEST, 0)).isEqualTo(BatchLedger.Declaration.TOO_MANY);

        final BatchAccount second = ledger.find(TOKYO, 2);
        second.accepted(1, 1, 1, 10);
        second.answered(1, 1, 1, BatchMemberState.COMPLETED_OK, 20);

        assertThat(ledger.declare(TOKYO, 3, 1, NO_DIGEST, 0)).isEqualTo(BatchLedger.Declaration.DECLARED);
        assertThat(ledger.find(TOKYO, 2)).isNull();
        assertThat(ledger.find(TOKYO, 1)).isNotNull();
    }

    @Test
    void aFinalStateIsNeverOverwrittenAndAnArrivalRefusalGivesWayToAnAcceptance()
    {
        final BatchAccount account = new BatchAccount(TOKYO, 7, 2, NO_DIGEST, 0);
        account.rejectedAtArrival(1, 5);
        account.accepted(1, 1, 1, 6);
        account.answered(1, 1, 1, BatchMemberState.COMPLETED_OK, 7);
        account.answered(1, 1, 1, BatchMemberState.REJECTED, 8);

        final BatchSnapshot snapshot = account.snapshot();
        assertThat(snapshot.count(BatchMemberState.COMPLETED_OK)).isEqualTo(1);
        assertThat(snapshot.count(BatchMemberState.REJECTED)).isZero();
        assertThat(snapshot.missing(10)).containsExactly(2L);
        assertThat(snapshot.lastMemberEpochMs()).isEqualTo(8);
    }

    @Test
    void theIncompleteIdleGaugeCountsFromTheLastMember()
    {
        final BatchLedger ledger = new BatchLedger(4, 10);
        ledger.declare(TOKYO, 7, 2, NO_DIGEST, 1_000);
        ledger.find(TOKYO, 7).accepted(1, 1, 1, 5_000);

        assertThat(ledger.incompleteIdleSeconds(65_000)).isEqualTo(60.0);
        assertThat(ledger.unansweredIdleSeconds(65_000)).isEqualTo(60.0);
        assertThat(ledger.open()).isEqualTo(1);
    }

    @Test
    void mergedNodesCompleteABatchNeitherCompletesAlone()
    {
        final BatchAccount node1 = new BatchAccount(TOKYO, 7, 4, NO_DIGEST, 0);
        final BatchAccount node2 = new BatchAccount(TOKYO, 7, 4, NO_DIGEST, 0);
        answer(node1, 1, BatchMemberState.COMPLETED_OK);
        answer(node1, 2, BatchMemberState.COMPLETED_OK);
        // Sequence 3 was accepted on node 1 and rejected there at its deadline; the resend on node 2 was applied.
        answer(node1, 3, BatchMemberState.REJECTED);
        answer(node2, 3, BatchMemberState.COMPLETED_OK);
        answer(node2, 4, BatchMemberState.COMPLETED_REFUSED);

        assertThat(node1.complete()).isFalse();
        final BatchSnapshot merged = BatchSnapshot.merge(List.of(node1.snapshot(), node2.snapshot()));
        assertThat(merged.complete()).isTrue();
        assertThat(merged.count(BatchMemberState.COMPLETED_OK)).isEqualTo(3);
        assertThat(merged.count(BatchMemberState.COMPLETED_REFUSED)).isEqualTo(1);
        assertThat(merged.count(BatchMemberState.REJECTED)).isZero();
    }

    @Test
    void aMemberStillOpenOnAnyNodeKeepsTheMergedBatchIncomplete()
    {
        final BatchAccount node1 = new BatchAccount(TOKYO, 7, 1, NO_DIGEST, 0);
        final BatchAccount node2 = new BatchAccount(TOKYO, 7, 1, NO_DIGEST, 0);
        answer(node1, 1, BatchMemberState.REJECTED);
        node2.accepted(1, 1, 1, 0);

        assertThat(BatchSnapshot.merge(List.of(node1.snapshot(), node2.snapshot())).complete()).isFalse();
    }

    @Test
    void theDigestAcrossNodesIsCheckedByTheMergedView()
    {
        final long[] hi = {5, 5};
        final long[] lo = {1, 2};
        final byte[] digest = BatchDigest.of(hi, lo, 2);
        final BatchAccount node1 = new BatchAccount(TOKYO, 7, 2, digest, 0);
        final BatchAccount node2 = new BatchAccount(TOKYO, 7, 2, digest, 0);
        node1.accepted(1, 5, 1, 0);
        node2.accepted(2, 5, 2, 0);

        assertThat(node1.snapshot().digestCheck()).isEqualTo(DigestCheck.NOT_CHECKED);
        assertThat(MergedBatch.of(List.of(node1, node2), true).digest()).isEqualTo(DigestCheck.MATCH);

        final BatchAccount foreign = new BatchAccount(TOKYO, 7, 2, digest, 0);
        foreign.accepted(2, 5, 3, 0);
        assertThat(MergedBatch.of(List.of(node1, foreign), true).digest()).isEqualTo(DigestCheck.MISMATCH);
    }

    @Test
    void boundsBelowOneAreConfigurationErrors()
    {
        assertThatThrownBy(() -> new BatchLedger(0, 10)).hasMessageContaining("batch.maxOpen: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new BatchLedger(1, 0)).hasMessageContaining("batch.maxSize: 0 (expected: >= 1)");
    }

    private static void answer(final BatchAccount account, final long sequence, final BatchMemberState state)
    {
        account.accepted(sequence, 1, sequence, 0);
        account.answered(sequence, 1, sequence, state, 0);
    }
}
