package io.chukei.gateway.admission;

import com.netflix.concurrency.limits.limit.FixedLimit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamLimiterTest
{
    private final ManualClock clock = new ManualClock();

    @Test
    void theWindowShrinksWhenUpstreamLatencyGrows()
    {
        final UpstreamLimiter limiter = new UpstreamLimiter(
            AdmissionConfig.builder().upstreamLimits(20, 2, 200).build(), clock);
        runRounds(limiter, 200, 10);
        final int limitWhenFast = limiter.currentLimit();

        runRounds(limiter, 1, 200);

        assertThat(limitWhenFast).isGreaterThan(20);
        assertThat(limiter.currentLimit()).isLessThan(limitWhenFast / 4);
    }

    @Test
    void theWindowGrowsWhileLatencyStaysLowAndTheWindowIsUsed()
    {
        final UpstreamLimiter limiter = new UpstreamLimiter(
            AdmissionConfig.builder().upstreamLimits(10, 2, 100).build(), clock);

        runRounds(limiter, 50, 5);

        assertThat(limiter.currentLimit()).isGreaterThan(10);
    }

    @Test
    void timedOutRequestsShrinkTheWindow()
    {
        final UpstreamLimiter limiter = new UpstreamLimiter(
            AdmissionConfig.builder().upstreamLimits(20, 2, 100).build(), clock);
        runRounds(limiter, 50, 10);
        final int limitWhenFast = limiter.currentLimit();

        final List<UpstreamLimiter.Permit> permits = takeAll(limiter, Priority.INTERACTIVE);
        clock.advanceMs(2000);
        permits.forEach(UpstreamLimiter.Permit::onDropped);

        assertThat(limiter.currentLimit()).isLessThan(limitWhenFast / 4);
    }

    @Test
    void ignoredPermitsLeaveTheWindowAsItWas()
    {
        final UpstreamLimiter limiter = new UpstreamLimiter(
            AdmissionConfig.builder().upstreamLimits(20, 2, 100).build(), clock);
        runRounds(limiter, 50, 10);
        final int limitWhenFast = limiter.currentLimit();

        final List<UpstreamLimiter.Permit> permits = takeAll(limiter, Priority.INTERACTIVE);
        clock.advanceMs(2000);
        permits.forEach(UpstreamLimiter.Permit::onIgnore);

        assertThat(limiter.currentLimit()).isEqualTo(limitWhenFast);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void interactiveMayFillTheWholeWindow()
    {
        final UpstreamLimiter limiter = fixed(10, 0.3);

        assertThat(takeAll(limiter, Priority.INTERACTIVE)).hasSize(10);
        assertThat(limiter.tryAcquire(Priority.INTERACTIVE)).isNull();
    }

    @Test
    void batchIsShedAtItsShareOfTheWindowWhileInteractiveStillGoes()
    {
        final UpstreamLimiter limiter = fixed(10, 0.3);

        assertThat(takeAll(limiter, Priority.BATCH)).hasSize(3);
        assertThat(takeAll(limiter, Priority.INTERACTIVE)).hasSize(7);
        assertThat(limiter.inFlight(Priority.BATCH)).isEqualTo(3);
        assertThat(limiter.inFlight(Priority.INTERACTIVE)).isEqualTo(7);
    }

    @Test
    void aWindowFullOfInteractiveWorkShedsBatchToo()
    {
        final UpstreamLimiter limiter = fixed(10, 0.3);
        takeAll(limiter, Priority.INTERACTIVE);

        assertThat(limiter.tryAcquire(Priority.BATCH)).isNull();
        assertThat(limiter.inFlight(Priority.BATCH)).isZero();
    }

    @Test
    void batchKeepsOneSlotInATinyWindow()
    {
        final UpstreamLimiter limiter = fixed(2, 0.3);

        assertThat(takeAll(limiter, Priority.BATCH)).hasSize(1);
    }

    @Test
    void endingAPermitFreesItsPlaceOnce()
    {
        final UpstreamLimiter limiter = fixed(2, 0.5);
        final UpstreamLimiter.Permit permit = limiter.tryAcquire(Priority.BATCH);

        permit.onSuccess();
        permit.onDropped();
        permit.onIgnore();

        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.inFlight(Priority.BATCH)).isZero();
    }

    @Test
    void aWindowInUseToTheLimitIsFullAndRemembersWhenCardManagementLastAnswered()
    {
        final UpstreamLimiter limiter = fixed(3, 0.5);
        assertThat(limiter.lastEndedNanos()).isEqualTo(Long.MIN_VALUE);
        final List<UpstreamLimiter.Permit> permits = takeAll(limiter, Priority.INTERACTIVE);
        assertThat(limiter.isFull()).isTrue();

        clock.advanceMs(300);
        permits.get(0).onSuccess();

        assertThat(limiter.isFull()).isFalse();
        assertThat(limiter.lastEndedNanos()).isEqualTo(clock.getAsLong());
    }

    @Test
    void anIgnoredPermitSaysNothingAboutCardManagementAnswering()
    {
        final UpstreamLimiter limiter = fixed(3, 0.5);

        limiter.tryAcquire(Priority.INTERACTIVE).onIgnore();

        assertThat(limiter.lastEndedNanos()).isEqualTo(Long.MIN_VALUE);
    }

    private UpstreamLimiter fixed(final int limit, final double batchShare)
    {
        return new UpstreamLimiter(FixedLimit.of(limit), batchShare, clock);
    }

    /** Fills the window, waits {@code rttMs}, answers every request; {@code rounds} times. */
    private void runRounds(final UpstreamLimiter limiter, final int rounds, final long rttMs)
    {
        for (int round = 0; round < rounds; round++)
        {
            final List<UpstreamLimiter.Permit> permits = takeAll(limiter, Priority.INTERACTIVE);
            clock.advanceMs(rttMs);
            permits.forEach(UpstreamLimiter.Permit::onSuccess);
        }
    }

    private static List<UpstreamLimiter.Permit> takeAll(final UpstreamLimiter limiter, final Priority priority)
    {
        final List<UpstreamLimiter.Permit> permits = new ArrayList<>();
        UpstreamLimiter.Permit permit;
        while ((permit = limiter.tryAcquire(priority)) != null)
        {
            permits.add(permit);
        }
        return permits;
    }
}
