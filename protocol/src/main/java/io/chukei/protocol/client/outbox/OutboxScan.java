package io.chukei.protocol.client.outbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.chukei.protocol.codec.WireNames;
import io.chukei.protocol.sbe.SubmitDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads an outbox from its first entry to its last. Memory holds only the requests not yet answered at the point
 * of the scan (a connector's in-flight window), never the whole outbox.
 */
final class OutboxScan
{
    /** An unresolved request as recovery needs it: the frame to send again. */
    record Pending(UUID requestId, String municipality, long submittedAtEpochMs, long deadlineEpochMs, byte[] frame)
    {
    }

    private OutboxScan()
    {
    }

    /** Every request taken without a final answer, in the order it was first taken. */
    static List<Pending> unresolved(final ChronicleQueue queue)
    {
        final Map<UUID, Pending> open = new LinkedHashMap<>();
        forEachEntry(queue, (bytes, base, index) ->
        {
            final UUID id = requestId(bytes, base);
            if (bytes.readByte(base + OutboxEntry.TYPE) == OutboxEntry.ANSWER)
            {
                open.remove(id);
            }
            else if (!open.containsKey(id))
            {
                final byte[] frame = new byte[bytes.readInt(base + OutboxEntry.FRAME_LENGTH)];
                bytes.read(base + OutboxEntry.FRAME, frame, 0, frame.length);
                open.put(id, new Pending(id, municipality(bytes, base), bytes.readLong(base + OutboxEntry.SUBMITTED_AT),
                    bytes.readLong(base + OutboxEntry.DEADLINE), frame));
            }
        });
        return new ArrayList<>(open.values());
    }

    /**
     * One record per request: when its final answer is read (latest state), and for those without one at the end.
     * A request id taken again after its final answer (the application submitted it anew) gives one record per final
     * answer.
     */
    static void records(final ChronicleQueue queue, final Consumer<OutboxRecord> each)
    {
        final Map<UUID, OutboxRecord> open = new LinkedHashMap<>();
        forEachEntry(queue, (bytes, base, index) ->
        {
            final UUID id = requestId(bytes, base);
            if (bytes.readByte(base + OutboxEntry.TYPE) == OutboxEntry.ANSWER)
            {
                open.remove(id);
                each.accept(record(bytes, base, id, finalAnswer(bytes, base, index)));
            }
            else if (!open.containsKey(id))
            {
                open.put(id, record(bytes, base, id, null));
            }
        });
        open.values().forEach(each);
    }

    interface EntryVisitor
    {
        void entry(Bytes<?> bytes, long base, long index);
    }

    static void forEachEntry(final ChronicleQueue queue, final EntryVisitor visitor)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long base = bytes.readPosition();
                    check(bytes, base, dc.index());
                    visitor.entry(bytes, base, dc.index());
                }
            }
        }
    }

    private static void check(final Bytes<?> bytes, final long base, final long index)
    {
        final long length = bytes.readLimit() - base;
        final byte type = length >= 2 ? bytes.readByte(base + OutboxEntry.TYPE) : 0;
        final byte version = length >= 2 ? bytes.readByte(base + 1) : 0;
        final long expected = type == OutboxEntry.ANSWER ? OutboxEntry.ANSWER_LENGTH :
            OutboxEntry.FRAME + (length >= OutboxEntry.FRAME ? bytes.readInt(base + OutboxEntry.FRAME_LENGTH) : 0);
        if (version != OutboxEntry.VERSION || type < OutboxEntry.SUBMIT || type > OutboxEntry.CARRIED || length < expected)
        {
            throw new IllegalStateException("outbox entry at index " + Long.toHexString(index) + ": type " + type +
                ", layout version " + version + ", " + length + " bytes (expected: type 1-3, version " + OutboxEntry.VERSION +
                ", at least " + expected + " bytes)");
        }
    }

    private static OutboxRecord record(final Bytes<?> bytes, final long base, final UUID id, final String finalAnswer)
    {
        final long batchId = bytes.readLong(base + OutboxEntry.BATCH_ID);
        final boolean inBatch = batchId != SubmitDecoder.batchIdNullValue();
        return new OutboxRecord(id.toString(), municipality(bytes, base), inBatch ? Long.toUnsignedString(batchId) : null,
            inBatch ? (int)bytes.readLong(base + OutboxEntry.BATCH_SEQUENCE) : 0,
            inBatch ? (int)bytes.readLong(base + OutboxEntry.BATCH_SIZE) : 0,
            bytes.readLong(base + OutboxEntry.SUBMITTED_AT), finalAnswer);
    }

    private static String finalAnswer(final Bytes<?> bytes, final long base, final long index)
    {
        final byte kind = bytes.readByte(base + OutboxEntry.KIND);
        final short code = bytes.readShort(base + OutboxEntry.CODE);
        if (kind == OutboxEntry.KIND_RESULT)
        {
            return WireNames.outcomeStatus(code);
        }
        if (kind == OutboxEntry.KIND_REJECTED)
        {
            return WireNames.errorCode(code);
        }
        throw new IllegalStateException("outbox entry at index " + Long.toHexString(index) + ": answer kind " + kind +
            " (expected: 1 Result or 2 Rejected)");
    }

    private static UUID requestId(final Bytes<?> bytes, final long base)
    {
        return new UUID(bytes.readLong(base + OutboxEntry.ID_HI), bytes.readLong(base + OutboxEntry.ID_LO));
    }

    private static String municipality(final Bytes<?> bytes, final long base)
    {
        final byte[] code = new byte[OutboxEntry.MUNICIPALITY_LENGTH];
        bytes.read(base + OutboxEntry.MUNICIPALITY, code, 0, code.length);
        return new String(code, StandardCharsets.US_ASCII);
    }
}
