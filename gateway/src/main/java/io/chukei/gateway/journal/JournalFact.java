package io.chukei.gateway.journal;

import net.openhft.chronicle.bytes.Bytes;

/**
 * What one journal entry says about a request or a batch, without its personal part: type, time, municipality, id,
 * a member's batch fields (from the clear prefix of the Submit, sealed or not), a verdict's status, a rejection's
 * code. One instance is reused for every entry of a scan ({@link Journal#forEachFact}); copy what you keep.
 */
public final class JournalFact
{
    /** A batch field a Submit left null (or an entry that is no batch member). */
    public static final long NONE = -1;

    /** Where a Submit's batch fields start, from the start of its SBE bytes: header 8 + batchId's offset 35. */
    private static final int SUBMIT_BATCH_ID = 8 + 35;
    private static final int SUBMIT_BATCH_SEQUENCE = 8 + 43;
    private static final int SUBMIT_BATCH_SIZE = 8 + 47;
    private static final int SUBMIT_BATCH_END = 8 + 51;

    private JournalEventType type;
    private long index;
    private long timestampNs;
    private int scope;
    private long idHi;
    private long idLo;
    private long batchId;
    private long batchSequence;
    private long batchSize;
    private int status;
    private int errorCode;
    private boolean acceptedBefore;
    private int forwardAttempt;
    private final byte[] memberDigest = new byte[JournalCodec.BATCH_DIGEST_LENGTH];

    /** Reads the entry at {@code base}; false for a type this version does not know. */
    boolean read(final Bytes<?> bytes, final long base, final long index)
    {
        type = JournalEventType.of(bytes.readByte(base + JournalCodec.TYPE_OFFSET));
        if (type == null)
        {
            return false;
        }
        this.index = index;
        timestampNs = bytes.readLong(base + JournalCodec.TIMESTAMP_OFFSET);
        idHi = bytes.readLong(base + JournalCodec.ID_HI_OFFSET);
        idLo = bytes.readLong(base + JournalCodec.ID_LO_OFFSET);
        scope = type == JournalEventType.AUDIT ? JournalCodec.NO_SCOPE : JournalCodec.scopeOf(bytes, base, type);
        batchId = NONE;
        batchSequence = NONE;
        batchSize = NONE;
        status = 0;
        errorCode = 0;
        acceptedBefore = false;
        forwardAttempt = 0;
        switch (type)
        {
            case ACCEPTED -> readBatchFields(bytes, base);
            case FORWARDED -> forwardAttempt = bytes.readInt(base + JournalCodec.FORWARDED_ATTEMPT);
            case COMPLETED -> status = bytes.readByte(base + JournalCodec.COMPLETED_STATUS) & 0xFF;
            case REJECTED ->
            {
                errorCode = bytes.readInt(base + JournalCodec.REJECTED_ERROR_CODE);
                acceptedBefore = bytes.readByte(base + JournalCodec.REJECTED_ACCEPTED_BEFORE) != 0;
            }
            case OUTCOME_UNKNOWN -> forwardAttempt = bytes.readInt(base + JournalCodec.OUTCOME_UNKNOWN_ATTEMPTS);
            case BATCH_DECLARED ->
            {
                batchId = idLo;
                batchSize = bytes.readInt(base + JournalCodec.BATCH_SIZE) & 0xFFFF_FFFFL;
                bytes.read(base + JournalCodec.BATCH_DIGEST, memberDigest, 0, memberDigest.length);
            }
            default ->
            {
                // AUDIT: nothing about a request.
            }
        }
        return true;
    }

    /** The Submit's clear bytes start after its length (clear layout) or after its clear length (sealed layout). */
    private void readBatchFields(final Bytes<?> bytes, final long base)
    {
        final boolean sealed = JournalCodec.version(bytes, base) >= JournalCodec.SEALED_VERSION;
        final long submit = base + (sealed ? JournalCodec.SEALED_ACCEPTED_CLEAR : JournalCodec.ACCEPTED_SUBMIT);
        final int clearLength = bytes.readInt(base + (sealed ? JournalCodec.SEALED_ACCEPTED_CLEAR_LENGTH :
            JournalCodec.ACCEPTED_SUBMIT_LENGTH));
        if (clearLength < SUBMIT_BATCH_END)
        {
            return;
        }
        final long id = bytes.readLong(submit + SUBMIT_BATCH_ID);
        final long sequence = bytes.readInt(submit + SUBMIT_BATCH_SEQUENCE) & 0xFFFF_FFFFL;
        final long size = bytes.readInt(submit + SUBMIT_BATCH_SIZE) & 0xFFFF_FFFFL;
        // The schema's null for an optional uint64 / uint32 is its maximum value.
        if (id != -1L && sequence != 0xFFFF_FFFFL && size != 0xFFFF_FFFFL)
        {
            batchId = id;
            batchSequence = sequence;
            batchSize = size;
        }
    }

    public JournalEventType type()
    {
        return type;
    }

    public long index()
    {
        return index;
    }

    public long timestampNs()
    {
        return timestampNs;
    }

    /** The municipality as {@code MunicipalityCodes.parse} gives it, or {@link RequestIndex#ANY_SCOPE} when none. */
    public int scope()
    {
        return scope;
    }

    public long idHi()
    {
        return idHi;
    }

    public long idLo()
    {
        return idLo;
    }

    /** ACCEPTED of a batch member, or BATCH_DECLARED: the batch id; else {@link #NONE}. */
    public long batchId()
    {
        return batchId;
    }

    /** ACCEPTED of a batch member: its 1-based sequence; else {@link #NONE}. */
    public long batchSequence()
    {
        return batchSequence;
    }

    /** ACCEPTED of a batch member: the size it carried; BATCH_DECLARED: the declared size; else {@link #NONE}. */
    public long batchSize()
    {
        return batchSize;
    }

    /** COMPLETED: the OutcomeStatus value (1 OK, 2 REFUSED). */
    public int status()
    {
        return status;
    }

    /** REJECTED: the ErrorCode value. */
    public int errorCode()
    {
        return errorCode;
    }

    /** REJECTED: true when it ended an accepted request (e.g. DEADLINE_EXCEEDED), false for a refusal at arrival. */
    public boolean acceptedBefore()
    {
        return acceptedBefore;
    }

    /** FORWARDED: the attempt number; OUTCOME_UNKNOWN: the forward attempts made. */
    public int forwardAttempt()
    {
        return forwardAttempt;
    }

    /** BATCH_DECLARED: the 32-byte member digest (all zero when none); valid until the next entry. */
    public byte[] memberDigest()
    {
        return memberDigest;
    }
}
