package io.chukei.protocol.client;

import io.chukei.protocol.sbe.NodeState;

import java.util.Objects;

/**
 * One entry of the cluster view a relay node sends in {@code Welcome}, {@code ClusterView},
 * {@code Redirect} and {@code GoAway}.
 *
 * @param nodeId the node's id in the cluster list
 * @param state the node's state as the sending node sees it
 * @param address the node's connector listener as {@code host:port}
 */
public record ClusterNode(int nodeId, NodeState state, String address)
{
    public ClusterNode
    {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(address, "address");
    }
}
