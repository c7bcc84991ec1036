package io.chukei.protocol.client;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Chooses the relay node for each connection attempt. Called only on the client's event loop,
 * so implementations need no locking.
 *
 * <p>{@link RendezvousNodeSelector} is the default: each municipality's home node by rendezvous
 * hashing over the nodes believed usable. {@link RoundRobinNodeSelector} ignores the cluster view.
 */
public interface NodeSelector
{
    /**
     * The node to connect to next.
     *
     * @param reason why the previous session ended ({@link DisconnectReason#NONE} at start); when
     *     {@link DisconnectReason#isFailure()}, the node just left failed
     */
    InetSocketAddress select(DisconnectReason reason);

    /**
     * A relay node sent its cluster view (in {@code Welcome}, {@code ClusterView},
     * {@code Redirect} or {@code GoAway}). The latest view wins. Default: ignored.
     *
     * @param source the configured address the view came from
     * @param sourceNodeId the id of the node at {@code source}
     */
    default void viewReceived(final InetSocketAddress source, final int sourceNodeId, final List<ClusterNode> view)
    {
    }

    /**
     * Whether {@code node} is believed to serve now. A move to a different usable node goes at
     * once; any other reconnect backs off. Default: true.
     */
    default boolean usable(final InetSocketAddress node)
    {
        return true;
    }

    /**
     * The node this client should be on now, or null for no preference. When it differs from the
     * current node and nothing is unresolved, the client moves there (lazy rebalance). Default: null.
     */
    default InetSocketAddress home()
    {
        return null;
    }
}
