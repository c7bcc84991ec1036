package io.chukei.gateway.relay;

import io.chukei.protocol.sbe.NodeState;

import java.util.List;

/** An immutable view of the cluster as sent in Welcome, GoAway and Redirect. */
public final class ClusterSnapshot
{
    /** One node as connectors see it. */
    public record Node(int nodeId, NodeState state, String address)
    {
    }

    private final List<Node> nodes;

    public ClusterSnapshot(final List<Node> nodes)
    {
        this.nodes = List.copyOf(nodes);
    }

    public int size()
    {
        return nodes.size();
    }

    public int nodeId(final int i)
    {
        return nodes.get(i).nodeId();
    }

    public NodeState state(final int i)
    {
        return nodes.get(i).state();
    }

    public String address(final int i)
    {
        return nodes.get(i).address();
    }

    public List<Node> nodes()
    {
        return nodes;
    }

    /** Upper bound of the bytes the nodes take in a message group. */
    int encodedSize()
    {
        int size = 4;
        for (final Node node : nodes)
        {
            size += 8 + node.address().length();
        }
        return size;
    }
}
