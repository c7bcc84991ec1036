package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.AcceptedDecoder;
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

/**
 * Reads one SBE message (message header and body, as {@link io.chukei.protocol.framing.SofhFrameDecoder}
 * emits it) and checks its structure before anyone reads a field: schema id, known template,
 * a block at least as long as this version's, and variable-length fields that stay inside
 * the frame. Only then is the matching decoder handed out, so no field read can run past the
 * frame.
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

    private int templateId = -1;
    private int length;

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
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return ErrorCode.FRAME_TOO_SHORT;
        }
        header.wrap(view, 0);
        if (header.schemaId() != SCHEMA_ID)
        {
            return ErrorCode.UNSUPPORTED_SCHEMA;
        }
        final MessageDecoderFlyweight decoder = decoderFor(header.templateId());
        if (decoder == null)
        {
            return ErrorCode.UNKNOWN_TEMPLATE;
        }
        final int blockLength = header.blockLength();
        final int version = header.version();
        if (blockLength < decoder.sbeBlockLength() || MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            return ErrorCode.MALFORMED_MESSAGE;
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
            return ErrorCode.MALFORMED_MESSAGE;
        }
        final int end = MessageHeaderDecoder.ENCODED_LENGTH + decodedLength;
        // A newer schema version may append fields this build does not know; an equal or
        // older one must fill the frame exactly.
        if (end > length || (end != length && version <= SCHEMA_VERSION))
        {
            return ErrorCode.MALFORMED_MESSAGE;
        }
        templateId = header.templateId();
        return ErrorCode.NO_ERROR;
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
            default: return null;
        }
    }
}
