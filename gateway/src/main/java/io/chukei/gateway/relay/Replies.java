package io.chukei.gateway.relay;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.AcceptedEncoder;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BatchState;
import io.chukei.protocol.sbe.BatchStatusReplyEncoder;
import io.chukei.protocol.sbe.DigestCheck;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ClusterViewEncoder;
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
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the relay's answers into pooled buffers, SOFH header included. One set of
 * encoders per thread, so any event loop (connector or upstream) can answer without locks.
 */
public final class Replies
{
    private static final int SMALL_BODY = 128;
    private static final int MAX_DETAIL = 1024;

    private static final FastThreadLocal<Replies> PER_THREAD = new FastThreadLocal<>()
    {
        @Override
        protected Replies initialValue()
        {
            return new Replies();
        }
    };

    private final FrameWriter writer = new FrameWriter();
    private final WelcomeEncoder welcome = new WelcomeEncoder();
    private final AcceptedEncoder accepted = new AcceptedEncoder();
    private final ResultEncoder result = new ResultEncoder();
    private final RejectedEncoder rejected = new RejectedEncoder();
    private final GoAwayEncoder goAway = new GoAwayEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final StatusReplyEncoder statusReply = new StatusReplyEncoder();
    private final RedirectEncoder redirect = new RedirectEncoder();
    private final ClusterViewEncoder clusterView = new ClusterViewEncoder();
    private final BatchStatusReplyEncoder batchStatusReply = new BatchStatusReplyEncoder();

    private Replies()
    {
    }

    /** The calling thread's encoders. */
    public static Replies current()
    {
        return PER_THREAD.get();
    }

    public ByteBuf welcome(
        final ByteBufAllocator alloc,
        final int nodeId,
        final long sessionId,
        final int heartbeatIntervalMs,
        final int maxFrameLength,
        final int maxInFlight,
        final Durability durability,
        final ClusterSnapshot cluster)
    {
        final ByteBuf buf = alloc.buffer();
        final WelcomeEncoder w = writer.begin(buf, welcome, SMALL_BODY + cluster.encodedSize());
        w.nodeId(nodeId).sessionId(sessionId).heartbeatIntervalMs(heartbeatIntervalMs)
            .maxFrameLength(maxFrameLength).maxInFlight(maxInFlight).durability(durability);
        final WelcomeEncoder.NodesEncoder nodes = w.nodesCount(cluster.size());
        for (int i = 0; i < cluster.size(); i++)
        {
            nodes.next().nodeId(cluster.nodeId(i)).state(cluster.state(i)).address(cluster.address(i));
        }
        writer.finish(w);
        return buf;
    }

    public ByteBuf accepted(
        final ByteBufAllocator alloc,
        final long idHi,
        final long idLo,
        final int nodeId,
        final long journalPosition,
        final Durability durability,
        final boolean alreadyKnown)
    {
        final ByteBuf buf = alloc.buffer(64);
        final AcceptedEncoder a = writer.begin(buf, accepted, AcceptedEncoder.BLOCK_LENGTH);
        a.requestId().hi(idHi).lo(idLo);
        a.nodeId(nodeId).journalPosition(journalPosition).durability(durability)
            .alreadyKnown(alreadyKnown ? BooleanType.TRUE : BooleanType.FALSE);
        writer.finish(a);
        return buf;
    }

    public ByteBuf result(
        final ByteBufAllocator alloc,
        final long idHi,
        final long idLo,
        final int nodeId,
        final OutcomeStatus status,
        final int upstreamCode,
        final long completedEpochMs,
        final DirectBuffer detail,
        final int detailOffset,
        final int detailLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final ByteBuf buf = alloc.buffer(64 + detailLength + payloadLength);
        final ResultEncoder r = writer.begin(buf, result, SMALL_BODY + detailLength + payloadLength);
        r.requestId().hi(idHi).lo(idLo);
        r.nodeId(nodeId).status(status).upstreamCode(upstreamCode).completedEpochMs(completedEpochMs);
        r.putDetail(detail, detailOffset, detailLength);
        r.putPayload(payload, payloadOffset, payloadLength);
        writer.finish(r);
        return buf;
    }

