package io.chukei.gateway.reconcile;

/** Where findings go as they are found (a report is streamed: it never holds all findings). */
public interface ReportSink
{
    /** Before the first finding: what is being reconciled. */
    void begin(ReconcileScope scope);

    void discrepancy(Discrepancy discrepancy);

    void end(ReconcileSummary summary);
}
