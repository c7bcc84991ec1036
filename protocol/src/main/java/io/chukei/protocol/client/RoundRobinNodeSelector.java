package io.chukei.protocol.client;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/** Starts at the first node and moves to the next one in the list whenever a session ends. */
public final class RoundRobinNodeSelector implements NodeSelector
{
    private final List<InetSocketAddress> nodes;
    private int next;

    public RoundRobinNodeSelector(final List<InetSocketAddress> nodes)
    {
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.isEmpty())
        {
            throw new IllegalArgumentException("nodes: [] (expected: at least one relay node address)");
        }
        this.nodes = List.copyOf(nodes);
    }

    @Override
    public InetSocketAddress select(final DisconnectReason reason)
    {
        final InetSocketAddress node = nodes.get(next);
        next = (next + 1) % nodes.size();
        return node;
    }
}
