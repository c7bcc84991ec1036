package io.chukei.gateway.journal;

import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import net.openhft.chronicle.bytes.Bytes;

/**
 * What reconciliation needs of one request entry, read from the part every entry keeps in clear (type, time, id,
 * municipality, status or error code, the Submit's batch fields): no key is needed and nothing personal is opened.
 * A flyweight: {@link Journal#forEachRequestFact} refills one instance per entry, so read it inside the callback.
 * Only ACCEPTED, COMPLETED, OUTCOME_UNKNOWN and REJECTED-after-acceptance entries are handed on: FORWARDED and AUDIT
 * entries say nothing about an answer, a refusal at admission is not an accepted request, and BATCH_DECLARED is a
 * manifest, not a request.
 */
public final class RequestFacts
{
    /** {@link #batchId()} of a request outside any batch (the Submit's null value). */
    public static final long NO_BATCH = SubmitDecoder.batchIdNullValue();

    private static final int SUBMIT_BATCH_ID = MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.batchIdEncodingOffset();
    private static final int SUBMIT_BATCH_SEQUENCE = MessageHeaderDecoder.ENCODED_LENGTH +
        SubmitDecoder.batchSequenceEncodingOffset();
    private static final int SUBMIT_BATCH_SIZE = MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.batchSizeEncodingOffset();

    private JournalEventType type;
    private long timestampNs;
    private long idHi;
    private long idLo;
    private int scope;
    private int nodeId;
    private int code;
    private long batchId;
    private long batchSequence;
    private long batchSize;

    /** Reads the entry at {@code base}; false for an entry reconciliation does not look at. */
    boolean read(final Bytes<?> bytes, final long base)
    {
        type = JournalEventType.of(bytes.readByte(base + JournalCodec.TYPE_OFFSET));
        // A list of what is handed on, not of what is left out: a type added later (BATCH_DECLARED was) is no request
        // fact until reconciliation is taught it (it stopped reconcile with "not a request fact: BATCH_DECLARED").
        if (type != JournalEventType.ACCEPTED && type != JournalEventType.COMPLETED &&
            type != JournalEventType.REJECTED && type != JournalEventType.OUTCOME_UNKNOWN)
        {
            return false;
        }
        if (type == JournalEventType.REJECTED && bytes.readByte(base + JournalCodec.REJECTED_ACCEPTED_BEFORE) == 0)
        {
            return false;
        }
        timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
        idHi = bytes.readLong(base + JournalCodec.ID_HI_OFFSET);
        idLo = bytes.readLong(base + JournalCodec.ID_LO_OFFSET);
        scope = JournalCodec.scopeOf(bytes, base, type);
        nodeId = 0;
        code = 0;
        batchId = NO_BATCH;
        batchSequence = 0;
        batchSize = 0;
        switch (type)
        {
            case ACCEPTED -> readAccepted(bytes, base);
            case COMPLETED -> code = bytes.readByte(base + JournalCodec.COMPLETED_STATUS);
            case REJECTED -> code = bytes.readInt(base + JournalCodec.REJECTED_ERROR_CODE);
            default ->
            {
                // OUTCOME_UNKNOWN: the header says it all.
            }
        }
        return true;
    }

    private void readAccepted(final Bytes<?> bytes, final long base)
    {
        nodeId = bytes.readInt(base + JournalCodec.ACCEPTED_NODE_ID);
        // Sealed or not, the Submit's clear prefix (header and batch fields included) is stored as it came.
        final boolean sealed = JournalCodec.version(bytes, base) >= JournalCodec.SEALED_VERSION;
        final long submitAt = base + (sealed ? JournalCodec.SEALED_ACCEPTED_CLEAR : JournalCodec.ACCEPTED_SUBMIT);
        final int available = bytes.readInt(base + (sealed ? JournalCodec.SEALED_ACCEPTED_CLEAR_LENGTH :
            JournalCodec.ACCEPTED_SUBMIT_LENGTH));
        if (available >= SUBMIT_BATCH_SIZE + 4)
        {
            batchId = bytes.readLong(submitAt + SUBMIT_BATCH_ID);
            batchSequence = bytes.readUnsignedInt(submitAt + SUBMIT_BATCH_SEQUENCE);
            batchSize = bytes.readUnsignedInt(submitAt + SUBMIT_BATCH_SIZE);
            if (batchId == NO_BATCH)
            {
                batchSequence = 0;
                batchSize = 0;
            }
        }
    }

    public JournalEventType type()
    {
        return type;
    }

    public long timestampNs()
    {
        return timestampNs;
    }

    public long idHi()
    {
        return idHi;
    }

    public long idLo()
    {
        return idLo;
    }

    /** The municipality code as an int, or -1 when the entry names none (written before ids were scoped). */
    public int scope()
    {
        return scope;
    }

    /** ACCEPTED: the node that accepted it; else 0. */
    public int nodeId()
    {
        return nodeId;
    }

    /** COMPLETED: the OutcomeStatus value; REJECTED: the ErrorCode value; else 0. */
    public int code()
    {
        return code;
    }

    /** ACCEPTED: the Submit's batch id, or {@link #NO_BATCH}. */
    public long batchId()
    {
        return batchId;
    }

    /** ACCEPTED of a batch member: its 1-based sequence; else 0. */
    public long batchSequence()
    {
        return batchSequence;
    }

    /** ACCEPTED of a batch member: the batch size it declares; else 0. */
    public long batchSize()
    {
        return batchSize;
    }
}
