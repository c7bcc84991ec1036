package io.chukei.gateway.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The latest AUDIT entries of a journal, read backwards from its end (newest first): what the status page
 * lists again after a restart. Bounded three times: at most {@code max} entries, at most {@code maxScanned}
 * entries looked at, and at most {@code maxNanos} spent, so a journal with millions of requests since the
 * last action costs a bounded start (a drill node at load 30 read ~20,000 entries in 3.8 s).
 */
final class AuditTrail
{
    private AuditTrail()
    {
    }

    static List<Journal.AuditEntry> latest(final SingleChronicleQueue queue, final int max, final long maxScanned,
        final long maxNanos, final Predicate<String> action)
    {
        final long startNanos = System.nanoTime();
        final List<Journal.AuditEntry> found = new ArrayList<>();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            long scanned = 0;
            while (found.size() < max && scanned < maxScanned &&
                ((scanned & 1023) != 0 || System.nanoTime() - startNanos < maxNanos))
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    scanned++;
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long base = bytes.readPosition();
                    if (bytes.readByte(base + JournalCodec.TYPE_OFFSET) != JournalEventType.AUDIT.code() ||
                        EntryChecksum.damaged(bytes, base))
                    {
                        continue;
                    }
                    final Journal.AuditEntry entry = read(bytes, base);
                    if (action.test(entry.action()))
                    {
                        found.add(entry);
                    }
                }
            }
        }
        return found;
    }

    private static Journal.AuditEntry read(final Bytes<?> bytes, final long base)
    {
        final long timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
        long at = base + JournalCodec.HEADER_LENGTH;
        final int actorLength = bytes.readInt(at);
        final String actor = JournalCodec.readString(bytes, at + 4, actorLength);
        at += 4 + actorLength;
        final int actionLength = bytes.readInt(at);
        final String action = JournalCodec.readString(bytes, at + 4, actionLength);
        at += 4 + actionLength;
        final String detail = JournalCodec.readString(bytes, at + 4, bytes.readInt(at));
        return new Journal.AuditEntry(timestampNs / 1_000_000, actor, action, detail);
    }
}
