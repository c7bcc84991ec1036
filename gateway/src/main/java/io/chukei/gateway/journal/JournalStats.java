package io.chukei.gateway.journal;

import java.util.Map;

/** What is in the journal: entries per type, index range, cycle files and their size. */
public record JournalStats(Map<JournalEventType, Long> countsByType, long unknownEntries, long firstIndex, long lastIndex,
    int cycleFiles, long bytesOnDisk)
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
