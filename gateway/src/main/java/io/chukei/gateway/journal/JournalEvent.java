package io.chukei.gateway.journal;

import java.time.Instant;
import java.util.UUID;

/**
 * One journal entry in readable form, for tracing and tools (allocates; not for the hot path).
 * {@code summary} names the fields; submit bytes and payloads appear as sizes only, and runs of 12 or more
 * digits in free text are masked, so a personal number never appears in clear.
 */
public record JournalEvent(long index, JournalEventType type, long timestampNs, long idHi, long idLo, String summary)
{
    public Instant timestamp()
    {
        return Instant.ofEpochSecond(0, timestampNs);
    }

    public String requestId()
    {
        return new UUID(idHi, idLo).toString();
    }

    /** One line: ISO timestamp, index, type, request id, summary. */
    public String toLine()
    {
        return timestamp() + " index=" + index + " " + type + " " + requestId() + " " + summary;
    }
}
