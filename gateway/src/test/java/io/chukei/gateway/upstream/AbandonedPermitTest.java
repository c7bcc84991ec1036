package io.chukei.gateway.upstream;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.Priority;
import io.chukei.gateway.admission.UpstreamLimiter;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.InFlightRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request whose deadline passes while it waits to be sent (another attempt, no endpoint) gives
 * its upstream window place back. Before this, each such request kept its place for good and
 * under overload the window leaked down to nothing (found at 10,000 requests/s: throughput fell to 0).
 */
class AbandonedPermitTest
{
    private final UpstreamPool pool = new UpstreamPool(1, List.of(), null,
        new UpstreamPool.Settings(2000, 250, 4, 20, 1000, 5, 2000, 50, 3.0, 1), 1024, null, null, new RelayMetrics(1),
        Clock.systemUTC(), null, NioSocketChannel.class);
    private final UpstreamLimiter limiter = new UpstreamLimiter(AdmissionConfig.defaults());
    private final AtomicInteger placesFreed = new AtomicInteger();

    @Test
    void aRequestThatEndedBeforeItsRetryGivesItsPlaceBack()
    {
        pool.onPermitEnded(placesFreed::incrementAndGet);
        final InFlightRequest request = InFlightRequest.of(131016, 1, 2, Unpooled.EMPTY_BUFFER, 0, Long.MAX_VALUE,
            System.nanoTime(), null, false);
        request.permit(limiter.tryAcquire(Priority.INTERACTIVE));
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(request.complete()).isTrue();
        // The hold the way upstream takes over from Forwarding.forward; giving the request up drops it.
        request.hold();

        pool.retry(request, 1);

        assertThat(limiter.inFlight()).isZero();
        assertThat(placesFreed.get()).isEqualTo(1);
        assertThat(request.takePermit()).isNull();
    }

    @Test
    void abandoningTwiceFreesThePlaceOnce()
    {
        pool.onPermitEnded(placesFreed::incrementAndGet);
        final InFlightRequest request = InFlightRequest.of(131016, 3, 4, Unpooled.EMPTY_BUFFER, 0, Long.MAX_VALUE,
            System.nanoTime(), null, false);
        request.permit(limiter.tryAcquire(Priority.INTERACTIVE));
        request.complete();

        pool.abandon(request);
        pool.abandon(request);

        assertThat(limiter.inFlight()).isZero();
        assertThat(placesFreed.get()).isEqualTo(1);
    }
}
