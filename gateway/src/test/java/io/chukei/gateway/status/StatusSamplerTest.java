package io.chukei.gateway.status;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Test;

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
}
