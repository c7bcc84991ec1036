package io.chukei.protocol.client;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.StatusQueryEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Outstanding {@code StatusQuery}s by request id. A query is sent when a session is open (and
 * again on every new session until answered) and ends with the first {@code Result},
 * {@code Rejected} or {@code StatusReply} for its id, or locally when its deadline passes.
 * Event-loop confined.
 */
final class StatusQueries
{
    private static final class Query
    {
        final long deadlineEpochMs;
        final CompletableFuture<RequestStatus> future;

        Query(final long deadlineEpochMs, final CompletableFuture<RequestStatus> future)
        {
            this.deadlineEpochMs = deadlineEpochMs;
            this.future = future;
        }
    }

    private final Map<UUID, List<Query>> pending = new HashMap<>();
    private final FrameWriter writer = new FrameWriter();
    private final StatusQueryEncoder encoder = new StatusQueryEncoder();
    private final String municipalityCode;

    StatusQueries(final String municipalityCode)
    {
        this.municipalityCode = municipalityCode;
    }

    String municipalityCode()
    {
        return municipalityCode;
    }

    void add(
        final UUID requestId,
        final long deadlineEpochMs,
        final CompletableFuture<RequestStatus> future,
        final Channel session)
    {
        final List<Query> queries = pending.computeIfAbsent(requestId, id -> new ArrayList<>(1));
        queries.add(new Query(deadlineEpochMs, future));
        if (session != null && queries.size() == 1)
        {
            send(session, requestId);
            session.flush();
        }
    }

    /** Sends every outstanding query on a new session; the caller flushes. */
    void sendAll(final Channel session)
    {
        for (final UUID requestId : pending.keySet())
        {
            send(session, requestId);
        }
    }

    /** Completes the queries for a terminal answer; returns whether there were any. */
    boolean answer(final UUID requestId, final Answer answer)
    {
        final RequestState state = answer.kind() == Answer.Kind.RESULT ? RequestState.COMPLETED : RequestState.REJECTED;
        return complete(requestId, new RequestStatus(requestId, answer.nodeId(), state, -1, Optional.of(answer)));
    }

    /** Completes the queries for a {@code StatusReply}; returns whether there were any. */
    boolean reply(final RequestStatus status)
    {
        return complete(status.requestId(), status);
    }

    void expire(final long nowMs)
    {
        expire(nowMs, ErrorCode.DEADLINE_EXCEEDED, "no status answer before the deadline");
    }

    void closeAll()
    {
        expire(Long.MAX_VALUE, ErrorCode.SHUTTING_DOWN, "client closed");
    }

    private void expire(final long nowMs, final ErrorCode code, final String detail)
    {
        if (pending.isEmpty())
        {
            return;
        }
        final Iterator<Map.Entry<UUID, List<Query>>> entries = pending.entrySet().iterator();
        while (entries.hasNext())
        {
            final Map.Entry<UUID, List<Query>> entry = entries.next();
            entry.getValue().removeIf(query ->
            {
                if (query.deadlineEpochMs > nowMs)
                {
                    return false;
                }
                final Answer expired = Answer.Rejected.local(entry.getKey(), code, FieldId.NONE, detail);
                query.future.complete(new RequestStatus(entry.getKey(), Answer.LOCAL_NODE_ID, RequestState.UNKNOWN, -1,
                    Optional.of(expired)));
                return true;
            });
            if (entry.getValue().isEmpty())
            {
                entries.remove();
            }
        }
    }

    private boolean complete(final UUID requestId, final RequestStatus status)
    {
        final List<Query> queries = pending.remove(requestId);
        if (queries == null)
        {
            return false;
        }
        for (final Query query : queries)
        {
            query.future.complete(status);
        }
        return true;
    }

    private void send(final Channel session, final UUID requestId)
    {
        final ByteBuf buffer = session.alloc().directBuffer(64);
        writer.begin(buffer, encoder, StatusQueryEncoder.BLOCK_LENGTH);
        encoder.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        encoder.municipalityCode(municipalityCode);
        writer.finish(encoder);
        session.write(buffer, session.voidPromise());
    }
}
