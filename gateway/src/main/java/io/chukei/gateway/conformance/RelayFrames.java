package io.chukei.gateway.conformance;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.AcceptedEncoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.GoAwayEncoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RedirectEncoder;
import io.chukei.protocol.sbe.RejectedEncoder;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.ResultEncoder;
import io.chukei.protocol.sbe.StatusReplyEncoder;
import io.chukei.protocol.sbe.WelcomeEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

import java.util.List;
import java.util.UUID;

/**
 * The relay's side of the wire for one connection, written with the protocol's own codecs: one frame per
 * call, flushed at once (the script's timing is what is being tested, so nothing waits for a batch).
 */
final class RelayFrames
{
    private static final int MAX_BODY = 4096;
    static final int MAX_IN_FLIGHT = 16;

    private final FrameWriter writer = new FrameWriter();
    private final Channel channel;
    private final int nodeId;
    private long journalPosition;

    RelayFrames(final Channel channel, final int nodeId)
    {
        this.channel = channel;
        this.nodeId = nodeId;
    }

    ChannelFuture welcome(final long sessionId, final long heartbeatMs, final List<ListenerNode> view)
    {
        final ByteBuf buffer = buffer();
        final WelcomeEncoder welcome = writer.begin(buffer, new WelcomeEncoder(), MAX_BODY);
        welcome.nodeId(nodeId).sessionId(sessionId).heartbeatIntervalMs(heartbeatMs)
            .maxFrameLength(SofhFrame.DEFAULT_MAX_FRAME_LENGTH).maxInFlight(MAX_IN_FLIGHT).durability(Durability.PROCESS);
        final WelcomeEncoder.NodesEncoder nodes = welcome.nodesCount(view.size());
        for (final ListenerNode node : view)
        {
            nodes.next().nodeId(node.nodeId()).state(NodeState.ACTIVE).address(node.address());
        }
        return send(buffer, welcome);
    }

    ChannelFuture heartbeat()
    {
        final ByteBuf buffer = buffer();
        final HeartbeatEncoder heartbeat = writer.begin(buffer, new HeartbeatEncoder(), MAX_BODY);
        heartbeat.timestampEpochMs(System.currentTimeMillis()).nodeState(NodeState.ACTIVE);
        return send(buffer, heartbeat);
    }

    ChannelFuture accepted(final UUID requestId, final boolean alreadyKnown)
    {
        final ByteBuf buffer = buffer();
        final AcceptedEncoder accepted = writer.begin(buffer, new AcceptedEncoder(), MAX_BODY);
        accepted.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        accepted.nodeId(nodeId).journalPosition(++journalPosition).durability(Durability.PROCESS)
            .alreadyKnown(alreadyKnown ? BooleanType.TRUE : BooleanType.FALSE);
        return send(buffer, accepted);
    }

    /** Result OK; {@code upstreamCode} tells the vendor which scenario answered (0: a request outside the script). */
    ChannelFuture result(final UUID requestId, final int upstreamCode, final String detail)
    {
        final ByteBuf buffer = buffer();
        final ResultEncoder result = writer.begin(buffer, new ResultEncoder(), MAX_BODY);
        result.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        result.nodeId(nodeId).status(OutcomeStatus.OK).upstreamCode(upstreamCode).completedEpochMs(System.currentTimeMillis());
        result.detail(detail);
        result.putPayload(new byte[0], 0, 0);
        return send(buffer, result);
    }

    ChannelFuture rejected(final UUID requestId, final ErrorCode code, final FieldId field, final long retryAfterMs, final String detail)
    {
        final ByteBuf buffer = buffer();
        final RejectedEncoder rejected = writer.begin(buffer, new RejectedEncoder(), MAX_BODY);
        rejected.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        rejected.nodeId(nodeId).code(code).field(field)
            .position(RejectedEncoder.positionNullValue())
            .codePoint(RejectedEncoder.codePointNullValue())
            .retryAfterMs(retryAfterMs < 0 ? RejectedEncoder.retryAfterMsNullValue() : retryAfterMs);
        rejected.detail(detail);
        return send(buffer, rejected);
    }

    /** Redirect: this node (DRAINING) takes no new work; the view says where to go. */
    ChannelFuture redirect(final UUID requestId, final List<ListenerNode> view)
    {
        final ByteBuf buffer = buffer();
        final RedirectEncoder redirect = writer.begin(buffer, new RedirectEncoder(), MAX_BODY);
        redirect.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        redirect.nodeId(nodeId).state(NodeState.DRAINING);
        final RedirectEncoder.NodesEncoder nodes = redirect.nodesCount(view.size());
        for (final ListenerNode node : view)
        {
            nodes.next().nodeId(node.nodeId()).state(stateOf(node)).address(node.address());
        }
        return send(buffer, redirect);
    }

    /** GoAway with this node DRAINING in its view, then the connection is closed. */
    ChannelFuture goAway(final ErrorCode code, final List<ListenerNode> view, final String detail)
    {
        final ByteBuf buffer = buffer();
        final GoAwayEncoder goAway = writer.begin(buffer, new GoAwayEncoder(), MAX_BODY);
        goAway.nodeId(nodeId).code(code).retryAfterMs(GoAwayEncoder.retryAfterMsNullValue());
        final GoAwayEncoder.NodesEncoder nodes = goAway.nodesCount(view.size());
        for (final ListenerNode node : view)
        {
            nodes.next().nodeId(node.nodeId()).state(stateOf(node)).address(node.address());
        }
        goAway.detail(detail);
        return send(buffer, goAway);
    }

    ChannelFuture statusReply(final UUID requestId, final RequestState state, final long position)
    {
        final ByteBuf buffer = buffer();
        final StatusReplyEncoder reply = writer.begin(buffer, new StatusReplyEncoder(), MAX_BODY);
        reply.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        reply.nodeId(nodeId).state(state).journalPosition(position);
        return send(buffer, reply);
    }

    private NodeState stateOf(final ListenerNode node)
    {
        return node.nodeId() == nodeId ? NodeState.DRAINING : NodeState.ACTIVE;
    }

    private ByteBuf buffer()
    {
        return channel.alloc().buffer(256);
    }

    private ChannelFuture send(final ByteBuf buffer, final org.agrona.sbe.MessageEncoderFlyweight encoder)
    {
        writer.finish(encoder);
        return channel.writeAndFlush(buffer);
    }
}
