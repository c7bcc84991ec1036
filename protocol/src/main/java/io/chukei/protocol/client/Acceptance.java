package io.chukei.protocol.client;

import io.chukei.protocol.sbe.Durability;

import java.util.UUID;

/**
 * A relay node's acknowledgement that a request is in its journal at {@code durability}: from
 * here on the relay, not the connector, is responsible for reaching a terminal answer.
 *
 * @param alreadyKnown true when the node had journaled this request id before (a resend)
 */
public record Acceptance(UUID requestId, int nodeId, long journalPosition, Durability durability, boolean alreadyKnown)
{
}
