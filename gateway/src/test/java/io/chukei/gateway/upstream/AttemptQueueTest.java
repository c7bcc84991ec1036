package io.chukei.gateway.upstream;

import io.chukei.gateway.relay.InFlightRequest;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptQueueTest
{
    private final AttemptQueue queue = new AttemptQueue(2);

    @Test
    void attemptsLeaveOldestFirstWhateverWasAnsweredInBetween()
    {
        final Attempt first = queue.add(request(1), 100);
        final Attempt second = queue.add(request(2), 200);
        final Attempt third = queue.add(request(3), 300);
        final Attempt fourth = queue.add(request(4), 400);

        queue.remove(second);
        queue.remove(fourth);

        assertThat(sentTimesOldestFirst()).containsExactly(100L, 300L);
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.oldest()).isSameAs(first);
        queue.remove(first);
        assertThat(queue.oldest()).isSameAs(third);
        queue.remove(third);
        assertThat(queue.oldest()).isNull();
        assertThat(queue.size()).isZero();
    }

    @Test
    void anAttemptAddedAfterTheQueueEmptiedIsTheOldest()
    {
        queue.remove(queue.add(request(1), 100));

        final Attempt next = queue.add(request(2), 200);

        assertThat(queue.oldest()).isSameAs(next);
        assertThat(sentTimesOldestFirst()).containsExactly(200L);
    }

    @Test
    void theTimerWaitsForTheOldestAttemptNotTheNewest()
    {
        queue.add(request(1), 1_000);
        queue.add(request(2), 5_000);

        // At 3,000 with a timeout of 10,000: the first is due at 11,000, the second at 15,000.
        assertThat(queue.nanosUntilOldestDue(3_000, 10_000)).isEqualTo(8_000);
        assertThat(queue.oldestDue(3_000, 10_000)).isFalse();
        // An attempt added while older ones are past due (a send made while timeouts are handled): the timer is
        // due at once, not a whole timeout after the new attempt.
        queue.add(request(3), 12_000);
        assertThat(queue.nanosUntilOldestDue(12_000, 10_000)).isZero();
        assertThat(queue.oldestDue(12_000, 10_000)).isTrue();
    }

    @Test
    void nothingIsDueInAnEmptyQueue()
    {
        assertThat(queue.nanosUntilOldestDue(0, 10_000)).isEqualTo(-1);
        assertThat(queue.oldestDue(Long.MAX_VALUE, 10_000)).isFalse();
    }

    @Test
    void removingAnAttemptNotQueuedChangesNothing()
    {
        final Attempt first = queue.add(request(1), 100);
        final Attempt second = queue.add(request(2), 200);
        queue.remove(second);

        queue.remove(second);

        assertThat(queue.oldest()).isSameAs(first);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(sentTimesOldestFirst()).containsExactly(100L);
    }

    @Test
    void aRecycledAttemptIsReusedWithItsNewRequestAndTime()
    {
        final InFlightRequest later = request(2);
        final Attempt first = queue.add(request(1), 100);
        queue.remove(first);
        queue.recycle(first);

        final Attempt reused = queue.add(later, 500);

        assertThat(reused).isSameAs(first);
        assertThat(reused.request).isSameAs(later);
        assertThat(reused.sentNanos).isEqualTo(500);
        assertThat(reused.idLo()).isEqualTo(2);
        assertThat(queue.oldest()).isSameAs(reused);
    }

    @Test
    void atMostTheGivenNumberOfAttemptsIsKeptForReuse()
    {
        final List<Attempt> left = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            left.add(queue.add(request(i), i));
        }
        for (final Attempt attempt : left)
        {
            queue.remove(attempt);
            queue.recycle(attempt);
        }

        final List<Attempt> again = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            again.add(queue.add(request(i), 10 + i));
        }

        // Two of the three came back (the spare list holds two); the third is new.
        assertThat(again).filteredOn(attempt -> left.stream().anyMatch(old -> old == attempt)).hasSize(2);
        assertThat(sentTimesOldestFirst()).containsExactly(10L, 11L, 12L);
    }

    private List<Long> sentTimesOldestFirst()
    {
        final List<Long> times = new ArrayList<>();
        for (Attempt a = queue.oldest(); a != null; a = a.newer)
        {
            times.add(a.sentNanos);
        }
        return times;
    }

    private static InFlightRequest request(final long idLo)
    {
        return InFlightRequest.of(131016, 1, idLo, Unpooled.EMPTY_BUFFER, 0, Long.MAX_VALUE, System.nanoTime(), null, false);
    }
}
