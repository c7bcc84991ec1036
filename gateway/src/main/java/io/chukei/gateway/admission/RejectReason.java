package io.chukei.gateway.admission;

/** Why admission turned something away; the first two map to the wire's ErrorCode of the same name. */
public enum RejectReason
{
    /** The municipality is over its request rate; retry after the hint. */
    RATE_LIMITED,
    /** The queues toward card management are full (this municipality's or the node's); retry after the hint. */
    OVERLOADED,
    /** The municipality already has its maximum number of connections. */
    TOO_MANY_CONNECTIONS
}
