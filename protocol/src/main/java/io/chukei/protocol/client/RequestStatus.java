package io.chukei.protocol.client;

import io.chukei.protocol.sbe.RequestState;

import java.util.Optional;
import java.util.UUID;

/**
 * What a relay node knows about a request id, as answered to {@link ConnectorClient#status(UUID)}.
 *
 * @param state {@code COMPLETED} or {@code REJECTED} with the terminal {@code answer}; otherwise the
 *     node's intermediate state ({@code UNKNOWN} when it has never seen the id)
 * @param journalPosition the node's journal position for the request, when it reported one
 */
public record RequestStatus(UUID requestId, int nodeId, RequestState state, long journalPosition, Optional<Answer> answer)
{
}
