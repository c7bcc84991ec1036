package io.chukei.protocol.client.outbox;

import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.MessageHeaderDecoder;

/**
 * Layout of one outbox entry (one Chronicle Queue document, little-endian):
 * <pre>
 *   offset  size  field
 *   0       1     type: 1 SUBMIT, 2 ANSWER, 3 CARRIED (a SUBMIT copied forward at an opening, see below)
 *   1       1     layout version (1)
 *   2       8     request id, most significant bits
 *   10      8     request id, least significant bits
 *   18      6     municipality code, ASCII digits
 *   24      8     batch id (Submit's null value when not a batch member)
 *   32      8     batch sequence (null value when not a batch member)
 *   40      8     batch size (null value when not a batch member)
 *   48      8     submitted at, epoch ms (when the SDK took the request)
 *   SUBMIT and CARRIED:
 *   56      8     deadline, epoch ms, of the first send
 *   64      4     frame length N
 *   68      N     the Submit's complete SOFH frame as first sent (attempt 1, not a possible duplicate)
 *   ANSWER:
 *   56      8     answered at, epoch ms
 *   64      1     kind: 1 Result, 2 Rejected
 *   65      1     1 when the SDK made the answer itself (a local Rejected), else 0
 *   66      2     code: the Result's OutcomeStatus value or the Rejected's ErrorCode value
 * </pre>
 * An ANSWER repeats the request's municipality, batch and submit time, so it tells the request's whole story even
 * when retention has removed the cycle file that held its SUBMIT.
 * <p>A CARRIED entry is a SUBMIT still unresolved when an outbox was opened, appended again to the current cycle so
 * that no older cycle file holds anything unresolved and retention can delete those files.
 */
final class OutboxEntry
{
    static final byte SUBMIT = 1;
    static final byte ANSWER = 2;
    static final byte CARRIED = 3;
    static final byte VERSION = 1;

    static final int TYPE = 0;
    static final int ID_HI = 2;
    static final int ID_LO = 10;
    static final int MUNICIPALITY = 18;
    static final int MUNICIPALITY_LENGTH = 6;
    static final int BATCH_ID = 24;
    static final int BATCH_SEQUENCE = 32;
    static final int BATCH_SIZE = 40;
    static final int SUBMITTED_AT = 48;
    static final int DEADLINE = 56;
    static final int FRAME_LENGTH = 64;
    static final int FRAME = 68;
    static final int ANSWERED_AT = 56;
    static final int KIND = 64;
    static final int LOCAL = 65;
    static final int CODE = 66;
    static final int ANSWER_LENGTH = 68;

    static final byte KIND_RESULT = 1;
    static final byte KIND_REJECTED = 2;

    /** Where the Submit message body begins in a SOFH frame. */
    static final int SUBMIT_BODY = SofhFrame.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;

    private OutboxEntry()
    {
    }
}
