package io.chukei.gateway.cardsim;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One stall switch and the endpoints it silences: the simulator-wide stall covers every
 * endpoint, an endpoint's own stall covers that endpoint. Changed only on the service thread;
 * volatile so that admin and test threads can read it.
 */
final class Stall
{
    final List<UpstreamEndpoint> affected;
    volatile boolean active;
    volatile long endNs;

    Stall(final List<UpstreamEndpoint> affected)
    {
        this.affected = affected;
    }

    long remainingMs()
    {
        return active ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(endNs - System.nanoTime())) : 0;
    }
}
