package io.chukei.gateway.journal;

import java.util.UUID;

/**
 * An accepted request with no terminal entry (of municipality {@code scope}): the relay forwards it again after a restart.
 * The Submit bytes are read back with {@link Journal#readAccepted(long, AcceptedView)} at {@code acceptedIndex}.
 */
public record PendingRequest(int scope, long idHi, long idLo, long acceptedIndex, long deadlineEpochMs, byte priority,
    int forwardAttempts, long fingerprint)
{
    public String requestId()
    {
        return new UUID(idHi, idLo).toString();
    }
}
