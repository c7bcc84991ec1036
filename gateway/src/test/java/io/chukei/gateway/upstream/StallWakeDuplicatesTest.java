package io.chukei.gateway.upstream;

import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.InFlightRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** After waking from a stall, requests accepted before it go upstream as possible duplicates; later ones do not. */
class StallWakeDuplicatesTest
{
    private final UpstreamPool pool = new UpstreamPool(1, List.of(), null,
        new UpstreamPool.Settings(2000, 250, 4, 20, 1000, 5, 2000, 50, 3.0, 1), 1024, null, null, new RelayMetrics(1),
        Clock.systemUTC(), null, NioSocketChannel.class);

    @Test
    void nothingIsFlaggedBeforeAnyStall()
    {
        assertThat(pool.acceptedBeforeStall(acceptedNow())).isFalse();
    }

    @Test
    void requestsAcceptedBeforeTheWakeAreFlaggedAndLaterOnesAreNot()
    {
        final InFlightRequest before = acceptedNow();

        pool.flagPossibleDuplicatesAcceptedBeforeNow();
        final InFlightRequest after = acceptedNow();

        assertThat(pool.acceptedBeforeStall(before)).isTrue();
        assertThat(pool.acceptedBeforeStall(after)).isFalse();
    }

    private static InFlightRequest acceptedNow()
    {
        final long receivedNanos = System.nanoTime();
        // nanoTime can repeat on coarse clocks: wait until it moves so "before" and "after" differ.
        while (System.nanoTime() == receivedNanos)
        {
            Thread.onSpinWait();
        }
        return InFlightRequest.of(131016, 1, 2, Unpooled.EMPTY_BUFFER, 0, Long.MAX_VALUE, receivedNanos, null,
            false);
    }
}
