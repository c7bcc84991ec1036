package io.chukei.gateway.cardsim;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chukei.gateway.reconcile.AppliedExport;

/**
 * The simulator's ledger as card management's applied-request export (protocol/README.md): one line per (municipality,
 * request id) with an APPLIED line, its count of APPLIED lines, the first one's time and verdict. DUPLICATE lines
 * (stored outcomes sent again) are not applications and are left out. Holds one entry per decided request in memory:
 * the simulator's own scale.
 */
public final class LedgerExport
{
    private LedgerExport()
    {
    }

    private static final class Applied
    {
        int count;
        Instant first;
        String status;
        int upstreamCode;
    }

    /**
     * Writes the export of {@code ledger} (a data directory or the ledger file) to {@code out}: every decided request,
     * or with {@code date} only those first applied that UTC day.
     */
    public static long write(final Path ledger, final LocalDate date, final Writer out) throws IOException
    {
        final Map<RequestKey, Applied> applied = new LinkedHashMap<>();
        for (final Ledger.Entry entry : Ledger.read(ledger))
        {
            if (!entry.isApplied())
            {
                continue;
            }
            final Applied one = applied.computeIfAbsent(new RequestKey(entry.municipality(), entry.requestId()),
                key -> new Applied());
            one.count++;
            if (one.first == null || entry.at().isBefore(one.first))
            {
                one.first = entry.at();
                one.status = entry.status().name();
                one.upstreamCode = entry.upstreamCode();
            }
        }
        AppliedExport.writeHeader(out);
        long lines = 0;
        for (final Map.Entry<RequestKey, Applied> entry : applied.entrySet())
        {
            final Applied one = entry.getValue();
            if (date != null && !LocalDate.ofInstant(one.first, ZoneOffset.UTC).equals(date))
            {
                continue;
            }
            AppliedExport.writeLine(out, new AppliedExport.Line(entry.getKey().municipality(), entry.getKey().requestId(),
                one.count, one.first, one.status, one.upstreamCode));
            lines++;
        }
        out.flush();
        return lines;
    }
}
