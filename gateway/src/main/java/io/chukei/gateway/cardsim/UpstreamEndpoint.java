package io.chukei.gateway.cardsim;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * One way into card management: a listening port with its own connections, failure switches,
 * counters and the answers its stall holds back. Every endpoint shares the one {@link
 * CardService} (dedup map, ledger, service slots), as the real system of record does. The
 * mutable parts are touched only on the service thread.
 */
final class UpstreamEndpoint
{
    final int index;
    final EndpointFaults faults;
    final CardSimStats.EndpointStats stats;
    final ChannelGroup channels;
    final Stall stall;
    final List<Runnable> held = new ArrayList<>();

    UpstreamEndpoint(final int index, final CardService service, final CardSimStats.EndpointStats stats)
    {
        this.index = index;
        this.faults = new EndpointFaults(index, service, this);
        this.stats = stats;
        this.channels = new DefaultChannelGroup("cardsim-endpoint-" + index, service.executor());
        this.stall = new Stall(List.of(this));
    }

    void autoRead(final boolean autoRead)
    {
        for (final Channel channel : channels)
        {
            channel.config().setAutoRead(autoRead);
        }
    }

    /** Returns {@code index} if it names one of {@code count} endpoints, else throws naming the range. */
    static int checkIndex(final int index, final int count)
    {
        if (index < 0 || index >= count)
        {
            throw new IllegalArgumentException("endpoint: " + index + " (expected: 0.." + (count - 1) + ")");
        }
        return index;
    }
}
