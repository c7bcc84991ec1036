package io.chukei.gateway.relay;

import io.chukei.gateway.admission.PreHelloLimiter;
import io.chukei.gateway.admission.PreHelloMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listening channel's admission, with an embedded channel standing in for the listener and
 * embedded channels for the accepted connections (all from one address, the embedded one).
 */
class PreHelloAdmissionTest
{
    private final PreHelloLimiter limiter = new PreHelloLimiter(10, 2);
    private final PreHelloMetrics metrics = new PreHelloMetrics(new SimpleMeterRegistry(), limiter);
    private final EmbeddedChannel listener = new EmbeddedChannel(new PreHelloAdmission(limiter, metrics));
    private final List<EmbeddedChannel> accepted = new ArrayList<>();

    @AfterEach
    void closeEverything()
    {
        accepted.forEach(EmbeddedChannel::finishAndReleaseAll);
        listener.finishAndReleaseAll();
    }

    @Test
    void connectionsWithinTheBoundsAreHandedOnWithTheirPlace()
    {
        final EmbeddedChannel connection = accept();

        assertThat((Channel)listener.readInbound()).isSameAs(connection);
        assertThat(connection.attr(PreHelloAdmission.PLACE).get()).isNotNull();
        assertThat(limiter.total()).isEqualTo(1);
    }

    @Test
    void aConnectionOverItsAddressBoundIsClosedAtOnceAndCounted()
    {
        accept();
        accept();

        final EmbeddedChannel third = accept();

        assertThat(third.isOpen()).isFalse();
        assertThat(listener.inboundMessages()).hasSize(2);
        assertThat(metrics.refusedCount(PreHelloLimiter.Admission.OVER_ADDRESS_BOUND)).isEqualTo(1);
        assertThat(limiter.total()).isEqualTo(2);
    }

    @Test
    void closingAnAdmittedConnectionGivesItsPlaceBackEvenWithoutAPipeline()
    {
        final EmbeddedChannel connection = accept();

        connection.close();

        assertThat(limiter.total()).isZero();
        assertThat(accept().isOpen()).isTrue();
    }

    private EmbeddedChannel accept()
    {
        final EmbeddedChannel connection = new EmbeddedChannel();
        accepted.add(connection);
        listener.writeInbound(connection);
        return connection;
    }
}
