package io.chukei.gateway.reconcile;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * What one run reconciles: requests of {@code date} in {@code zone} (by the time a node first accepted them, else
 * a connector sent them, else card management applied them), of one municipality or all (-1).
 */
public record ReconcileScope(LocalDate date, ZoneId zone, int municipality, List<Path> journals, Path upstreamExport,
    List<Path> connectorRecords)
{
    public ReconcileScope
    {
        journals = List.copyOf(journals);
        connectorRecords = List.copyOf(connectorRecords);
    }

    long fromMs()
    {
        return date.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    long toMs()
    {
        return date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
