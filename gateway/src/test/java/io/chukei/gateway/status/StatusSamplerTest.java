package io.chukei.gateway.status;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.metrics.MunicipalityOutcome;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Rates from running counts, rejections by reason, and a bounded top K of municipalities by Submits. */
class StatusSamplerTest
{
    private final RelayMetrics metrics = new RelayMetrics(1);
    private final MunicipalityRateLimiter limiter = new MunicipalityRateLimiter(
        AdmissionConfig.builder().defaultRate(100_000, 100_000).build());
    private final StatusSampler sampler = new StatusSampler(metrics, limiter, 3, 4);

    @Test
    void ratesArePerSecondOverTheLatestInterval()
    {
        sampler.tick(10_000);
        for (int i = 0; i < 8; i++)
        {
            metrics.accepted();
        }
        metrics.rejected(ErrorCode.RATE_LIMITED);
        metrics.rejected(ErrorCode.RATE_LIMITED);

        sampler.tick(12_000);

        assertThat(sampler.rates().acceptedPerSec()).isCloseTo(4.0, within(1e-9));
        assertThat(sampler.rates().rejectedPerSec()).isCloseTo(1.0, within(1e-9));
        assertThat(sampler.rates().rejectedByReason()).containsOnlyKeys("RATE_LIMITED");
        assertThat(sampler.history()).singleElement().extracting(StatusSampler.RatePoint::accepted).isEqualTo(4.0);
    }

    @Test
    void theTopMunicipalitiesAreThoseWithTheMostSubmitsInTheIntervalNotSinceStart()
    {
        send("131016", 50);
        sampler.tick(0);
        send("011002", 6);
        send("422011", 4);
        send("131016", 2);
        send("100000", 1);

        sampler.tick(2_000);

        assertThat(sampler.topTraffic()).extracting(StatusSampler.Traffic::municipality)
            .containsExactly("011002", "422011", "131016");
        assertThat(sampler.topTraffic().get(0).perSec()).isEqualTo(3.0);
        assertThat(sampler.topTraffic().get(2).total()).isEqualTo(52);
    }

    @Test
    void outcomesPerMunicipalityAreThoseOfTheIntervalTheBusiestByNameTheRestAsOther()
    {
        outcome(131016, MunicipalityOutcome.ACCEPTED, 10, 0);
        outcome(11002, MunicipalityOutcome.ACCEPTED, 5, 0);
        outcome(422011, MunicipalityOutcome.ACCEPTED, 3, 0);
        outcome(100005, MunicipalityOutcome.ACCEPTED, 2, 0);
        sampler.tick(0);
        outcome(131016, MunicipalityOutcome.OK, 8, TimeUnit.MILLISECONDS.toNanos(20));
        outcome(131016, MunicipalityOutcome.OK, 2, TimeUnit.MILLISECONDS.toNanos(200));
        outcome(11002, MunicipalityOutcome.REJECTED, 4, TimeUnit.MILLISECONDS.toNanos(2));
        outcome(422011, MunicipalityOutcome.REFUSED, 2, TimeUnit.MILLISECONDS.toNanos(2));
        outcome(100005, MunicipalityOutcome.OK, 6, TimeUnit.MILLISECONDS.toNanos(2));

        sampler.tick(2_000);

        assertThat(sampler.topOutcomes()).extracting(StatusSampler.Outcomes::municipality)
            .containsExactly("131016", "100005", "011002", "other");
        final StatusSampler.Outcomes busiest = sampler.topOutcomes().get(0);
        assertThat(busiest.okPerSec()).isEqualTo(5.0);
        assertThat(busiest.p99UpToMs()).as("the bucket of the 99th of 10: 200 ms").isEqualTo(250.0);
        assertThat(sampler.topOutcomes().get(3).refusedPerSec()).as("422011, beyond the three rows").isEqualTo(1.0);
    }

    @Test
    void theP99IsTheBoundOfItsBucketOrBeyond()
    {
        assertThat(StatusSampler.p99UpToMs(new long[15])).isNull();
        final long[] slow = new long[15];
        slow[14] = 1;
        assertThat(StatusSampler.p99UpToMs(slow)).isEqualTo(-1.0);
    }

    @Test
    void theHistoryIsBounded()
    {
        for (int t = 0; t <= 10; t++)
        {
            sampler.tick(t * 2_000L);
        }

        assertThat(sampler.history()).hasSize(4);
    }

    private void send(final String municipality, final int submits)
    {
        for (int i = 0; i < submits; i++)
        {
            limiter.tryAcquire(municipality);
        }
    }

    private void outcome(final int municipality, final MunicipalityOutcome outcome, final int times, final long nanos)
    {
        for (int i = 0; i < times; i++)
        {
            metrics.municipalityOutcome(municipality, outcome, nanos);
        }
    }
}
