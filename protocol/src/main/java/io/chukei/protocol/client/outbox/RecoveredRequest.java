package io.chukei.protocol.client.outbox;

import java.util.UUID;

/**
 * A request an earlier process took but never saw finished, read back from the outbox for the SDK to send again.
 *
 * @param frame the Submit's SOFH frame as first sent; the SDK patches it (possible duplicate, attempt, deadline)
 * @param outboxIndex where the outbox holds it now (its CARRIED entry), for the answer's bookkeeping
 */
public record RecoveredRequest(UUID requestId, String municipality, long submittedAtEpochMs, long deadlineEpochMs,
    byte[] frame, long outboxIndex)
{
}
