package io.chukei.gateway.journal;

import java.util.UUID;

/**
 * An accepted request with no terminal entry (of municipality {@code scope}): the relay forwards it again after a restart.
 * {@code forwardAttempts} is the highest attempt journaled before the restart; {@code outcomeUnknown} says its deadline
 * passed after a forward (journaled OUTCOME_UNKNOWN), so it is still to be resolved, never to be rejected.
 * The Submit bytes are read back with {@link Journal#readAccepted(long, AcceptedView)} at {@code acceptedIndex}.
 */
public record PendingRequest(int scope, long idHi, long idLo, long acceptedIndex, long deadlineEpochMs, byte priority,
    int forwardAttempts, long fingerprint, boolean outcomeUnknown)
{
    public String requestId()
    {
        return new UUID(idHi, idLo).toString();
    }
}
