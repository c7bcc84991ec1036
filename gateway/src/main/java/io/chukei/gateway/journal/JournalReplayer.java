package io.chukei.gateway.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.collections.Long2LongHashMap;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies journal entries to a {@link RequestIndex}: the one definition of how entries change a request's
 * state, shared by recovery and by the checkpointer so both always agree.
 */
final class JournalReplayer
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalReplayer.class);
    static final int DAMAGED_LISTED = 10;

    private final RequestIndex requests;
    private final long[] unknownByCode = new long[256];
    /** Per key id, the index of the first sealed entry seen with it: recovery opens one entry per key to check it. */
    private final Long2LongHashMap firstSealedIndexByKey = new Long2LongHashMap(-1);
    private long applied;
    private long lastIndex = -1;
    private long damaged;
    /** The indexes of the first {@value #DAMAGED_LISTED} entries that failed their checksum, for the log. */
    private final long[] firstDamaged = new long[DAMAGED_LISTED];

    JournalReplayer(final RequestIndex requests)
    {
        this.requests = requests;
    }

    RequestIndex requests()
    {
        return requests;
    }

    /** Entries read so far, known or not. */
    long applied()
    {
        return applied;
    }

    /** Index of the last entry read, -1 before the first. */
    long lastIndex()
    {
        return lastIndex;
    }

    /** Reads and applies every complete entry the tailer can reach now; returns how many. */
    long replay(final ExcerptTailer tailer)
    {
        final long before = applied;
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                apply(dc.wire().bytes(), tailer.index());
            }
        }
        return applied - before;
    }

    void apply(final Bytes<?> bytes, final long index)
    {
        applied++;
        lastIndex = index;
        final long base = bytes.readPosition();
        if (EntryChecksum.damaged(bytes, base))
        {
            // A changed byte (a crash of the machine, a bad disk): nothing of the entry can be trusted, not even its
            // type or request id, so it changes no request's state; Journal.recover says what that means.
            if (damaged < DAMAGED_LISTED)
            {
                firstDamaged[(int)damaged] = index;
            }
            damaged++;
            return;
        }
        final byte code = bytes.readByte(base + JournalCodec.TYPE_OFFSET);
        final JournalEventType type = JournalEventType.of(code);
        if (type == null)
        {
            if (unknownByCode[code & 0xFF]++ == 0)
            {
                // Written by a newer version: skipping keeps every request this version knows about intact.
                LOG.warn("Skipping journal entry of unknown type {} at index {} (further ones of this type are counted, not logged)",
                    code & 0xFF, index);
            }
            return;
        }
        final long hi = bytes.readLong(base + JournalCodec.ID_HI_OFFSET);
        final long lo = bytes.readLong(base + JournalCodec.ID_LO_OFFSET);
        // Entries from before ids were scoped carry none: they are matched by id alone, as they were written.
        final int scope = type == JournalEventType.AUDIT ? JournalCodec.NO_SCOPE : JournalCodec.scopeOf(bytes, base, type);
        if (SealedEntries.isSealed(bytes, base))
        {
            final int keyId = SealedEntries.keyIdOf(bytes, base);
            if (firstSealedIndexByKey.get(keyId) == -1)
            {
                firstSealedIndexByKey.put(keyId, index);
            }
        }
        switch (type)
        {
            case ACCEPTED -> requests.accept(scope, hi, lo, index, bytes.readLong(base + JournalCodec.ACCEPTED_FINGERPRINT),
                bytes.readLong(base + JournalCodec.ACCEPTED_DEADLINE), bytes.readByte(base + JournalCodec.ACCEPTED_PRIORITY));
            case FORWARDED -> requests.forwarded(scope, hi, lo, bytes.readInt(base + JournalCodec.FORWARDED_ATTEMPT));
            case COMPLETED -> requests.complete(scope, hi, lo, index);
            case OUTCOME_UNKNOWN -> requests.outcomeUnknown(scope, hi, lo,
                bytes.readInt(base + JournalCodec.OUTCOME_UNKNOWN_ATTEMPTS));
            case REJECTED ->
            {
                if (bytes.readByte(base + JournalCodec.REJECTED_ACCEPTED_BEFORE) != 0)
                {
                    requests.reject(scope, hi, lo, index);
                }
            }
            case AUDIT, BATCH_DECLARED ->
            {
                // Audit entries and batch manifests do not change any request's state.
            }
        }
    }

    /** Key id to the index of the first entry replayed that it sealed (empty when none were sealed). */
    Long2LongHashMap firstSealedIndexByKey()
    {
        return firstSealedIndexByKey;
    }

    /** Entries that failed their checksum and were skipped. */
    long damagedEntries()
    {
        return damaged;
    }

    /** The indexes of the first damaged entries (at most {@value #DAMAGED_LISTED}), in hex. */
    String firstDamagedIndexes()
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(damaged, DAMAGED_LISTED); i++)
        {
            out.append(i == 0 ? "" : ", ").append(Long.toHexString(firstDamaged[i]));
        }
        return damaged > DAMAGED_LISTED ? out.append(", ...").toString() : out.toString();
    }

    long unknownEntries()
    {
        long total = 0;
        for (final long count : unknownByCode)
        {
            total += count;
        }
        return total;
    }
}
