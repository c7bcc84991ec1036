package io.chukei.gateway.reconcile;

import java.util.Map;

/**
 * What a run looked at and found.
 *
 * @param journalFacts request entries read from the journals (ACCEPTED, COMPLETED, OUTCOME_UNKNOWN, final REJECTED)
 * @param requests requests (municipality, request id) within the date and municipality asked for
 * @param byKind discrepancies per kind, every kind present (0 when none)
 * @param spilledRuns sort runs written to disk (0: everything fit in one chunk)
 */
public record ReconcileSummary(long journalFacts, long damagedJournalEntries, long exportLines, long connectorRecords,
    long requests, long discrepancies, Map<DiscrepancyKind, Long> byKind, int batches, int incompleteBatches,
    int spilledRuns, long elapsedMs)
{
    /** Nothing to report: no discrepancy, and every journal entry read (none left out for failing its checksum). */
    public boolean reconciled()
    {
        return discrepancies == 0 && damagedJournalEntries == 0;
    }
}
