package io.chukei.gateway.journal;

/** The kinds of journal entry; the code is the first byte of every entry and never changes meaning. */
public enum JournalEventType
{
    ACCEPTED((byte)1),
    FORWARDED((byte)2),
    COMPLETED((byte)3),
    REJECTED((byte)4),
    AUDIT((byte)5),
    /**
     * The deadline passed after at least one forward: card management may have applied the request. Not
     * terminal: a COMPLETED entry may follow, and a restart forwards the request again (possible duplicate).
     */
    OUTCOME_UNKNOWN((byte)6),
    /**
     * A batch's manifest (BatchDeclare): request id hi 0, lo the batch id; the body holds the municipality, the size
     * and the member digest. It changes no request's state; the batch account is rebuilt from it.
     */
    BATCH_DECLARED((byte)7);

    private static final JournalEventType[] BY_CODE = new JournalEventType[8];

    static
    {
        for (final JournalEventType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final byte code;

    JournalEventType(final byte code)
    {
        this.code = code;
    }

    public byte code()
    {
        return code;
    }

    /** The type for a code, or null for a code this version does not know (written by a newer version). */
    public static JournalEventType of(final byte code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