    public ByteBuf rejected(
        final ByteBufAllocator alloc,
        final long idHi,
        final long idLo,
        final int nodeId,
        final ErrorCode code,
        final FieldId field,
        final long position,
        final long codePoint,
        final long retryAfterMs,
        final String detail)
    {
        final byte[] text = clip(detail);
        final ByteBuf buf = alloc.buffer(64 + text.length);
        final RejectedEncoder r = writer.begin(buf, rejected, SMALL_BODY + text.length);
        r.requestId().hi(idHi).lo(idLo);
        r.nodeId(nodeId).code(code).field(field)
            .position(position < 0 ? RejectedEncoder.positionNullValue() : position)
            .codePoint(codePoint < 0 ? RejectedEncoder.codePointNullValue() : codePoint)
            .retryAfterMs(retryAfterMs < 0 ? RejectedEncoder.retryAfterMsNullValue() : retryAfterMs);
        r.putDetail(text, 0, text.length);
        writer.finish(r);
        return buf;
    }

    public ByteBuf goAway(
        final ByteBufAllocator alloc, final int nodeId, final ErrorCode code, final ClusterSnapshot cluster, final String detail)
    {
        final byte[] text = clip(detail);
        final ByteBuf buf = alloc.buffer();
        final GoAwayEncoder g = writer.begin(buf, goAway, SMALL_BODY + text.length + cluster.encodedSize());
        g.nodeId(nodeId).code(code).retryAfterMs(GoAwayEncoder.retryAfterMsNullValue());
        final GoAwayEncoder.NodesEncoder nodes = g.nodesCount(cluster.size());
        for (int i = 0; i < cluster.size(); i++)
        {
            nodes.next().nodeId(cluster.nodeId(i)).state(cluster.state(i)).address(cluster.address(i));
        }
        g.putDetail(text, 0, text.length);
        writer.finish(g);
        return buf;
    }

    /** This node takes no new work ({@code state} says why): the connector sends the request to a node of the view. */
    public ByteBuf redirect(
        final ByteBufAllocator alloc, final long idHi, final long idLo, final int nodeId, final NodeState state,
        final ClusterSnapshot cluster)
    {
        final ByteBuf buf = alloc.buffer();
        final RedirectEncoder r = writer.begin(buf, redirect, SMALL_BODY + cluster.encodedSize());
        r.requestId().hi(idHi).lo(idLo);
        r.nodeId(nodeId).state(state);
        final RedirectEncoder.NodesEncoder nodes = r.nodesCount(cluster.size());
        for (int i = 0; i < cluster.size(); i++)
        {
            nodes.next().nodeId(cluster.nodeId(i)).state(cluster.state(i)).address(cluster.address(i));
        }
        writer.finish(r);
        return buf;
    }

    /** The view pushed to open sessions when any node's state changes. */
    public ByteBuf clusterView(final ByteBufAllocator alloc, final int nodeId, final ClusterSnapshot cluster)
    {
        final ByteBuf buf = alloc.buffer();
        final ClusterViewEncoder v = writer.begin(buf, clusterView, SMALL_BODY + cluster.encodedSize());
        v.nodeId(nodeId);
        final ClusterViewEncoder.NodesEncoder nodes = v.nodesCount(cluster.size());
        for (int i = 0; i < cluster.size(); i++)
        {
            nodes.next().nodeId(cluster.nodeId(i)).state(cluster.state(i)).address(cluster.address(i));
        }
        writer.finish(v);
        return buf;
    }

    public ByteBuf heartbeat(final ByteBufAllocator alloc, final long nowEpochMs, final NodeState state)
    {
        final ByteBuf buf = alloc.buffer(32);
        final HeartbeatEncoder h = writer.begin(buf, heartbeat, HeartbeatEncoder.BLOCK_LENGTH);
        h.timestampEpochMs(nowEpochMs).nodeState(state);
        writer.finish(h);
        return buf;
    }

