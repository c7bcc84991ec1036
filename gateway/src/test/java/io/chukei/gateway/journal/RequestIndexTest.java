package io.chukei.gateway.journal;

import static io.chukei.gateway.journal.JournalFixtures.SCOPE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.chukei.protocol.sbe.RequestState;
import org.junit.jupiter.api.Test;

class RequestIndexTest
{
    @Test
    void anAcceptedRequestIsFoundWithItsIndexAndFingerprint()
    {
        final RequestIndex requests = new RequestIndex(100);

        assertThat(requests.accept(SCOPE, 1, 2, 77, 0xF00DL)).isTrue();

        final int slot = requests.find(SCOPE, 1, 2);
        assertThat(requests.state(SCOPE, 1, 2)).isEqualTo(RequestState.ACCEPTED);
        assertThat(requests.acceptedIndex(slot)).isEqualTo(77);
        assertThat(requests.terminalIndex(slot)).isEqualTo(-1);
        assertThat(requests.fingerprint(slot)).isEqualTo(0xF00DL);
    }

    @Test
    void anUnknownIdIsNotFound()
    {
        final RequestIndex requests = new RequestIndex(100);
        requests.accept(SCOPE, 1, 2, 1, 0);

        assertThat(requests.find(SCOPE, 2, 1)).isEqualTo(RequestIndex.NOT_FOUND);
        assertThat(requests.state(SCOPE, 2, 1)).isEqualTo(RequestState.UNKNOWN);
    }

    @Test
    void acceptingAKnownIdChangesNothing()
    {
        final RequestIndex requests = new RequestIndex(100);
        requests.accept(SCOPE, 1, 2, 1, 10);

        assertThat(requests.accept(SCOPE, 1, 2, 5, 20)).isFalse();
        assertThat(requests.fingerprint(requests.find(SCOPE, 1, 2))).isEqualTo(10);
    }

    @Test
    void acceptingAFinishedIdAgainAtALaterIndexMakesItPendingAgain()
    {
        final RequestIndex requests = new RequestIndex(100);
        requests.accept(SCOPE, 1, 2, 1, 10, 1_000, (byte)0);
        requests.forwarded(SCOPE, 1, 2, 3);
        requests.reject(SCOPE, 1, 2, 4);
        requests.accept(SCOPE, 3, 4, 2, 30);
        requests.complete(SCOPE, 3, 4, 5);

        // The node took resends of both as new (their answers forgotten, or a verdict it could not read).
        assertThat(requests.accept(SCOPE, 1, 2, 8, 11, 2_000, (byte)1)).isTrue();
        assertThat(requests.accept(SCOPE, 3, 4, 9, 30)).isTrue();

        final int rejected = requests.find(SCOPE, 1, 2);
        assertThat(requests.state(SCOPE, 1, 2)).isEqualTo(RequestState.ACCEPTED);
        assertThat(requests.acceptedIndex(rejected)).isEqualTo(8);
        assertThat(requests.terminalIndex(rejected)).isEqualTo(-1);
        assertThat(requests.fingerprint(rejected)).isEqualTo(11);
        assertThat(requests.forwardAttempts(rejected)).isZero();
        assertThat(requests.deadlineEpochMs(rejected)).isEqualTo(2_000);
        assertThat(requests.priority(rejected)).isEqualTo((byte)1);
        assertThat(requests.state(SCOPE, 3, 4)).isEqualTo(RequestState.ACCEPTED);
        assertThat(requests.oldestPendingAcceptedIndex()).isEqualTo(8);
        assertThat(requests.size()).isEqualTo(2);
    }

    @Test
    void anAcceptanceOlderThanTheVerdictChangesNothing()
    {
        final RequestIndex requests = new RequestIndex(100);
        requests.accept(SCOPE, 1, 2, 5, 10);
        requests.complete(SCOPE, 1, 2, 7);

        assertThat(requests.accept(SCOPE, 1, 2, 6, 10)).isFalse();
        assertThat(requests.state(SCOPE, 1, 2)).isEqualTo(RequestState.COMPLETED);
        assertThat(requests.terminalIndex(requests.find(SCOPE, 1, 2))).isEqualTo(7);
    }

