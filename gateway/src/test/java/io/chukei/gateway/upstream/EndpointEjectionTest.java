package io.chukei.gateway.upstream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointEjectionTest
{
    private static final long FAST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private long nowNanos = 5_000_000_000L;
    private final boolean[] connected = {true, true, true, true};
    private final List<String> ejections = new ArrayList<>();

    @Test
    void fiveFailedAttemptsInARowEjectTheEndpoint()
    {
        final EndpointEjection ejection = ejection(4, 50);

        fail(ejection, 0, 4);
        assertThat(ejection.isEjected(0)).as("four failures are not yet five").isFalse();
        fail(ejection, 0, 1);

        assertThat(ejection.isEjected(0)).isTrue();
        assertThat(ejection.ejectedCount()).isEqualTo(1);
        assertThat(ejections).containsExactly("0 ERRORS 2000 ms");
    }

    @Test
    void anAnswerEndsTheRunOfFailures()
    {
        final EndpointEjection ejection = ejection(4, 50);

        fail(ejection, 0, 4);
        ejection.succeeded(0, FAST_NANOS);
        fail(ejection, 0, 4);

        assertThat(ejection.isEjected(0)).isFalse();
    }

    @Test
    void anEndpointMuchSlowerThanTheOthersIsEjectedAsAnOutlier()
    {
        final EndpointEjection ejection = ejection(4, 50);

        answer(ejection, 1, 20, FAST_NANOS);
        answer(ejection, 2, 20, FAST_NANOS * 2);
        answer(ejection, 3, 20, FAST_NANOS);
        answer(ejection, 0, 19, FAST_NANOS * 4);
        assertThat(ejection.isEjected(0)).as("19 samples are too few to judge").isFalse();
        answer(ejection, 0, 1, FAST_NANOS * 4);

        assertThat(ejection.isEjected(0)).as("mean 40 ms > 3 x median 10 ms").isTrue();
        assertThat(ejections).containsExactly("0 OUTLIER 2000 ms");
    }

    @Test
    void anEndpointSlowerButWithinTheFactorStays()
    {
        final EndpointEjection ejection = ejection(4, 50);

        answer(ejection, 1, 20, FAST_NANOS);
        answer(ejection, 2, 20, FAST_NANOS);
        answer(ejection, 0, 32, FAST_NANOS * 3);

        assertThat(ejection.isEjected(0)).as("30 ms is not more than 3 x 10 ms").isFalse();
    }

    @Test
    void noMoreThanTheMaximumPercentageIsEjectedAtOnce()
    {
        final EndpointEjection ejection = ejection(4, 50);

        fail(ejection, 0, 5);
        fail(ejection, 1, 5);
        fail(ejection, 2, 5);

        assertThat(ejection.ejectedCount()).as("50% of 4").isEqualTo(2);
        assertThat(ejection.isEjected(2)).isFalse();
    }

    @Test
    void theLastConnectedEndpointIsNeverEjected()
    {
        final EndpointEjection ejection = ejection(2, 100);
        connected[1] = false;

        fail(ejection, 0, 50);

        assertThat(ejection.isEjected(0)).as("endpoint 1 is down: 0 is the only one left").isFalse();
        assertThat(ejections).isEmpty();
    }

    @Test
    void aSingleEndpointIsNeverEjected()
    {
        final EndpointEjection ejection = ejection(1, 100);

        fail(ejection, 0, 50);

        assertThat(ejection.isEjected(0)).isFalse();
    }

    @Test
    void anEjectionEndsAfterItsDuration()
    {
        final EndpointEjection ejection = ejection(4, 50);
        fail(ejection, 0, 5);

        advanceMs(1999);
        assertThat(ejection.isEjected(0)).isTrue();
        advanceMs(1);

        assertThat(ejection.isEjected(0)).isFalse();
        assertThat(ejection.ejectedCount()).isZero();
    }

    @Test
    void eachRepeatedEjectionLastsTwiceAsLongUpTo30Seconds()
    {
        final EndpointEjection ejection = ejection(4, 50);

        for (int i = 0; i < 6; i++)
        {
            fail(ejection, 0, 5);
            advanceMs(30_000);
        }

        assertThat(ejections).containsExactly("0 ERRORS 2000 ms", "0 ERRORS 4000 ms", "0 ERRORS 8000 ms",
            "0 ERRORS 16000 ms", "0 ERRORS 30000 ms", "0 ERRORS 30000 ms");
    }

    @Test
    void anEndpointThatBehavedLongAfterItsLastEjectionStartsAgainFromTheBaseDuration()
    {
        final EndpointEjection ejection = ejection(4, 50);
        fail(ejection, 0, 5);
        advanceMs(2000);
        fail(ejection, 0, 5);

        advanceMs(4000 + 30_000);
        fail(ejection, 0, 5);

        assertThat(ejections).containsExactly("0 ERRORS 2000 ms", "0 ERRORS 4000 ms", "0 ERRORS 2000 ms");
    }

    @Test
    void failuresOfAttemptsStillInFlightWhenEjectedDoNotCountAgain()
    {
        final EndpointEjection ejection = ejection(4, 50);
        fail(ejection, 0, 5);
        fail(ejection, 0, 4);

        advanceMs(2000);
        fail(ejection, 0, 1);

        assertThat(ejection.isEjected(0)).as("a fresh run of one failure").isFalse();
    }

    private EndpointEjection ejection(final int endpoints, final int maxEjectionPercent)
    {
        return new EndpointEjection(endpoints, new EndpointEjection.Settings(5, 2000, maxEjectionPercent, 3.0),
            () -> nowNanos, i -> connected[i],
            (endpoint, cause, durationMs, why) -> ejections.add(endpoint + " " + cause + " " + durationMs + " ms"));
    }

    private static void fail(final EndpointEjection ejection, final int endpoint, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            ejection.failed(endpoint, "attempt timeout");
        }
    }

    private static void answer(final EndpointEjection ejection, final int endpoint, final int times, final long nanos)
    {
        for (int i = 0; i < times; i++)
        {
            ejection.succeeded(endpoint, nanos);
        }
    }

    private void advanceMs(final long ms)
    {
        nowNanos += TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
