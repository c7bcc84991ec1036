package io.chukei.gateway.reconcile;

/**
 * One finding. {@code requestId} is null for a batch finding; {@code batchId} null outside a batch, with
 * {@code batchSequence} 0.
 *
 * @param municipality the 6-digit municipality code, or "-" when the entry named none
 */
public record Discrepancy(DiscrepancyKind kind, String municipality, String requestId, Long batchId, long batchSequence,
    String detail)
{
}
