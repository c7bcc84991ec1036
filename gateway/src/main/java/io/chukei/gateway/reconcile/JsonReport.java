package io.chukei.gateway.reconcile;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chukei.gateway.cluster.Json;

/**
 * The report for programs, one JSON document streamed as findings come:
 * {@code {"scope":{...},"discrepancies":[{...},...],"summary":{...}}}. A finding's fields: kind, municipality,
 * requestId (null for a batch), batchId (unsigned decimal text, null outside a batch), batchSequence, detail.
 */
public final class JsonReport implements ReportSink
{
    private final PrintWriter out;
    private boolean first = true;

    public JsonReport(final PrintWriter out)
    {
        this.out = out;
    }

    @Override
    public void begin(final ReconcileScope scope)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("date", scope.date().toString());
        fields.put("zone", scope.zone().getId());
        fields.put("municipality", scope.municipality() < 0 ? null : RequestGroup.municipality(scope.municipality()));
        fields.put("journals", scope.journals().stream().map(Object::toString).toList());
        fields.put("upstreamExport", scope.upstreamExport().toString());
        fields.put("connectorRecords", scope.connectorRecords().stream().map(Object::toString).toList());
        out.print("{\"scope\":" + Json.write(fields).strip() + ",\"discrepancies\":[");
    }

    @Override
    public void discrepancy(final Discrepancy discrepancy)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", discrepancy.kind().name());
        fields.put("municipality", discrepancy.municipality());
        fields.put("requestId", discrepancy.requestId());
        fields.put("batchId", discrepancy.batchId() == null ? null : Long.toUnsignedString(discrepancy.batchId()));
        fields.put("batchSequence", discrepancy.batchSequence());
        fields.put("detail", discrepancy.detail());
        out.print((first ? "\n" : ",\n") + Json.write(fields).strip());
        first = false;
    }

    @Override
    public void end(final ReconcileSummary summary)
    {
        out.println("],\n\"summary\":" + Json.write(summary).strip() + "}");
        out.flush();
    }
}
