package io.chukei.gateway.journal;

import java.util.Map;

/**
 * What is in the journal: entries per type, index range, cycle files and their size on disk (Chronicle
 * pre-allocates cycle files, so that grows in steps), and {@code entryBytes}, the bytes the entries themselves
 * take (each with Chronicle's 4-byte header): what the journal really grows by.
 */
public record JournalStats(Map<JournalEventType, Long> countsByType, long unknownEntries, long firstIndex, long lastIndex,
    int cycleFiles, long bytesOnDisk, long entryBytes)
{
    public long totalEntries()
    {
        long total = unknownEntries;
        for (final long count : countsByType.values())
        {
            total += count;
        }
        return total;
    }
}
