package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BatchDeclareDecoder;
import io.chukei.protocol.sbe.BatchStatusQueryDecoder;
import io.chukei.protocol.sbe.BatchStatusReplyDecoder;
import io.chukei.protocol.sbe.ClusterViewDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.ForwardDecoder;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.sbe.HelloDecoder;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.chukei.protocol.sbe.RedirectDecoder;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.StatusQueryDecoder;
import io.chukei.protocol.sbe.StatusReplyDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.netty.buffer.ByteBuf;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.nio.ByteOrder;

/**
 * Reads one SBE message (message header and body, as {@link io.chukei.protocol.framing.SofhFrameDecoder}
 * emits it) and checks its structure before anyone reads a field: schema id, known template,
 * a block exactly this version's length (at least that long from a newer sender), variable-length
 * fields that stay inside the frame, and no trailing bytes (except from a newer sender). Only then
 * is the matching decoder handed out, so no field read can run past the frame. A refused message's
 * {@link #problem()} names the part that is wrong; {@link #toThisVersion} strips what a newer
 * sender added before a relay journals and forwards the message.
 *
 * <p>One reader per thread or per connection; the decoders are reused for every message.
 * The wrapped message must stay alive while its decoder is used.
 */
public final class MessageReader
{
    /** The schema id every Chukei message carries. */
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    /** The schema version this build speaks. */
    public static final int SCHEMA_VERSION = MessageHeaderDecoder.SCHEMA_VERSION;

    private static final int BLOCK_LENGTH_OFFSET = MessageHeaderDecoder.blockLengthEncodingOffset();
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int VERSION_OFFSET = MessageHeaderDecoder.versionEncodingOffset();
    private static final int REQUEST_ID_LENGTH = 16;
    private static final int VAR_LENGTH_PREFIX = 2;

    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final HelloDecoder hello = new HelloDecoder();
    private final WelcomeDecoder welcome = new WelcomeDecoder();
    private final SubmitDecoder submit = new SubmitDecoder();
    private final AcceptedDecoder accepted = new AcceptedDecoder();
    private final ResultDecoder result = new ResultDecoder();
    private final RejectedDecoder rejected = new RejectedDecoder();
    private final RedirectDecoder redirect = new RedirectDecoder();
    private final GoAwayDecoder goAway = new GoAwayDecoder();
    private final StatusQueryDecoder statusQuery = new StatusQueryDecoder();
    private final StatusReplyDecoder statusReply = new StatusReplyDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final ClusterViewDecoder clusterView = new ClusterViewDecoder();
    private final ForwardDecoder forward = new ForwardDecoder();
    private final OutcomeDecoder outcome = new OutcomeDecoder();
    private final BatchDeclareDecoder batchDeclare = new BatchDeclareDecoder();
    private final BatchStatusQueryDecoder batchStatusQuery = new BatchStatusQueryDecoder();
    private final BatchStatusReplyDecoder batchStatusReply = new BatchStatusReplyDecoder();

    private final MessageProblem problem = new MessageProblem();
    private final byte[] moveScratch = new byte[MessageHeaderDecoder.ENCODED_LENGTH + MessageLayout.maxBlockLength()];

    private int templateId = -1;
    private int length;
    private int decodedEnd = -1;
    private long requestIdHi;
    private long requestIdLo;

    /** Wraps the readable bytes of {@code message}; see {@link #wrap(DirectBuffer, int, int)}. */
    public ErrorCode wrap(final ByteBuf message)
    {
        ByteBufAccess.wrapReadable(view, message);
        return check(view.capacity());
    }

