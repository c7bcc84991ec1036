package io.chukei.protocol.client;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.BatchDeclareEncoder;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BatchState;
import io.chukei.protocol.sbe.BatchStatusQueryEncoder;
import io.chukei.protocol.sbe.BatchStatusReplyDecoder;
import io.chukei.protocol.sbe.DigestCheck;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Batch declarations and status queries on the current session. Every manifest declared is declared again first thing
 * on each new session (before resubmitted members: a node that takes over members after a failover then accounts for
 * them). Each BatchDeclare and BatchStatusQuery gets exactly one BatchStatusReply, in order, so replies are matched to
 * calls by batch id and order; a status query pages through the ranges ({@code nextSequence}). Calls unanswered when
 * a session ends are sent again on the next. Event-loop confined.
 */
final class BatchCalls
{
    /** One call waiting for its reply: a declaration (future null when it is a re-declaration) or a status query. */
    private static final class Call
    {
        final boolean declare;
        final CompletableFuture<BatchStatus> future;
        final long deadlineEpochMs;
        byte[] states;
        int size;
        int nodeId;
        DigestCheck digest = DigestCheck.NOT_CHECKED;
        long lastMemberEpochMs;
        long nextSequence = 1;

        Call(final boolean declare, final CompletableFuture<BatchStatus> future, final long deadlineEpochMs)
        {
            this.declare = declare;
            this.future = future;
            this.deadlineEpochMs = deadlineEpochMs;
        }
    }

    private final String municipalityCode;
    private final FrameWriter writer = new FrameWriter();
    private final BatchDeclareEncoder declareEncoder = new BatchDeclareEncoder();
    private final BatchStatusQueryEncoder queryEncoder = new BatchStatusQueryEncoder();
    private final Map<Long, BatchManifest> declared = new LinkedHashMap<>();
    private final Map<Long, ArrayDeque<Call>> waiting = new HashMap<>();

    BatchCalls(final String municipalityCode)
    {
        this.municipalityCode = municipalityCode;
    }

    void declare(final BatchManifest manifest, final CompletableFuture<BatchStatus> future, final long deadlineEpochMs,
        final Channel session)
    {
        declared.put(manifest.batchId(), manifest);
        final Call call = new Call(true, future, deadlineEpochMs);
        waiting.computeIfAbsent(manifest.batchId(), id -> new ArrayDeque<>()).add(call);
        if (session != null)
        {
            sendDeclare(session, manifest);
            session.flush();
        }
    }

    void status(final long batchId, final CompletableFuture<BatchStatus> future, final long deadlineEpochMs,
        final Channel session)
    {
        waiting.computeIfAbsent(batchId, id -> new ArrayDeque<>()).add(new Call(false, future, deadlineEpochMs));
        if (session != null)
        {
            sendQuery(session, batchId, 1);
            session.flush();
        }
    }

    /** A new session: every manifest again, then every call still waiting (queries from their start); caller flushes. */
    void sessionOpened(final Channel session)
    {
        for (final BatchManifest manifest : declared.values())
        {
            final ArrayDeque<Call> calls = waiting.computeIfAbsent(manifest.batchId(), id -> new ArrayDeque<>());
            if (calls.stream().noneMatch(c -> c.declare))
            {
                calls.addFirst(new Call(true, null, Long.MAX_VALUE));
            }
        }
        for (final Map.Entry<Long, ArrayDeque<Call>> entry : waiting.entrySet())
        {
            for (final Call call : entry.getValue())
            {
                call.states = null;
                if (call.declare)
                {
                    sendDeclare(session, declared.get(entry.getKey()));
                }
                else
                {
                    // Another node may answer now: a paged query starts again from its first sequence.
                    call.nextSequence = 1;
                    sendQuery(session, entry.getKey(), 1);
                }
            }
        }
    }

    /** The session ended: re-declarations without a caller are made again on the next one anyway. */
    void sessionClosed()
    {
        for (final ArrayDeque<Call> calls : waiting.values())
        {
            calls.removeIf(call -> call.future == null);
        }
        waiting.values().removeIf(ArrayDeque::isEmpty);
    }

