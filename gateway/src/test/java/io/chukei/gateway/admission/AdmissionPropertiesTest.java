package io.chukei.gateway.admission;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionPropertiesTest
{
    @Test
    void noAdmissionKeysMeansTheDefaults()
    {
        final AdmissionConfig config = AdmissionProperties.parse(properties("connector.listen", "127.0.0.1:7400"));

        assertThat(config.defaultRate()).isEqualTo(new AdmissionConfig.Rate(20, 40));
        assertThat(config.queuePerMunicipality()).isEqualTo(200);
        assertThat(config.queueTotal()).isEqualTo(20_000);
        assertThat(config.batchShare()).isEqualTo(0.3);
        assertThat(config.batchMinShare()).isEqualTo(0.1);
        assertThat(config.connectionsPerMunicipality()).isEqualTo(8);
        assertThat(config.preHelloTotal()).isEqualTo(512);
        assertThat(config.preHelloPerAddress()).isEqualTo(32);
    }

    @Test
    void everyKeyIsRead()
    {
        final AdmissionConfig config = AdmissionProperties.parse(properties(
            "admission.rate.default", "10", "admission.burst.default", "30",
            "admission.rate.131016", "100", "admission.burst.131016", "150",
            "admission.tier.large", "131016, 271004", "admission.rate.tier.large", "200", "admission.burst.tier.large", "400",
            "admission.bucket.idleMinutes", "5",
            "admission.queue.perMunicipality", "50", "admission.queue.total", "5000",
            "admission.queue.retryAfterMinMs", "10", "admission.queue.retryAfterMaxMs", "9000",
            "admission.batchShare", "0.5", "admission.batchMinShare", "0.05",
            "admission.upstream.initialLimit", "30", "admission.upstream.minLimit", "3", "admission.upstream.maxLimit", "300",
            "admission.connections.perMunicipality", "4", "admission.connections.preHello", "64",
            "admission.connections.preHelloPerAddress", "8",
            "admission.metrics.topK", "7"));

        assertThat(config.rateFor("131016")).isEqualTo(new AdmissionConfig.Rate(100, 150));
        assertThat(config.rateFor("271004")).isEqualTo(new AdmissionConfig.Rate(200, 400));
        assertThat(config.rateFor("011002")).isEqualTo(new AdmissionConfig.Rate(10, 30));
        assertThat(config.bucketIdleMinutes()).isEqualTo(5);
        assertThat(config.queueTotal()).isEqualTo(5000);
        assertThat(config.retryAfterMaxMs()).isEqualTo(9000);
        assertThat(config.batchMinShare()).isEqualTo(0.05);
        assertThat(config.upstreamInitialLimit()).isEqualTo(30);
        assertThat(config.preHelloTotal()).isEqualTo(64);
        assertThat(config.preHelloPerAddress()).isEqualTo(8);
        assertThat(config.metricsTopK()).isEqualTo(7);
    }

    @Test
    void aPreHelloBoundPerAddressAboveTheTotalIsRefused()
    {
        assertThatThrownBy(() -> parse("admission.connections.preHello", "16", "admission.connections.preHelloPerAddress", "17"))
            .hasMessage("admission.connections.preHelloPerAddress: 17 (expected: <= admission.connections.preHello, 16)");
    }

    @Test
    void aSmallTotalAloneLowersTheDefaultPerAddressBoundToIt()
    {
        final AdmissionConfig config = AdmissionProperties.parse(properties("admission.connections.preHello", "10"));

        assertThat(config.preHelloPerAddress()).isEqualTo(10);
    }

    @Test
    void theRenamedHandshakingKeyNamesItsSuccessor()
    {
        assertThatThrownBy(() -> parse("admission.connections.handshaking", "256"))
            .hasMessageStartingWith("admission.connections.handshaking: renamed (expected: admission.connections.preHello");
    }

    @Test
    void aRateWithoutItsBurstKeepsTheDefaultBurstRatio()
    {
        final AdmissionConfig config = AdmissionProperties.parse(properties(
            "admission.rate.default", "20", "admission.burst.default", "50", "admission.rate.131016", "7"));

        assertThat(config.rateFor("131016")).isEqualTo(new AdmissionConfig.Rate(7, 18));
    }

    @Test
    void aMisspeltKeyIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.queue.perMunicipalty", "10"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("admission.queue.perMunicipalty: unknown admission key (expected one of: [");
    }

    @Test
    void aValueOutOfRangeNamesKeyValueAndRange()
    {
        assertThatThrownBy(() -> parse("admission.rate.default", "0"))
            .hasMessage("admission.rate.default: 0 (expected: 1..1000000)");
    }

    @Test
    void aValueThatIsNotANumberIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.queue.total", "lots"))
            .hasMessage("admission.queue.total: 'lots' (expected: an integer)");
    }

    @Test
    void aShareOutsideItsRangeIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.batchShare", "0"))
            .hasMessage("admission.batchShare: 0 (expected: > 0 and <= 1)");
        assertThatThrownBy(() -> parse("admission.batchMinShare", "1"))
            .hasMessage("admission.batchMinShare: 1 (expected: >= 0 and < 1)");
    }

    @Test
    void aRateKeyThatIsNotACodeIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.rate.13101", "5"))
            .hasMessage("admission.rate.13101: '13101' is not a municipality code " +
                "(expected: admission.rate.<6 digits>, .default or .tier.<name>)");
    }

    @Test
    void aBadCodeInATierIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.tier.large", "131016,27100X", "admission.rate.tier.large", "5"))
            .hasMessage("admission.tier.large: '27100X' (expected: 6-digit municipality codes separated by commas)");
    }

    @Test
    void aTierWithoutARateIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.tier.large", "131016"))
            .hasMessage("admission.tier.large: no rate (expected: admission.rate.tier.large=<requests per second>)");
    }

    @Test
    void aTierRateWithoutTheTierIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.rate.tier.huge", "500"))
            .hasMessage("admission.rate.tier.huge: no tier 'huge' (expected: admission.tier.huge=code[,code...])");
    }

    @Test
    void aCodeInTwoTiersIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.tier.a", "131016", "admission.tier.b", "131016",
            "admission.rate.tier.a", "5", "admission.rate.tier.b", "6"))
            .hasMessage("admission.tier.b: code 131016 is already in admission.tier.a (expected: each code in at most one tier)");
    }

    @Test
    void aBurstWithoutItsRateIsNamed()
    {
        assertThatThrownBy(() -> parse("admission.burst.131016", "5"))
            .hasMessage("admission.burst.131016: set without admission.rate.131016 (expected: both, or the rate alone)");
    }

    @Test
    void boundsThatContradictEachOtherAreNamed()
    {
        assertThatThrownBy(() -> parse("admission.queue.perMunicipality", "300", "admission.queue.total", "200"))
            .hasMessage("admission.queue.total: 200 (expected: >= admission.queue.perMunicipality, 300)");
        assertThatThrownBy(() -> parse("admission.upstream.minLimit", "10", "admission.upstream.initialLimit", "5"))
            .hasMessage("admission.upstream.initialLimit: 5 (expected: 10..1000)");
    }

    @Test
    void theBuilderNamesTheFieldAndWhatWasExpected()
    {
        assertThatThrownBy(() -> AdmissionConfig.builder().defaultRate(0, 10).build())
            .hasMessage("defaultRatePerSecond: 0 (expected: > 0)");
        assertThatThrownBy(() -> AdmissionConfig.builder().queueBounds(10, 5).build())
            .hasMessage("queueTotal: 5 (expected: >= queuePerMunicipality, 10)");
        assertThatThrownBy(() -> AdmissionConfig.builder().rate("1310", 5, 5))
            .hasMessage("code: '1310' (expected: a 6-digit municipality code)");
    }

    @Test
    void aConfigSurvivesTheRoundTripThroughItsBuilder()
    {
        final AdmissionConfig config = AdmissionConfig.builder()
            .tier("large", 200, 400, "131016").rate("011002", 50, 60).batchMinShare(0.2).build();

        assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
    }

    private static AdmissionConfig parse(final String... keysAndValues)
    {
        return AdmissionProperties.parse(properties(keysAndValues));
    }

    private static Properties properties(final String... keysAndValues)
    {
        final Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
