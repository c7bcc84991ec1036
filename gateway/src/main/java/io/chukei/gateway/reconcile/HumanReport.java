package io.chukei.gateway.reconcile;

import java.io.PrintWriter;
import java.util.Map;

/** The report for people: what was compared, one line per finding as found, then counts and the verdict. */
public final class HumanReport implements ReportSink
{
    private final PrintWriter out;

    public HumanReport(final PrintWriter out)
    {
        this.out = out;
    }

    @Override
    public void begin(final ReconcileScope scope)
    {
        out.println("reconcile " + scope.date() + " (" + scope.zone() + "), municipality " +
            (scope.municipality() < 0 ? "all" : RequestGroup.municipality(scope.municipality())));
        out.println("  journals:          " + scope.journals());
        out.println("  upstream export:   " + scope.upstreamExport());
        out.println("  connector records: " + (scope.connectorRecords().isEmpty() ? "none" : scope.connectorRecords()));
        out.flush();
    }

    @Override
    public void discrepancy(final Discrepancy discrepancy)
    {
        final StringBuilder line = new StringBuilder(160)
            .append(String.format("%-21s", discrepancy.kind().name()))
            .append(discrepancy.municipality());
        if (discrepancy.requestId() != null)
        {
            line.append(' ').append(discrepancy.requestId());
        }
        if (discrepancy.batchId() != null)
        {
            line.append(" batch ").append(Long.toUnsignedString(discrepancy.batchId()));
            if (discrepancy.batchSequence() > 0)
            {
                line.append(" #").append(discrepancy.batchSequence());
            }
        }
        out.println(line.append(": ").append(discrepancy.detail()));
    }

    @Override
    public void end(final ReconcileSummary summary)
    {
        out.println("compared " + summary.requests() + " requests of the day (" + summary.journalFacts() +
            " journal request entries, " + summary.exportLines() + " export lines, " + summary.connectorRecords() +
            " connector records) and " + summary.batches() + " batches in " + summary.elapsedMs() + " ms");
        for (final Map.Entry<DiscrepancyKind, Long> entry : summary.byKind().entrySet())
        {
            if (entry.getValue() > 0)
            {
                out.printf("  %-21s %d  (%s)%n", entry.getKey(), entry.getValue(), entry.getKey().meaning());
            }
        }
        if (summary.damagedJournalEntries() > 0)
        {
            // Left out, they may hide a request or be the cause of a finding above: never a clean result.
            out.println("JOURNAL DAMAGED: " + summary.damagedJournalEntries() + " entries failing their checksum were " +
                "left out (chukei journal verify lists them); a finding above may be theirs, and a request they held is " +
                "not compared");
        }
        out.println(summary.reconciled() ? "RECONCILED: no discrepancy" : summary.discrepancies() == 0 ?
            "NOT RECONCILED: journal damaged" :
            "DISCREPANCIES: " + summary.discrepancies() + " (" + summary.incompleteBatches() + " incomplete batches)");
        out.flush();
    }
}
