package io.chukei.gateway.admission;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MunicipalityRateLimiterTest
{
    private static final String TOKYO_CHIYODA = "131016";
    private static final String SAPPORO = "011002";
    private static final String OSAKA = "271004";

    private final ManualClock clock = new ManualClock();

    @Test
    void aFreshBucketAdmitsTheBurstThenRateLimits()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 5));

        assertThat(acquireTimes(limiter, SAPPORO, 5)).isEqualTo(5);
        final Decision sixth = limiter.tryAcquire(SAPPORO);

        assertThat(sixth.admitted()).isFalse();
        assertThat(sixth.reason()).isEqualTo(RejectReason.RATE_LIMITED);
    }

    @Test
    void retryAfterIsBetweenTheTimeToTheNextTokenAndTwiceThat()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 1));
        limiter.tryAcquire(SAPPORO);

        assertThat(limiter.tryAcquire(SAPPORO).retryAfterMs()).isBetween(100L, 200L);
        clock.advanceMs(60);
        assertThat(limiter.tryAcquire(SAPPORO).retryAfterMs()).isBetween(40L, 80L);
    }

    @Test
    void requestsRefusedInOneBurstAreToldToComeBackAtDifferentTimes()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 1));
        limiter.tryAcquire(SAPPORO);

        final java.util.Set<Long> retryAfters = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++)
        {
            retryAfters.add(limiter.tryAcquire(SAPPORO).retryAfterMs());
        }

        // 50 draws from 101 values: all alike (a thundering herd) would be one value.
        assertThat(retryAfters).hasSizeGreaterThan(10).allSatisfy(ms -> assertThat(ms).isBetween(100L, 200L));
    }

    @Test
    void tokensRefillAtTheRateAndNeverBeyondTheBurst()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 5));
        acquireTimes(limiter, SAPPORO, 5);

        clock.advanceMs(300);
        assertThat(acquireTimes(limiter, SAPPORO, 10)).isEqualTo(3);

        clock.advanceMs(60_000);
        assertThat(limiter.availableTokens(SAPPORO)).isEqualTo(5);
    }

    @Test
    void eachMunicipalityHasItsOwnBucket()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 2));
        acquireTimes(limiter, SAPPORO, 10);

        assertThat(limiter.tryAcquire(OSAKA).admitted()).isTrue();
        assertThat(limiter.bucketCount()).isEqualTo(2);
    }

    @Test
    void aCodeOverrideBeatsItsTierWhichBeatsTheDefault()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder()
            .defaultRate(10, 3)
            .tier("large", 100, 50, TOKYO_CHIYODA, OSAKA)
            .rate(TOKYO_CHIYODA, 1000, 200));

        assertThat(acquireTimes(limiter, SAPPORO, 1000)).isEqualTo(3);
        assertThat(acquireTimes(limiter, OSAKA, 1000)).isEqualTo(50);
        assertThat(acquireTimes(limiter, TOKYO_CHIYODA, 1000)).isEqualTo(200);
    }

    @Test
    void aChangedRateAppliesToAnExistingBucket()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 5));
        acquireTimes(limiter, SAPPORO, 5);
        assertThat(limiter.tryAcquire(SAPPORO).admitted()).isFalse();

        limiter.update(limiter.config().toBuilder().rate(SAPPORO, 1000, 100).build());
        clock.advanceMs(50);

        assertThat(acquireTimes(limiter, SAPPORO, 1000)).isEqualTo(50);
        assertThat(limiter.bucketCount()).isEqualTo(1);
    }

    @Test
    void aLoweredBurstCapsTheTokensAnExistingBucketKeeps()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 100));
        limiter.tryAcquire(SAPPORO);

        limiter.update(limiter.config().toBuilder().defaultRate(10, 4).build());

        assertThat(acquireTimes(limiter, SAPPORO, 100)).isEqualTo(4);
    }

    @Test
    void aBucketIdleLongerThanTheIdleTimeAndFullIsReleased()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 5).bucketIdleMinutes(10));
        limiter.tryAcquire(SAPPORO);
        limiter.tryAcquire(OSAKA);

        clock.advanceMinutes(9);
        limiter.tryAcquire(OSAKA);
        clock.advanceMinutes(1);

        assertThat(limiter.evictIdle()).isEqualTo(1);
        assertThat(limiter.bucketCount()).isEqualTo(1);
    }

    @Test
    void anIdleBucketStillRefillingIsKeptSoReleasingNeverGrantsExtraTokens()
    {
        // 1 token per second, 1,000 burst: after 10 idle minutes the bucket holds 600 + what was left.
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(1, 1000).bucketIdleMinutes(10));
        acquireTimes(limiter, SAPPORO, 1000);

        clock.advanceMinutes(10);

        assertThat(limiter.evictIdle()).isZero();
        assertThat(limiter.availableTokens(SAPPORO)).isEqualTo(600);
    }

    @Test
    void aReleasedMunicipalityGetsAFreshFullBucket()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 5).bucketIdleMinutes(1));
        acquireTimes(limiter, SAPPORO, 5);
        clock.advanceMinutes(1);
        limiter.evictIdle();

        assertThat(acquireTimes(limiter, SAPPORO, 10)).isEqualTo(5);
    }

    @Test
    void theCodeCanBeReadStraightFromAMessageBuffer()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(10, 1));
        final UnsafeBuffer frame = new UnsafeBuffer(("xx" + SAPPORO + "yy").getBytes(StandardCharsets.US_ASCII));

        assertThat(limiter.tryAcquire(frame, 2).admitted()).isTrue();
        assertThat(limiter.tryAcquire(SAPPORO).admitted()).isFalse();
    }

    @Test
    void aCodeThatIsNotSixDigitsIsAProgrammingError()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder());

        assertThatThrownBy(() -> limiter.tryAcquire("13101x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("municipalityCode: '13101x' (expected: six ASCII digits)");
    }

    /**
     * Measured with this test (JDK 17, after warm-up, 100,000 checks): Bucket4j's
     * tryConsumeAndReturnRemaining allocated 40 bytes per check (its ConsumptionProbe); tryConsume
     * on a synchronized bucket allocates 0, so the limiter uses it and asks for an EstimationProbe
     * only when it refuses. The bound leaves room for JIT noise and still fails if a check started
     * allocating a probe, boxing a key or copying bucket state again.
     */
    @Test
    void anAdmittedCheckAllocatesNothing()
    {
        final MunicipalityRateLimiter limiter = limiter(AdmissionConfig.builder().defaultRate(1_000_000, 100_000_000));
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        acquireTimes(limiter, SAPPORO, 200_000);

        final int checks = 100_000;
        final long before = threads.getThreadAllocatedBytes(thread);
        final int admitted = acquireTimes(limiter, SAPPORO, checks);
        final long perCheck = (threads.getThreadAllocatedBytes(thread) - before) / checks;

        assertThat(admitted).isEqualTo(checks);
        assertThat(perCheck).isLessThan(8);
    }

    private MunicipalityRateLimiter limiter(final AdmissionConfig.Builder config)
    {
        return new MunicipalityRateLimiter(config.build(), clock);
    }

    private static int acquireTimes(final MunicipalityRateLimiter limiter, final String code, final int times)
    {
        int admitted = 0;
        for (int i = 0; i < times; i++)
        {
            if (limiter.tryAcquire(code).admitted())
            {
                admitted++;
            }
        }
        return admitted;
    }
}
