package io.chukei.gateway.conformance;

/** One of the conformance relay's two listeners, posing as a relay node: its id and {@code host:port} as views carry it. */
public record ListenerNode(int nodeId, String address)
{
}
