package io.chukei.protocol.client;

import java.net.InetSocketAddress;

/**
 * Chooses the relay node for each connection attempt. Called only on the client's event loop,
 * so implementations need no locking.
 *
 * <p>{@link RoundRobinNodeSelector} is the default; a selector that picks a municipality's home
 * node by rendezvous hashing over the nodes it believes usable plugs in here.
 */
public interface NodeSelector
{
    /**
     * The node to connect to next.
     *
     * @param reason why the previous session ended ({@link DisconnectReason#NONE} at start)
     */
    InetSocketAddress select(DisconnectReason reason);
}