    /** A BatchStatusReply: completes (or pages on) the oldest call for its batch id. */
    void reply(final BatchStatusReplyDecoder reply, final Channel session)
    {
        final long batchId = reply.batchId();
        final ArrayDeque<Call> calls = waiting.get(batchId);
        if (calls == null || calls.isEmpty())
        {
            return;
        }
        final Call call = calls.peekFirst();
        final ErrorCode code = reply.code();
        if (code != ErrorCode.NO_ERROR || reply.batchState() == BatchState.UNKNOWN)
        {
            // The group comes before the detail on the wire: walk it (empty) so the detail is read where it is.
            for (final BatchStatusReplyDecoder.RangesDecoder ignored : reply.ranges())
            {
                ignored.firstSequence();
            }
            if (call.declare && code != ErrorCode.NO_ERROR)
            {
                // Refused: not declared after all, so not declared again on the next session.
                declared.remove(batchId);
            }
            finish(batchId, calls, new BatchStatus(batchId, List.of(reply.nodeId()), code, reply.field(),
                detailOf(reply), reply.batchState(), 0, new byte[0], DigestCheck.NOT_CHECKED, 0, List.of()));
            return;
        }
        if (call.states == null)
        {
            call.size = (int)reply.batchSize();
            call.states = new byte[call.size];
            call.nodeId = reply.nodeId();
        }
        call.digest = reply.digestCheck();
        call.lastMemberEpochMs = reply.lastMemberEpochMs();
        for (final BatchStatusReplyDecoder.RangesDecoder range : reply.ranges())
        {
            final long first = range.firstSequence();
            final BatchMemberState state = range.state();
            for (long s = first; s < first + range.length() && s <= call.size; s++)
            {
                call.states[(int)s - 1] = (byte)state.value();
            }
        }
        final long next = reply.nextSequence();
        if (next != BatchStatusReplyDecoder.nextSequenceNullValue())
        {
            // More ranges: the rest is asked for after whatever else is already on the wire for this batch, so the
            // call moves to the back of the order, carrying what it has.
            calls.pollFirst();
            final Call rest = new Call(false, call.future, call.deadlineEpochMs);
            rest.states = call.states;
            rest.size = call.size;
            rest.nodeId = call.nodeId;
            rest.digest = call.digest;
            rest.lastMemberEpochMs = call.lastMemberEpochMs;
            rest.nextSequence = next;
            calls.addLast(rest);
            sendQuery(session, batchId, next);
            session.flush();
            return;
        }
        final BatchStatus status = new BatchStatus(batchId, List.of(call.nodeId), ErrorCode.NO_ERROR, FieldId.NONE, "",
            BatchState.OPEN, call.size, call.states, call.digest, call.lastMemberEpochMs, List.of());
        finish(batchId, calls, status.complete() ? new BatchStatus(batchId, status.nodeIds(), ErrorCode.NO_ERROR,
            FieldId.NONE, "", BatchState.COMPLETE, call.size, call.states, call.digest, call.lastMemberEpochMs,
            List.of()) : status);
    }

    void expire(final long nowMs)
    {
        final Iterator<Map.Entry<Long, ArrayDeque<Call>>> entries = waiting.entrySet().iterator();
        while (entries.hasNext())
        {
            final Map.Entry<Long, ArrayDeque<Call>> entry = entries.next();
            // Only the oldest may be answered next; a later one past its deadline still waits its turn in the order.
            final Call oldest = entry.getValue().peekFirst();
            if (oldest != null && oldest.deadlineEpochMs <= nowMs && oldest.future != null)
            {
                oldest.future.complete(local(entry.getKey(), ErrorCode.DEADLINE_EXCEEDED, "no batch answer before the " +
                    "deadline"));
                // It stays in the queue as a caller-less call, so the reply still due is matched to it, not the next.
                entry.getValue().pollFirst();
                entry.getValue().addFirst(new Call(oldest.declare, null, Long.MAX_VALUE));
            }
        }
    }

    void closeAll()
    {
        for (final Map.Entry<Long, ArrayDeque<Call>> entry : waiting.entrySet())
        {
            for (final Call call : entry.getValue())
            {
                if (call.future != null)
                {
                    call.future.complete(local(entry.getKey(), ErrorCode.SHUTTING_DOWN, "client closed"));
                }
            }
        }
        waiting.clear();
    }

    static BatchStatus local(final long batchId, final ErrorCode code, final String detail)
    {
        return new BatchStatus(batchId, List.of(), code, FieldId.NONE, detail, BatchState.UNKNOWN, 0, new byte[0],
            DigestCheck.NOT_CHECKED, 0, List.of());
    }

    private void finish(final long batchId, final ArrayDeque<Call> calls, final BatchStatus status)
    {
        final Call call = calls.pollFirst();
        if (calls.isEmpty())
        {
            waiting.remove(batchId);
        }
        if (call.future != null)
        {
            call.future.complete(status);
        }
    }

    private static String detailOf(final BatchStatusReplyDecoder reply)
    {
        return reply.detail();
    }

    private void sendDeclare(final Channel session, final BatchManifest manifest)
    {
        final ByteBuf buffer = session.alloc().directBuffer(96);
        writer.begin(buffer, declareEncoder, BatchDeclareEncoder.BLOCK_LENGTH);
        declareEncoder.batchId(manifest.batchId()).municipalityCode(municipalityCode).batchSize(manifest.size())
            .putMemberDigest(manifest.memberDigest(), 0, BatchManifest.DIGEST_LENGTH);
        writer.finish(declareEncoder);
        session.write(buffer, session.voidPromise());
    }

    private void sendQuery(final Channel session, final long batchId, final long fromSequence)
    {
        final ByteBuf buffer = session.alloc().directBuffer(64);
        writer.begin(buffer, queryEncoder, BatchStatusQueryEncoder.BLOCK_LENGTH);
        queryEncoder.batchId(batchId).municipalityCode(municipalityCode).fromSequence(fromSequence);
        writer.finish(queryEncoder);
        session.write(buffer, session.voidPromise());
    }
}
