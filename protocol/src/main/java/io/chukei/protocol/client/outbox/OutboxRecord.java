package io.chukei.protocol.client.outbox;

/**
 * What a connector's outbox knows of one request, as {@link OutboxRecords#forEach} reads it.
 *
 * @param requestId the request id in its canonical text form ({@code UUID.toString()})
 * @param municipality the 6-digit municipality code
 * @param batchId the batch id in decimal, or null when the request is not a batch member
 * @param batchSequence 1-based position in the batch, 0 when not a batch member
 * @param batchSize declared batch size, 0 when not a batch member
 * @param submittedAtEpochMs when the SDK took the request (before its first send)
 * @param finalAnswer null while unresolved; else {@code OK} or {@code REFUSED} (a Result's status) or the
 *     Rejected's code name (e.g. {@code DEADLINE_EXCEEDED}, also when the SDK made it)
 */
public record OutboxRecord(String requestId, String municipality, String batchId, int batchSequence, int batchSize,
    long submittedAtEpochMs, String finalAnswer)
{
}
