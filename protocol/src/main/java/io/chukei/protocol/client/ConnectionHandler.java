package io.chukei.protocol.client;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrameException;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ClusterViewDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.sbe.RedirectDecoder;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.RequestIdDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.StatusReplyDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.chukei.protocol.text.SafeText;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Reads the relay's messages on one connection and hands them to the {@link Connector}
 * (session events) and the {@link RequestBook} (answers). Every frame is released here.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter
{
    static final String NAME = "chukei-connection";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final MessageReader reader = new MessageReader();
    private final Connector connector;
    private final RequestBook book;
    private final long attempt;
    private final boolean tls;

    ConnectionHandler(final Connector connector, final RequestBook book, final long attempt, final boolean tls)
    {
        this.connector = connector;
        this.book = book;
        this.attempt = attempt;
        this.tls = tls;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        if (!tls)
        {
            connector.transportReady(attempt, ctx.channel());
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof SslHandshakeCompletionEvent)
        {
            final SslHandshakeCompletionEvent handshake = (SslHandshakeCompletionEvent)event;
            if (handshake.isSuccess())
            {
                connector.transportReady(attempt, ctx.channel());
            }
            else
            {
                LOG.warn("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), SafeText.of(handshake.cause().toString()));
                connector.close(attempt, DisconnectReason.CONNECT_FAILED);
            }
        }
        else if (event instanceof IdleStateEvent)
        {
            final IdleStateEvent idle = (IdleStateEvent)event;
            if (idle.state() == IdleState.WRITER_IDLE)
            {
                connector.sendHeartbeat(ctx.channel());
            }
            else if (idle.state() == IdleState.READER_IDLE)
            {
                LOG.warn("nothing received from {} for the missed-heartbeat limit; moving", ctx.channel().remoteAddress());
                connector.close(attempt, DisconnectReason.MISSED_HEARTBEATS);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf message = (ByteBuf)msg;
        try
        {
            final ErrorCode error = reader.wrap(message);
            if (error != ErrorCode.NO_ERROR)
            {
                LOG.warn("unreadable message from {}: {}; closing", ctx.channel().remoteAddress(), reader.problem().detail());
                connector.close(attempt, DisconnectReason.PROTOCOL_ERROR);
                return;
            }
            dispatch(ctx);
        }
        finally
        {
            message.release();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof SofhFrameException && !((SofhFrameException)cause).isFatal())
        {
            LOG.warn("frame skipped from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            return;
        }
        LOG.warn("connection to {} failed: {}", ctx.channel().remoteAddress(), SafeText.of(cause.toString()));
        connector.close(attempt, cause instanceof SofhFrameException ?
            DisconnectReason.PROTOCOL_ERROR : DisconnectReason.CONNECTION_LOST);
        ctx.close();
    }

    private void dispatch(final ChannelHandlerContext ctx)
    {
        switch (reader.templateId())
        {
            case WelcomeDecoder.TEMPLATE_ID:
                connector.welcome(attempt, ctx.channel(), reader.welcome());
                break;
            case AcceptedDecoder.TEMPLATE_ID:
                book.accepted(acceptance(reader.accepted()));
                break;
            case ResultDecoder.TEMPLATE_ID:
                book.terminal(result(reader.result()), attempt);
                break;
            case RejectedDecoder.TEMPLATE_ID:
                rejected(ctx, reader.rejected());
                break;
            case StatusReplyDecoder.TEMPLATE_ID:
                book.statusReply(statusReply(reader.statusReply()));
                break;
            case RedirectDecoder.TEMPLATE_ID:
                redirect(reader.redirect());
                break;
            case GoAwayDecoder.TEMPLATE_ID:
                goAway(reader.goAway());
                break;
            case ClusterViewDecoder.TEMPLATE_ID:
                final ClusterViewDecoder clusterView = reader.clusterView();
                final int fromNodeId = clusterView.nodeId();
                connector.view(attempt, fromNodeId, ClusterViews.of(clusterView.nodes()));
                break;
            case io.chukei.protocol.sbe.BatchStatusReplyDecoder.TEMPLATE_ID:
                book.batchReply(reader.batchStatusReply());
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
                // Liveness is counted by the IdleStateHandler.
                break;
            default:
                LOG.warn("unexpected message template {} from relay {}; closing", reader.templateId(), ctx.channel().remoteAddress());
                connector.close(attempt, DisconnectReason.PROTOCOL_ERROR);
                break;
        }
    }

    private void rejected(final ChannelHandlerContext ctx, final RejectedDecoder rejected)
    {
        final Answer.Rejected answer = new Answer.Rejected(
            uuid(rejected.requestId()),
            rejected.nodeId(),
            rejected.code(),
            rejected.field(),
            optional(rejected.position(), RejectedDecoder.positionNullValue()),
            optional(rejected.codePoint(), RejectedDecoder.codePointNullValue()),
            optional(rejected.retryAfterMs(), RejectedDecoder.retryAfterMsNullValue()),
            rejected.detail(),
            false);
        if (answer.requestId().getMostSignificantBits() == 0 && answer.requestId().getLeastSignificantBits() == 0)
        {
            // About the session, not one request (e.g. a malformed frame, or Hello refused).
            LOG.warn("relay {} refused: {} {} ({})", ctx.channel().remoteAddress(), answer.code(), answer.field(),
                SafeText.of(answer.detail()));
            return;
        }
        book.terminal(answer, attempt);
    }

    /**
     * The node takes no new work. Whichever request it names, the whole session moves: the
     * redirected request stays unresolved and is resubmitted on the next node with the others.
     */
    private void redirect(final RedirectDecoder redirect)
    {
        final int nodeId = redirect.nodeId();
        final var state = redirect.state();
        connector.view(attempt, nodeId, ClusterViews.of(redirect.nodes()));
        LOG.info("node {} redirects ({}); moving", nodeId, state);
        connector.close(attempt, DisconnectReason.REDIRECT);
    }

    private void goAway(final GoAwayDecoder goAway)
    {
        final int nodeId = goAway.nodeId();
        final ErrorCode code = goAway.code();
        final long retryAfterMs = goAway.retryAfterMs() == GoAwayDecoder.retryAfterMsNullValue() ? 0 : goAway.retryAfterMs();
        // Read in schema order: the group (and its var data) before the detail.
        final var view = ClusterViews.of(goAway.nodes());
        LOG.info("node {} sent GoAway {} ({}); moving", nodeId, code, SafeText.of(goAway.detail()));
        connector.view(attempt, nodeId, view);
        connector.goAway(attempt, retryAfterMs);
    }

    private static Acceptance acceptance(final AcceptedDecoder accepted)
    {
        return new Acceptance(uuid(accepted.requestId()), accepted.nodeId(), accepted.journalPosition(),
            accepted.durability(), accepted.alreadyKnown() == BooleanType.TRUE);
    }

    private static Answer.Result result(final ResultDecoder result)
    {
        final UUID requestId = uuid(result.requestId());
        final int nodeId = result.nodeId();
        final var status = result.status();
        final int upstreamCode = result.upstreamCode();
        final long completedEpochMs = result.completedEpochMs();
        final String detail = result.detail();
        final byte[] payload = new byte[result.payloadLength()];
        result.getPayload(payload, 0, payload.length);
        return new Answer.Result(requestId, nodeId, status, upstreamCode, completedEpochMs, detail, payload);
    }

    private static RequestStatus statusReply(final StatusReplyDecoder reply)
    {
        return new RequestStatus(uuid(reply.requestId()), reply.nodeId(), reply.state(), reply.journalPosition(),
            Optional.empty());
    }

    private static UUID uuid(final RequestIdDecoder id)
    {
        return new UUID(id.hi(), id.lo());
    }

    private static OptionalLong optional(final long value, final long nullValue)
    {
        return value == nullValue ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