    /**
     * Wraps a copy-free view of {@code length} bytes at {@code offset} and checks the message.
     *
     * @return {@link ErrorCode#NO_ERROR} when the message may be read through the decoder for
     *     {@link #templateId()}, otherwise what is wrong with it.
     */
    public ErrorCode wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        view.wrap(buffer, offset, length);
        return check(length);
    }

    private ErrorCode check(final int length)
    {
        this.templateId = -1;
        this.length = length;
        this.decodedEnd = -1;
        problem.clear(length);
        noteRequestId(length);
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return problem.set(ErrorCode.FRAME_TOO_SHORT, MessageProblem.Part.MESSAGE_LENGTH, length, 0);
        }
        header.wrap(view, 0);
        if (header.schemaId() != SCHEMA_ID)
        {
            return problem.set(ErrorCode.UNSUPPORTED_SCHEMA, MessageProblem.Part.SCHEMA_ID, header.schemaId(), SCHEMA_ID);
        }
        final MessageDecoderFlyweight decoder = decoderFor(header.templateId());
        final MessageLayout layout = MessageLayout.of(header.templateId());
        if (decoder == null || layout == null)
        {
            return problem.set(ErrorCode.UNKNOWN_TEMPLATE, MessageProblem.Part.TEMPLATE_ID, header.templateId(), 0);
        }
        final int blockLength = header.blockLength();
        final int version = header.version();
        problem.layout(layout, version);
        // A sender writes exactly the block of the version it names; only a newer sender's may be longer, with
        // fields this build does not know. Version 1 changed one block only, Outcome's (municipalityCode): every
        // connector message is the same in versions 0 and 1, so a version-0 connector's block equals this build's,
        // and a version-0 Outcome, without the municipality the upstream contract requires, is refused here.
        final boolean blockLengthWrong = version <= SCHEMA_VERSION ?
            blockLength != decoder.sbeBlockLength() : blockLength < decoder.sbeBlockLength();
        if (blockLengthWrong)
        {
            return problem.set(ErrorCode.MALFORMED_MESSAGE, MessageProblem.Part.BLOCK_LENGTH, blockLength,
                decoder.sbeBlockLength());
        }
        if (MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            return problem.set(ErrorCode.MALFORMED_MESSAGE, MessageProblem.Part.BLOCK_PAST_END, blockLength,
                length - MessageHeaderDecoder.ENCODED_LENGTH);
        }
        if (layout.hasGroups())
        {
            // Each group entry must hold at least the fields this build reads from it: an entry declared shorter
            // would have them read from the next entry or past the frame (found by fuzzing a ClusterView).
            final int groupAt = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
            if (groupAt + GROUP_HEADER_LENGTH > length)
            {
                return problem.set(ErrorCode.MALFORMED_MESSAGE, MessageProblem.Part.GROUP_PAST_END, 0, 0);
            }
            final int entryBlockLength = view.getShort(groupAt, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int expected = MessageLayout.groupEntryBlockLength(header.templateId());
            if (version <= SCHEMA_VERSION ? entryBlockLength != expected : entryBlockLength < expected)
            {
                return problem.set(ErrorCode.MALFORMED_MESSAGE, MessageProblem.Part.BLOCK_LENGTH, entryBlockLength, expected);
            }
        }
        decoder.wrap(view, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int decodedLength;
        try
        {
            decodedLength = decoder.sbeDecodedLength();
        }
        catch (final IndexOutOfBoundsException ex)
        {
            // A group or variable-length header lies past the end of the frame.
            return overrun(layout, blockLength, length);
        }
        final int end = MessageHeaderDecoder.ENCODED_LENGTH + decodedLength;
        if (end > length)
        {
            return overrun(layout, blockLength, length);
        }
        // A newer schema version may append fields this build does not know; an equal or
        // older one must fill the frame exactly.
        if (end != length && version <= SCHEMA_VERSION)
        {
            return problem.set(ErrorCode.MALFORMED_MESSAGE, MessageProblem.Part.TRAILING_BYTES, length - end, 0);
        }
        decodedEnd = end;
        templateId = header.templateId();
        return ErrorCode.NO_ERROR;
    }

    /**
     * Names the variable-length field that runs past the end. Only called on the error path: it
     * walks the fields the decoder has just skipped (all of them date from version 0).
     */
    /** A group's dimension header: the entry block length and the entry count, two uint16. */
    private static final int GROUP_HEADER_LENGTH = 4;

    private ErrorCode overrun(final MessageLayout layout, final int blockLength, final int length)
    {
        if (layout.hasGroups())
        {
            return problem.set(ErrorCode.MALFORMED_MESSAGE, MessageProblem.Part.GROUP_PAST_END, 0, 0);
        }
        int offset = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        for (int i = 0; i < layout.varNames().length; i++)
        {
            if (offset + VAR_LENGTH_PREFIX > length)
            {
                return problem.varField(i, offset, -1);
            }
            final int fieldLength = view.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (offset + VAR_LENGTH_PREFIX + fieldLength > length)
            {
                return problem.varField(i, offset, fieldLength);
            }
            offset += VAR_LENGTH_PREFIX + fieldLength;
        }
        // The decoder and this walk disagree: a schema change this table missed (MessageLayoutTest guards it).
        return problem.set(ErrorCode.MALFORMED_MESSAGE, MessageProblem.Part.GROUP_PAST_END, 0, 0);
    }

    /**
     * Submit and StatusQuery start with their request id: when its 16 bytes are in the message, it is
     * read even if the message is refused, so the Rejected can name the request a pipelining connector
     * must not wait for.
     */
    private void noteRequestId(final int length)
    {
        requestIdHi = 0;
        requestIdLo = 0;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + REQUEST_ID_LENGTH)
        {
            return;
        }
        final int wireTemplate = view.getShort(TEMPLATE_ID_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (wireTemplate == SubmitDecoder.TEMPLATE_ID || wireTemplate == StatusQueryDecoder.TEMPLATE_ID)
        {
            requestIdHi = view.getLong(MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN);
            requestIdLo = view.getLong(MessageHeaderDecoder.ENCODED_LENGTH + 8, ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Rewrites the message last wrapped from {@code message} — which passed the checks — into this
     * version's form, in place: a newer sender's longer block is cut to this version's block, the
     * fields after this version's last variable-length field are dropped, and the header says this
     * version and block length. What a relay journals and forwards is then exactly what this
     * version's schema defines, never bytes it cannot check. A message of this version (or an
     * older one) is left untouched, and so is one with repeating groups (no node passes such a
     * message on).
     *
     * <p>No allocation and no copy of the variable-length fields: the header and this version's
     * block (at most {@code 8 + max block length} bytes) move forward over the unknown block
     * fields, the buffer's reader index follows them, and its writer index is set to the end of
     * this version's last field. The reader is wrapped around the rewritten message again.
     *
     * @return true when the message was rewritten.
     * @throws IllegalStateException when the last wrap was not of {@code message} or did not succeed.
     */
    public boolean toThisVersion(final ByteBuf message)
    {
        if (templateId < 0 || message.readableBytes() != length)
        {
            throw new IllegalStateException("toThisVersion: the last wrap " + (templateId < 0 ? "failed" :
                "was of another message") + " (expected: the message just wrapped, with no error)");
        }
        final int version = header.version();
        final MessageLayout layout = MessageLayout.of(templateId);
        if (version <= SCHEMA_VERSION || layout.hasGroups())
        {
            return false;
        }
        final int start = message.readerIndex();
        final int unknownBlock = header.blockLength() - layout.blockLength();
        final int known = MessageHeaderDecoder.ENCODED_LENGTH + layout.blockLength();
        final int end = decodedEnd;
        if (unknownBlock > 0)
        {
            message.getBytes(start, moveScratch, 0, known);
            message.setBytes(start + unknownBlock, moveScratch, 0, known);
        }
        final int newStart = start + unknownBlock;
        message.setShortLE(newStart + BLOCK_LENGTH_OFFSET, layout.blockLength());
        message.setShortLE(newStart + VERSION_OFFSET, SCHEMA_VERSION);
        message.readerIndex(newStart);
        message.writerIndex(start + end);
        if (wrap(message) != ErrorCode.NO_ERROR)
        {
            throw new IllegalStateException("toThisVersion: rewritten message fails the checks: " + problem.detail());
        }
        return true;
    }

    /** What the last wrap found wrong (part NONE after a successful one). */
    public MessageProblem problem()
    {
        return problem;
    }

    /**
     * The request id of the message wrapped last when it is a Submit or a StatusQuery whose first 16
     * body bytes are present, whether or not it passed the checks; otherwise 0.
     */
    public long requestIdHi()
    {
        return requestIdHi;
    }

    /** See {@link #requestIdHi()}. */
    public long requestIdLo()
    {
        return requestIdLo;
    }

    /** Template id of the message wrapped last, or -1 if it did not pass the checks. */
    public int templateId()
    {
        return templateId;
    }

    /** Length of the message wrapped last (SBE header and body). */
    public int length()
    {
        return length;
    }

    /** The wrapped message's bytes (valid until the next wrap). */
    public DirectBuffer buffer()
    {
        return view;
    }

    /** Schema version the sender used. */
    public int version()
    {
        return header.version();
    }

    public HelloDecoder hello()
    {
        return hello;
    }

    public WelcomeDecoder welcome()
    {
        return welcome;
    }

    public SubmitDecoder submit()
    {
        return submit;
    }

    public AcceptedDecoder accepted()
    {
        return accepted;
    }

    public ResultDecoder result()
    {
        return result;
    }

    public RejectedDecoder rejected()
    {
        return rejected;
    }

    public RedirectDecoder redirect()
    {
        return redirect;
    }

    public GoAwayDecoder goAway()
    {
        return goAway;
    }

    public StatusQueryDecoder statusQuery()
    {
        return statusQuery;
    }

    public StatusReplyDecoder statusReply()
    {
        return statusReply;
    }

    public HeartbeatDecoder heartbeat()
    {
        return heartbeat;
    }

    public ClusterViewDecoder clusterView()
    {
        return clusterView;
    }

    public ForwardDecoder forward()
    {
        return forward;
    }

    public OutcomeDecoder outcome()
    {
        return outcome;
    }

    public BatchDeclareDecoder batchDeclare()
    {
        return batchDeclare;
    }

    public BatchStatusQueryDecoder batchStatusQuery()
    {
        return batchStatusQuery;
    }

    public BatchStatusReplyDecoder batchStatusReply()
    {
        return batchStatusReply;
    }

    private MessageDecoderFlyweight decoderFor(final int templateId)
    {
        switch (templateId)
        {
            case HelloDecoder.TEMPLATE_ID: return hello;
            case WelcomeDecoder.TEMPLATE_ID: return welcome;
            case SubmitDecoder.TEMPLATE_ID: return submit;
            case AcceptedDecoder.TEMPLATE_ID: return accepted;
            case ResultDecoder.TEMPLATE_ID: return result;
            case RejectedDecoder.TEMPLATE_ID: return rejected;
            case RedirectDecoder.TEMPLATE_ID: return redirect;
            case GoAwayDecoder.TEMPLATE_ID: return goAway;
            case StatusQueryDecoder.TEMPLATE_ID: return statusQuery;
            case StatusReplyDecoder.TEMPLATE_ID: return statusReply;
            case HeartbeatDecoder.TEMPLATE_ID: return heartbeat;
            case ClusterViewDecoder.TEMPLATE_ID: return clusterView;
            case ForwardDecoder.TEMPLATE_ID: return forward;
            case OutcomeDecoder.TEMPLATE_ID: return outcome;
            case BatchDeclareDecoder.TEMPLATE_ID: return batchDeclare;
            case BatchStatusQueryDecoder.TEMPLATE_ID: return batchStatusQuery;
            case BatchStatusReplyDecoder.TEMPLATE_ID: return batchStatusReply;
            default: return null;
        }
    }
}