    @Test
    void forwardingThenCompletingMovesTheStateOnAndKeepsTheHighestAttempt()
    {
        final RequestIndex requests = new RequestIndex(100);
        requests.accept(SCOPE, 1, 2, 1, 0);

        requests.forwarded(SCOPE, 1, 2, 2);
        requests.forwarded(SCOPE, 1, 2, 1);
        assertThat(requests.state(SCOPE, 1, 2)).isEqualTo(RequestState.FORWARDED);
        assertThat(requests.forwardAttempts(requests.find(SCOPE, 1, 2))).isEqualTo(2);

        assertThat(requests.complete(SCOPE, 1, 2, 9)).isTrue();
        assertThat(requests.state(SCOPE, 1, 2)).isEqualTo(RequestState.COMPLETED);
        assertThat(requests.terminalIndex(requests.find(SCOPE, 1, 2))).isEqualTo(9);
    }

    @Test
    void aFinishedRequestStaysFinished()
    {
        final RequestIndex requests = new RequestIndex(100);
        requests.accept(SCOPE, 1, 2, 1, 0);
        requests.reject(SCOPE, 1, 2, 5);

        assertThat(requests.complete(SCOPE, 1, 2, 6)).isFalse();
        assertThat(requests.forwarded(SCOPE, 1, 2, 3)).isFalse();
        assertThat(requests.state(SCOPE, 1, 2)).isEqualTo(RequestState.REJECTED);
    }

    @Test
    void idsSharingTheirLowHalfAreKeptApart()
    {
        final RequestIndex requests = new RequestIndex(10_000);
        for (long hi = 1; hi <= 1_000; hi++)
        {
            requests.accept(SCOPE, hi, 42, hi, hi);
        }

        for (long hi = 1; hi <= 1_000; hi++)
        {
            assertThat(requests.fingerprint(requests.find(SCOPE, hi, 42))).isEqualTo(hi);
        }
        assertThat(requests.find(SCOPE, 1_001, 42)).isEqualTo(RequestIndex.NOT_FOUND);
    }

    @Test
    void idsDifferingOnlyAboveTheLowBitsOfBothHalvesAreKeptApart()
    {
        final RequestIndex requests = new RequestIndex(10_000);
        for (long i = 1; i <= 1_000; i++)
        {
            requests.accept(SCOPE, i << 40, i << 40, i, i);
        }

        assertThat(requests.size()).isEqualTo(1_000);
        for (long i = 1; i <= 1_000; i++)
        {
            assertThat(requests.acceptedIndex(requests.find(SCOPE, i << 40, i << 40))).isEqualTo(i);
        }
    }

    @Test
    void theTableGrowsAndKeepsEveryEntry()
    {
        final RequestIndex requests = new RequestIndex(100_000);
        final int initialSlots = requests.slots();

        for (long lo = 1; lo <= 50_000; lo++)
        {
            requests.accept(SCOPE, 7, lo, lo, lo);
        }

        assertThat(requests.slots()).isGreaterThan(initialSlots).isGreaterThanOrEqualTo(100_000);
        assertThat(requests.size()).isEqualTo(50_000);
        assertThat(requests.acceptedIndex(requests.find(SCOPE, 7, 31_337))).isEqualTo(31_337);
    }

    @Test
    void atCapacityTheOldestFinishedEntryIsEvictedAndPendingOnesAreKept()
    {
        final RequestIndex requests = new RequestIndex(4);
        requests.accept(SCOPE, 1, 1, 1, 0);
        requests.accept(SCOPE, 1, 2, 2, 0);
        requests.accept(SCOPE, 1, 3, 3, 0);
        requests.accept(SCOPE, 1, 4, 4, 0);
        requests.complete(SCOPE, 1, 2, 5);
        requests.complete(SCOPE, 1, 3, 6);

        requests.accept(SCOPE, 1, 5, 7, 0);

        assertThat(requests.size()).isEqualTo(4);
        assertThat(requests.evictions()).isEqualTo(1);
        assertThat(requests.state(SCOPE, 1, 2)).isEqualTo(RequestState.UNKNOWN);
        assertThat(requests.state(SCOPE, 1, 1)).isEqualTo(RequestState.ACCEPTED);
        assertThat(requests.state(SCOPE, 1, 3)).isEqualTo(RequestState.COMPLETED);
        assertThat(requests.state(SCOPE, 1, 5)).isEqualTo(RequestState.ACCEPTED);
    }

