package io.chukei.gateway.reconcile;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One fact about one request, as a fixed-size binary record (little-endian), the unit the external sort moves:
 * <pre>
 *  0 scope i32 | 4 idHi i64 | 12 idLo i64 | 20 kind u8 | 21 pad | 22 source u16 | 24 code i32 | 28 count i32
 * 32 timeMs i64 | 40 batchId i64 | 48 batchSequence u32 | 52 batchSize u32          = 56 bytes
 * </pre>
 * The key is (scope, idHi, idLo): card management's (municipality, request id).
 */
final class Fact
{
    static final int LENGTH = 56;

    /** A node accepted the request ({@code source}: the journal's position on the command line). */
    static final byte ACCEPTED = 1;
    /** A node answered it with card management's Outcome ({@code code}: the OutcomeStatus value). */
    static final byte COMPLETED = 2;
    /** A node ended it with a final rejection after accepting it ({@code code}: the ErrorCode value). */
    static final byte REJECTED = 3;
    /** A node's deadline passed after a forward: outcome unknown (not final). */
    static final byte OUTCOME_UNKNOWN = 4;
    /** A line of card management's applied-request export ({@code count}: applied count, {@code code}: status). */
    static final byte APPLIED = 5;
    /** A connector's record of sending it ({@code code}: its final answer as {@link ConnectorRecord#answerCode}). */
    static final byte SENT = 6;

    static final int SCOPE = 0;
    static final int ID_HI = 4;
    static final int ID_LO = 12;
    static final int KIND = 20;
    static final int SOURCE = 22;
    static final int CODE = 24;
    static final int COUNT = 28;
    static final int TIME_MS = 32;
    static final int BATCH_ID = 40;
    static final int BATCH_SEQUENCE = 48;
    static final int BATCH_SIZE = 52;

    private Fact()
    {
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    static void write(final MutableDirectBuffer buffer, final int at, final int scope, final long idHi, final long idLo,
        final byte kind, final int source, final int code, final int count, final long timeMs, final long batchId,
        final long batchSequence, final long batchSize)
    {
        buffer.putInt(at + SCOPE, scope);
        buffer.putLong(at + ID_HI, idHi);
        buffer.putLong(at + ID_LO, idLo);
        buffer.putByte(at + KIND, kind);
        buffer.putByte(at + KIND + 1, (byte)0);
        buffer.putShort(at + SOURCE, (short)source);
        buffer.putInt(at + CODE, code);
        buffer.putInt(at + COUNT, count);
        buffer.putLong(at + TIME_MS, timeMs);
        buffer.putLong(at + BATCH_ID, batchId);
        buffer.putInt(at + BATCH_SEQUENCE, (int)batchSequence);
        buffer.putInt(at + BATCH_SIZE, (int)batchSize);
    }

    /** Orders by key: scope, then id (signed longs; any total order serves a merge). */
    static int compareKeys(final DirectBuffer a, final int at, final DirectBuffer b, final int bt)
    {
        int c = Integer.compare(a.getInt(at + SCOPE), b.getInt(bt + SCOPE));
        if (c != 0)
        {
            return c;
        }
        c = Long.compare(a.getLong(at + ID_HI), b.getLong(bt + ID_HI));
        return c != 0 ? c : Long.compare(a.getLong(at + ID_LO), b.getLong(bt + ID_LO));
    }
}
