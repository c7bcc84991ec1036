package io.chukei.bench.loadgen;

import io.chukei.protocol.client.ClusterNode;
import io.chukei.protocol.client.DisconnectReason;
import io.chukei.protocol.client.NodeSelector;
import io.chukei.protocol.client.RendezvousNodeSelector;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The SDK's default node choice ({@link RendezvousNodeSelector}, with the builder's default
 * cool-down) that also tells the load generator where its connector is and which cluster view it
 * got: every decision is the delegate's, so municipalities spread and fail over exactly as the
 * SDK's. Written on the client's event loop, read by the generator's threads.
 */
final class TrackingNodeSelector implements NodeSelector
{
    /** {@code ConnectorClientBuilder}'s default {@code nodeCoolDown}. */
    static final Duration SDK_DEFAULT_COOL_DOWN = Duration.ofSeconds(5);

    private final RendezvousNodeSelector delegate;
    private volatile InetSocketAddress current;
    private volatile List<ClusterNode> lastView;
    private volatile long moves;

    TrackingNodeSelector(final String municipalityCode, final List<InetSocketAddress> nodes)
    {
        this.delegate = new RendezvousNodeSelector(municipalityCode, nodes, Clock.systemUTC(), SDK_DEFAULT_COOL_DOWN);
    }

    @Override
    public InetSocketAddress select(final DisconnectReason reason)
    {
        final InetSocketAddress next = delegate.select(reason);
        if (current != null && !current.equals(next))
        {
            moves++;
        }
        current = next;
        return next;
    }

    @Override
    public void viewReceived(final InetSocketAddress source, final int sourceNodeId, final List<ClusterNode> view)
    {
        delegate.viewReceived(source, sourceNodeId, view);
        lastView = List.copyOf(view);
    }

    @Override
    public boolean usable(final InetSocketAddress node)
    {
        return delegate.usable(node);
    }

    @Override
    public InetSocketAddress home()
    {
        return delegate.home();
    }

    /** The node connected to or being tried now; null before the first attempt. */
    InetSocketAddress current()
    {
        return current;
    }

    /** The node this municipality prefers when every node is usable. */
    InetSocketAddress firstChoice()
    {
        return delegate.ranking().get(0);
    }

    /** The latest cluster view a node sent; null until one did. */
    List<ClusterNode> lastView()
    {
        return lastView;
    }

    /** Times the connector went to a different node than the one before. */
    long moves()
    {
        return moves;
    }
}
