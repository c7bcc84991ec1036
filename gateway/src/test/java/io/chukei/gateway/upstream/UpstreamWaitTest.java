package io.chukei.gateway.upstream;

import com.netflix.concurrency.limits.limit.FixedLimit;
import io.chukei.gateway.admission.Priority;
import io.chukei.gateway.admission.UpstreamLimiter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The health check's "waiting on card management" rule, on a window of two with a hand-moved clock. */
class UpstreamWaitTest
{
    private static final long MAX_FORWARD_AGE_MS = 1000;
    private static final long ATTEMPT_TIMEOUT_MS = 2000;

    private long nowNanos = 1_000_000_000L;
    private long retryWaitNanos;
    private final UpstreamLimiter window = new UpstreamLimiter(FixedLimit.of(2), 0.5, () -> nowNanos);
    private final UpstreamWait wait = new UpstreamWait(window, now -> retryWaitNanos, MAX_FORWARD_AGE_MS, ATTEMPT_TIMEOUT_MS);
    private final List<UpstreamLimiter.Permit> permits = new ArrayList<>();

    @Test
    void aFullWindowThatCardManagementKeepsAnsweringIsWaitingOnIt()
    {
        fillWindowAndAnswerOne();
        passMillis(900);

        assertThat(wait.waiting(nowNanos)).isTrue();
    }

    @Test
    void itsDescriptionNamesEachConditionAsItStands()
    {
        assertThat(wait.describe(nowNanos)).isEqualTo("upstream window 0 in flight of 2 (not full, last full never), oldest retry wait 0 ms " +
            "(bound 1000 ms), last permit ended never (bound 3000 ms)");

        fillWindowAndAnswerOne();
        retryWaitNanos = TimeUnit.MILLISECONDS.toNanos(1500);
        passMillis(900);

        assertThat(wait.describe(nowNanos)).isEqualTo("upstream window 2 in flight of 2 (full), oldest retry wait 1500 ms " +
            "(bound 1000 ms), last permit ended 900 ms ago (bound 3000 ms)");
    }

    @Test
    void aWindowFullAMomentAgoCountsAsFullUntilItsNextRequestIsDispatched()
    {
        fillWindowAndAnswerOne();
        permits.remove(0).onSuccess();
        passMillis(500);

        assertThat(window.isFull()).isFalse();
        assertThat(wait.waiting(nowNanos)).as("a place freed by an answer, the next request not dispatched yet").isTrue();
    }

    @Test
    void aWindowLeftWithRoomForMoreThanASecondIsThisNode()
    {
        fillWindowAndAnswerOne();
        permits.remove(0).onSuccess();
        passMillis(1001);

        assertThat(wait.waiting(nowNanos)).as("an answer 1,001 ms ago, the window not full since").isFalse();
        assertThat(wait.describe(nowNanos)).contains("(not full, last full 1001 ms ago)");
    }

    @Test
    void aWindowWithRoomIsNotWaitingOnCardManagement()
    {
        permits.add(window.tryAcquire(Priority.INTERACTIVE));

        assertThat(wait.waiting(nowNanos)).as("a queue behind a free place waits on this node").isFalse();
    }

    @Test
    void aSilenceShorterThanTheAttemptTimeoutIsCardManagementsEvenPastTheForwardAgeBound()
    {
        fillWindowAndAnswerOne();
        passMillis(ATTEMPT_TIMEOUT_MS + UpstreamWait.TIMEOUT_SLACK_MS);

        assertThat(wait.waiting(nowNanos)).as("a silent card management still has its attempts dropped at their timeout").isTrue();
    }

    @Test
    void aFullWindowInWhichNothingEndsPastTheAttemptTimeoutIsThisNode()
    {
        fillWindowAndAnswerOne();
        passMillis(ATTEMPT_TIMEOUT_MS + UpstreamWait.TIMEOUT_SLACK_MS + 1);

        assertThat(wait.waiting(nowNanos)).as("the node no longer ends its own attempts").isFalse();
    }

    @Test
    void theForwardAgeBoundRulesWhenItIsTheLonger()
    {
        final UpstreamWait lenient = new UpstreamWait(window, now -> retryWaitNanos, 5000, ATTEMPT_TIMEOUT_MS);
        fillWindowAndAnswerOne();
        passMillis(5000);

        assertThat(lenient.waiting(nowNanos)).isTrue();
        passMillis(1);
        assertThat(lenient.waiting(nowNanos)).isFalse();
    }

    @Test
    void aRequestWaitingForAnotherAttemptPastTheForwardAgeBoundIsThisNode()
    {
        fillWindowAndAnswerOne();
        retryWaitNanos = TimeUnit.MILLISECONDS.toNanos(MAX_FORWARD_AGE_MS + 1);

        assertThat(wait.waiting(nowNanos)).isFalse();
    }

    private void fillWindowAndAnswerOne()
    {
        permits.add(window.tryAcquire(Priority.INTERACTIVE));
        permits.add(window.tryAcquire(Priority.INTERACTIVE));
        permits.remove(0).onSuccess();
        permits.add(window.tryAcquire(Priority.INTERACTIVE));
        assertThat(window.isFull()).isTrue();
    }

    private void passMillis(final long ms)
    {
        nowNanos += TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
