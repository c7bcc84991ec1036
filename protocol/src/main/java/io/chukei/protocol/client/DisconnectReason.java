package io.chukei.protocol.client;

/** Why the client is about to (re)connect; a {@link NodeSelector} may pick its next node by it. */
public enum DisconnectReason
{
    /** First connection of the client. */
    NONE,
    /** TCP connect or TLS handshake failed. */
    CONNECT_FAILED,
    /** No {@code Welcome} within the handshake timeout. */
    HANDSHAKE_TIMEOUT,
    /** The connection closed or failed without notice. */
    CONNECTION_LOST,
    /** Nothing received for the missed-heartbeat limit times the heartbeat interval (a hung node). */
    MISSED_HEARTBEATS,
    /** The node sent {@code GoAway}. */
    GO_AWAY,
    /** The node answered a request with {@code Redirect}: it takes no new work. */
    REDIRECT,
    /** The node sent something this SDK cannot read. */
    PROTOCOL_ERROR,
    /**
     * A request sent on the session got no {@code Accepted}, {@code Rejected} or {@code Result}
     * within the per-attempt timeout: the node takes bytes but does not serve.
     */
    ATTEMPT_TIMEOUT,
    /** Not a failure: the session was idle and the municipality's home node is usable again. */
    REBALANCE;

    /** Whether the node left for this reason should be avoided for a while. */
    public boolean isFailure()
    {
        return this != NONE && this != REBALANCE;
    }
}