    public ByteBuf statusReply(
        final ByteBufAllocator alloc, final long idHi, final long idLo, final int nodeId, final RequestState state,
        final long position)
    {
        final ByteBuf buf = alloc.buffer(64);
        final StatusReplyEncoder s = writer.begin(buf, statusReply, StatusReplyEncoder.BLOCK_LENGTH);
        s.requestId().hi(idHi).lo(idLo);
        s.nodeId(nodeId).state(state).journalPosition(position);
        writer.finish(s);
        return buf;
    }

    /** Ranges per BatchStatusReply: 2,000 x 9 bytes keeps the frame far below the smallest maxFrameLength. */
    public static final int MAX_BATCH_RANGES = 2_000;

    /**
     * One node's account of a batch ({@code snapshot} null: UNKNOWN, or a refusal when {@code code} is not NO_ERROR),
     * with the ranges from {@code fromSequence}. Allocates: batch answers are rare and not on the member path.
     */
    public ByteBuf batchStatusReply(
        final ByteBufAllocator alloc, final long batchId, final int nodeId, final ErrorCode code, final FieldId field,
        final io.chukei.gateway.batch.BatchSnapshot snapshot, final long fromSequence, final String detail)
    {
        final java.util.List<io.chukei.gateway.batch.BatchSnapshot.Range> ranges = snapshot == null ? java.util.List.of() :
            snapshot.ranges(fromSequence, MAX_BATCH_RANGES);
        final byte[] text = clip(detail);
        final ByteBuf buf = alloc.buffer(128 + ranges.size() * 9 + text.length);
        final BatchStatusReplyEncoder r = writer.begin(buf, batchStatusReply,
            BatchStatusReplyEncoder.BLOCK_LENGTH + 4 + ranges.size() * 9 + 2 + text.length);
        r.batchId(batchId).nodeId(nodeId).code(code).field(field);
        if (snapshot == null)
        {
            r.batchState(BatchState.UNKNOWN).batchSize(0).accepted(0).completedOk(0).completedRefused(0).rejected(0)
                .outcomeUnknown(0).neverSeen(0).digestCheck(DigestCheck.NOT_CHECKED).lastMemberEpochMs(0)
                .nextSequence(BatchStatusReplyEncoder.nextSequenceNullValue());
        }
        else
        {
            final long next = snapshot.nextSequence(ranges);
            r.batchState(snapshot.complete() ? BatchState.COMPLETE : BatchState.OPEN).batchSize(snapshot.size())
                .accepted(snapshot.count(BatchMemberState.ACCEPTED))
                .completedOk(snapshot.count(BatchMemberState.COMPLETED_OK))
                .completedRefused(snapshot.count(BatchMemberState.COMPLETED_REFUSED))
                .rejected(snapshot.count(BatchMemberState.REJECTED))
                .outcomeUnknown(snapshot.count(BatchMemberState.OUTCOME_UNKNOWN))
                .neverSeen(snapshot.count(BatchMemberState.NEVER_SEEN))
                .digestCheck(snapshot.digestCheck()).lastMemberEpochMs(snapshot.lastMemberEpochMs())
                .nextSequence(next == 0 ? BatchStatusReplyEncoder.nextSequenceNullValue() : next);
        }
        final BatchStatusReplyEncoder.RangesEncoder group = r.rangesCount(ranges.size());
        for (final io.chukei.gateway.batch.BatchSnapshot.Range range : ranges)
        {
            group.next().firstSequence(range.firstSequence()).length(range.length()).state(range.state());
        }
        r.putDetail(text, 0, text.length);
        writer.finish(r);
        return buf;
    }

    private static byte[] clip(final String detail)
    {
        final byte[] bytes = detail == null ? new byte[0] : detail.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_DETAIL)
        {
            return bytes;
        }
        // Cut on a character boundary: never send a truncated UTF-8 sequence.
        int end = MAX_DETAIL;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