    @Test
    void whenEveryEntryIsPendingTheTableGrowsPastItsBound()
    {
        final RequestIndex requests = new RequestIndex(4);
        for (long lo = 1; lo <= 6; lo++)
        {
            requests.accept(SCOPE, 1, lo, lo, 0);
        }

        assertThat(requests.size()).isEqualTo(6);
        assertThat(requests.evictions()).isZero();
    }

    @Test
    void evictionsKeepEveryRemainingEntryFindable()
    {
        final RequestIndex requests = new RequestIndex(1_000);
        for (long lo = 1; lo <= 20_000; lo++)
        {
            requests.accept(SCOPE, lo * 0x1_0000_0000L, lo, lo, lo);
            if (lo % 10 != 0)
            {
                requests.complete(SCOPE, lo * 0x1_0000_0000L, lo, lo);
            }
        }

        assertThat(requests.size()).isEqualTo(2_000);
        for (long lo = 10; lo <= 20_000; lo += 10)
        {
            assertThat(requests.state(SCOPE, lo * 0x1_0000_0000L, lo)).isEqualTo(RequestState.ACCEPTED);
        }
    }

    @Test
    void forEachVisitsOldestFirstAndACopyHasTheSameContent()
    {
        final RequestIndex requests = new RequestIndex(100);
        requests.accept(SCOPE, 1, 3, 1, 0);
        requests.accept(SCOPE, 1, 1, 2, 0);
        requests.accept(SCOPE, 1, 2, 3, 0);
        final List<Long> order = new ArrayList<>();

        requests.forEach((scope, hi, lo, state, accepted, terminal, fingerprint, attempts) -> order.add(lo));

        assertThat(order).containsExactly(3L, 1L, 2L);
        assertThat(requests.copy().sameContent(requests)).isTrue();
    }

    @Test
    void theOldestPendingAcceptedIndexIsTheLowestOfTheAcceptedForwardedAndOutcomeUnknownOnesAndNoneWhenAllAreFinished()
    {
        final RequestIndex requests = new RequestIndex(100);
        assertThat(requests.oldestPendingAcceptedIndex()).isEqualTo(Long.MAX_VALUE);
        requests.accept(SCOPE, 1, 1, 10, 0);
        requests.accept(SCOPE, 1, 2, 20, 0);
        requests.accept(SCOPE, 1, 3, 30, 0);
        requests.accept(SCOPE, 1, 4, 40, 0);
        requests.forwarded(SCOPE, 1, 2, 1);
        requests.outcomeUnknown(SCOPE, 1, 3, 1);

        requests.complete(SCOPE, 1, 1, 50);
        assertThat(requests.oldestPendingAcceptedIndex()).as("forwarded").isEqualTo(20);
        requests.reject(SCOPE, 1, 2, 51);
        assertThat(requests.oldestPendingAcceptedIndex()).as("outcome unknown").isEqualTo(30);
        requests.complete(SCOPE, 1, 3, 52);
        assertThat(requests.oldestPendingAcceptedIndex()).as("accepted").isEqualTo(40);
        requests.complete(SCOPE, 1, 4, 53);
        assertThat(requests.oldestPendingAcceptedIndex()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theOldestPendingAcceptedIndexAgreesWithAWalkOfEveryEntryThroughGrowthAndEviction()
    {
        final RequestIndex requests = new RequestIndex(5_000);
        final java.util.Random random = new java.util.Random(17);
        for (long index = 1; index <= 20_000; index++)
        {
            final long lo = random.nextInt(30_000);
            requests.accept(SCOPE, 7, lo, index, lo);
            final long finished = random.nextInt(30_000);
            if (random.nextInt(10) < 9)
            {
                requests.complete(SCOPE, 7, finished, index);
            }
            if (index % 997 == 0)
            {
                final long[] walked = {Long.MAX_VALUE};
                requests.forEach((scope, hi, id, state, accepted, terminal, fingerprint, attempts) ->
                {
                    if (RequestIndex.isPending(state))
                    {
                        walked[0] = Math.min(walked[0], accepted);
                    }
                });
                assertThat(requests.oldestPendingAcceptedIndex()).as("after %d", index).isEqualTo(walked[0]);
            }
        }
        assertThat(requests.evictions()).as("the bound was reached").isPositive();
    }

    @Test
    void aNonPositiveBoundIsRefused()
    {
        assertThatThrownBy(() -> new RequestIndex(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maxEntries: 0 (expected: > 0)");
    }
}
