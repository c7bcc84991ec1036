package io.chukei.gateway.reconcile;

/**
 * A connector's record of one request it sent, as its durable outbox keeps it (the SDK's
 * {@code io.chukei.protocol.client.outbox.OutboxRecord}, field for field).
 *
 * @param batchId the batch id in decimal (unsigned 64-bit), null when not a batch member
 * @param finalAnswer null while unresolved; else "OK", "REFUSED", or the Rejected code name
 */
public record ConnectorRecord(String requestId, String municipality, String batchId, int batchSequence, int batchSize,
    long submittedAtEpochMs, String finalAnswer)
{
    static final int UNRESOLVED = 0;
    static final int OK = 1;
    static final int REFUSED = 2;
    static final int REJECTED = 3;

    /** The final answer as a small code for the sort records. */
    int answerCode()
    {
        if (finalAnswer == null)
        {
            return UNRESOLVED;
        }
        return switch (finalAnswer)
        {
            case "OK" -> OK;
            case "REFUSED" -> REFUSED;
            default -> REJECTED;
        };
    }
}
