package io.chukei.gateway.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** One timer per loop expires each request exactly when its own timer would have, and never a finished one. */
class DeadlinesTest
{
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private final List<InFlightRequest> expired = new ArrayList<>();
    private final List<InFlightRequest> created = new ArrayList<>();
    private final AtomicBoolean reused = new AtomicBoolean();
    private final AtomicInteger expiredAtFirstDeadline = new AtomicInteger(-1);
    private final Deadlines deadlines = new Deadlines(loop, (request, generation) ->
    {
        if (request.complete(generation))
        {
            expired.add(request);
        }
    });

    DeadlinesTest()
    {
        // The loop's clock moves only when the test says so, however loaded the machine is.
        channel.freezeTime();
    }

    @AfterEach
    void releaseRequests()
    {
        created.forEach(InFlightRequest::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestExpiresWhenItsDelayHasPassedAndNotBefore()
    {
        final InFlightRequest request = request(1);
        deadlines.schedule(request, 100);

        passMillis(99);
        assertThat(expired).isEmpty();
        passMillis(1);
        assertThat(expired).containsExactly(request);
    }

    @Test
    void aRequestFinishedBeforeItsDeadlineIsNotExpired()
    {
        final InFlightRequest request = request(1);
        deadlines.schedule(request, 100);

        assertThat(request.complete()).isTrue();
        passMillis(200);

        assertThat(expired).isEmpty();
    }

    @Test
    void anEarlierDeadlineScheduledAfterALaterOneStillExpiresOnTime()
    {
        final InFlightRequest late = request(1);
        final InFlightRequest early = request(2);
        deadlines.schedule(late, 1_000);
        deadlines.schedule(early, 10);

        passMillis(10);
        assertThat(expired).containsExactly(early);
        passMillis(989);
        assertThat(expired).containsExactly(early);
        passMillis(1);
        assertThat(expired).containsExactly(early, late);
    }

    @Test
    void requestsDueTogetherExpireTogetherAndTheNextOneLater()
    {
        final InFlightRequest first = request(1);
        final InFlightRequest second = request(2);
        final InFlightRequest third = request(3);
        deadlines.schedule(first, 50);
        deadlines.schedule(second, 50);
        deadlines.schedule(third, 80);

        passMillis(50);
        assertThat(expired).containsExactlyInAnyOrder(first, second);
        passMillis(30);
        assertThat(expired).containsExactlyInAnyOrder(first, second, third);
    }

    @Test
    void finishedRequestsAreDroppedSoTheQueueHoldsAboutTheUnfinishedOnes()
    {
        final InFlightRequest stillPending = request(0);
        deadlines.schedule(stillPending, 60_000);
        for (int i = 1; i <= 1_000; i++)
        {
            final InFlightRequest request = request(i);
            deadlines.schedule(request, 60_000);
            request.complete();
        }

        assertThat(deadlines.size()).isLessThanOrEqualTo(2 + 64 + 1);
        passMillis(60_000);
        assertThat(expired).containsExactly(stillPending);
    }

    @Test
    void aDeadlineKeptForARecycledRequestDoesNotExpireTheRequestReusingItsObject() throws Exception
    {
        // Netty's pool reuses objects on event-loop threads (FastThreadLocalThread) only.
        final Thread loopThread = new FastThreadLocalThread(() ->
        {
            final InFlightRequest first = request(1);
            deadlines.schedule(first, 100);
            assertThat(first.complete()).isTrue();
            first.drop();

            final InFlightRequest second = request(2);
            deadlines.schedule(second, 1_000);
            reused.set(second == first);

            passMillis(100);
            expiredAtFirstDeadline.set(expired.size());
            passMillis(900);
        });
        loopThread.start();
        loopThread.join();

        assertThat(reused.get()).as("the pool handed out the first request's object again").isTrue();
        assertThat(expiredAtFirstDeadline.get()).isZero();
        assertThat(expired).hasSize(1);
        assertThat(expired.get(0).idLo()).isEqualTo(2);
    }

    @Test
    void aStaleGenerationCannotCompleteTheRequest()
    {
        final InFlightRequest request = request(1);
        final long generation = request.generation();

        assertThat(request.complete(generation + 1)).isFalse();
        assertThat(request.isCompleted()).isFalse();
        assertThat(request.complete(generation)).isTrue();
        assertThat(request.complete(generation)).isFalse();
    }

    private InFlightRequest request(final long lo)
    {
        final InFlightRequest request = InFlightRequest.of(131016, 1, lo, Unpooled.buffer(1), lo, 0, System.nanoTime(), channel, false);
        created.add(request);
        return request;
    }

    private void passMillis(final long millis)
    {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }
}
