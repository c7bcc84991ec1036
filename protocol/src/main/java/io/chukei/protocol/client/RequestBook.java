package io.chukei.protocol.client;

import io.chukei.protocol.client.outbox.ConnectorOutbox;
import io.chukei.protocol.client.outbox.OutboxDurability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.RequestState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Every request the SDK holds until its terminal answer, and the rules that move it:
 * <ul>
 *   <li>a request waits locally until a session is open and fewer than the relay's
 *       {@code maxInFlight} requests are outstanding on it;</li>
 *   <li>when a session ends, every unresolved request (sent, acknowledged or not) goes back to
 *       waiting in submission order; its next send carries the possible-duplicate flag and the
 *       next attempt number;</li>
 *   <li>the first terminal answer resolves it; later answers for the same id are dropped and
 *       counted;</li>
 *   <li>when its deadline passes it is resolved locally with {@code DEADLINE_EXCEEDED};</li>
 *   <li>a relay's {@code Rejected OUTCOME_UNKNOWN} does not resolve it (unless the wait for outcomes is 0): it
 *       leaves the wire and waits for the verdict the relay pushes, is resent on a session move with a new
 *       deadline, and is resolved with that OUTCOME_UNKNOWN only if no verdict comes within the wait.</li>
 *   <li>with an outbox, a request is recorded there before its first send (in SYNC durability it waits for the
 *       fsync covering it), and its final answer is recorded after the caller's answer future completed, except a
 *       local SHUTTING_DOWN at close: that request stays unresolved in the outbox for the next start.</li>
 * </ul>
 * Event-loop confined: no locks.
 */
final class RequestBook
{
    /** Answer kinds as the outbox records them (OutboxEntry). */
    private static final byte KIND_RESULT = 1;
    private static final byte KIND_REJECTED = 2;

    private final Map<UUID, Submission> unresolved = new LinkedHashMap<>();
    /** Submissions to send, in order; may hold stale entries (resolved or already sent) that are skipped. */
    private final ArrayDeque<Submission> waiting = new ArrayDeque<>();
    /** Ordered by deadline; resolved entries are skipped lazily when they come up. */
    private final PriorityQueue<Submission> byDeadline =
        new PriorityQueue<>(Comparator.comparingLong((Submission s) -> s.deadlineEpochMs));
    /**
     * Resolved requests (deadline, or an answer from an older session) that the relay of the
     * current session still carries: each still takes one of its maxInFlight slots until it answers.
     */
    private final Map<UUID, Submission> answeredElsewhere = new HashMap<>();
    /**
     * Requests sent on the current session, in send order, for the per-attempt timeout; entries
     * acknowledged or resolved since are skipped lazily, so the head is the oldest still waiting.
     */
    private final ArrayDeque<Submission> unacknowledged = new ArrayDeque<>();
    private final StatusQueries statusQueries;
    private final BatchCalls batchCalls;
    private final Counters counters;
    private final int maxQueued;
    private final java.time.Clock clock;
    private final long outcomeUnknownWaitMs;
    /** Requests the relay answered OUTCOME_UNKNOWN, in that order (so by the end of their wait); stale ones skipped. */
    private final ArrayDeque<Submission> outcomeUnknown = new ArrayDeque<>();
    /** Null without an outbox. */
    private ConnectorOutbox outbox;
    private boolean syncBeforeSend;
    private Executor loop;

    private int waitingCount;
    private Channel session;
    private long sessionGeneration = -1;
    private int maxInFlight;
    private int maxFrameLength;
    private int inFlight;
    private boolean closed;

    RequestBook(final int maxQueued, final Counters counters, final StatusQueries statusQueries)
    {
        this(maxQueued, counters, statusQueries, java.time.Clock.systemUTC(), 0);
    }

    /** {@code outcomeUnknownWaitMs}: how long a request the relay answered OUTCOME_UNKNOWN waits for its verdict (0: not). */
    RequestBook(final int maxQueued, final Counters counters, final StatusQueries statusQueries, final java.time.Clock clock,
        final long outcomeUnknownWaitMs)
    {
        this.clock = clock;
        this.outcomeUnknownWaitMs = outcomeUnknownWaitMs;
        this.maxQueued = maxQueued;
        this.counters = counters;
        this.statusQueries = statusQueries;
        this.batchCalls = new BatchCalls(statusQueries.municipalityCode());
    }

    /** Records requests in {@code outbox} from now on; SYNC durability resumes sends on {@code loop}. */
    void useOutbox(final ConnectorOutbox outbox, final Executor loop)
    {
        this.outbox = outbox;
        this.loop = loop;
        this.syncBeforeSend = outbox.config().durability() == OutboxDurability.SYNC;
    }

    /** Takes back requests an earlier process recorded in the outbox and never saw finished; sent once a session opens. */
    void recover(final Iterable<Submission> recovered)
    {
        for (final Submission submission : recovered)
        {
            if (closed || unresolved.containsKey(submission.requestId()))
            {
                continue;
            }
            unresolved.put(submission.requestId(), submission);
            byDeadline.add(submission);
            enqueue(submission);
        }
        drain();
        publish();
    }

    /** Takes a new request from {@code submit}. */
    void submit(final Submission submission, final long nowMs)
    {
        if (closed)
        {
            counters.submitted++;
            complete(submission, Answer.Rejected.local(submission.requestId(), ErrorCode.SHUTTING_DOWN, FieldId.NONE,
                "client closed"));
        }
        else if (submission.deadlineEpochMs <= nowMs)
        {
            counters.submitted++;
            counters.deadlinesExpired++;
            complete(submission, Answer.Rejected.local(submission.requestId(), ErrorCode.DEADLINE_EXCEEDED,
                FieldId.DEADLINE, "deadline " + submission.deadlineEpochMs + " passed before the request was sent"));
        }
        else if (unresolved.containsKey(submission.requestId()))
        {
            counters.submitted++;
            complete(submission, Answer.Rejected.local(submission.requestId(), ErrorCode.REQUEST_ID_CONFLICT,
                FieldId.REQUEST_ID, "requestId: " + submission.requestId() + " is already unresolved in this client"));
        }
        else if (waitingCount >= maxQueued)
        {
            counters.submitted++;
            complete(submission, Answer.Rejected.local(submission.requestId(), ErrorCode.OVERLOADED, FieldId.NONE,
                "local queue: " + waitingCount + " requests waiting (expected: < maxQueued " + maxQueued + ")"));
        }
        else if (outbox != null && !record(submission, nowMs))
        {
            counters.submitted++;
            complete(submission, Answer.Rejected.local(submission.requestId(), ErrorCode.JOURNAL_UNAVAILABLE, FieldId.NONE,
                "connector outbox " + outbox.config().directory() + ": the request could not be recorded, so it was not " +
                "sent (see the SDK's log)"));
        }
        else if (syncBeforeSend)
        {
            unresolved.put(submission.requestId(), submission);
            byDeadline.add(submission);
            submission.state = Submission.State.DURABLE_WAIT;
            outbox.whenDurable(submission.outboxIndex, loop, () -> durable(submission));
            publish();
            counters.submitted++;
        }
        else
        {
            unresolved.put(submission.requestId(), submission);
            byDeadline.add(submission);
            enqueue(submission);
            drain();
            publish();
            // Counted last: whoever sees this request counted also sees where it went (queued or in flight).
            // Counted first, a reader could see it submitted but in neither (a CI failure of ConnectorClientTest).
            counters.submitted++;
        }
    }

    private boolean record(final Submission submission, final long nowMs)
    {
        final long index = outbox.appendSubmit(submission.frame, nowMs);
        if (index == ConnectorOutbox.APPEND_FAILED)
        {
            return false;
        }
        submission.outboxIndex = index;
        submission.submittedAtMs = nowMs;
        return true;
    }

    /** SYNC durability: the fsync covering the request's outbox entry is done; it may be sent. */
    private void durable(final Submission submission)
    {
        if (submission.state == Submission.State.DURABLE_WAIT)
        {
            enqueue(submission);
            drain();
            publish();
        }
    }

    /** A session is open on {@code channel}: send what waits, up to {@code maxInFlight}. */
    void sessionOpened(final Channel channel, final long generation, final int maxInFlight, final int maxFrameLength)
    {
        this.session = channel;
        this.sessionGeneration = generation;
        this.maxInFlight = Math.max(1, maxInFlight);
        this.maxFrameLength = maxFrameLength;
        this.inFlight = 0;
        answeredElsewhere.clear();
        // Manifests first: the members resubmitted below are then accounted for by this node.
        batchCalls.sessionOpened(channel);
        drain();
        statusQueries.sendAll(channel);
        channel.flush();
        publish();
    }

    /** A BatchDeclare, sent now when a session is open, and again on every new session. */
    void declareBatch(final BatchManifest manifest, final long deadlineEpochMs,
        final java.util.concurrent.CompletableFuture<BatchStatus> future)
    {
        batchCalls.declare(manifest, future, deadlineEpochMs, session);
    }

    /** A BatchStatusQuery to the current node (sent on the next session when none is open). */
    void batchStatus(final long batchId, final long deadlineEpochMs,
        final java.util.concurrent.CompletableFuture<BatchStatus> future)
    {
        batchCalls.status(batchId, future, deadlineEpochMs, session);
    }

    void batchReply(final io.chukei.protocol.sbe.BatchStatusReplyDecoder reply)
    {
        if (session != null)
        {
            batchCalls.reply(reply, session);
        }
    }

    /** The session ended: everything unresolved waits again, in submission order. */
    void sessionClosed()
    {
        batchCalls.sessionClosed();
        session = null;
        sessionGeneration = -1;
        inFlight = 0;
        answeredElsewhere.clear();
        unacknowledged.clear();
        waiting.clear();
        waitingCount = 0;
        for (final Submission submission : unresolved.values())
        {
            if (submission.state != Submission.State.DURABLE_WAIT)
            {
                enqueue(submission);
            }
        }
        publish();
    }

    void accepted(final Acceptance acceptance)
    {
        final Submission submission = unresolved.get(acceptance.requestId());
        if (submission != null)
        {
            submission.acknowledged = true;
            submission.acknowledge(acceptance);
        }
    }

    /**
     * Whether a request sent on the current session has waited longer than {@code timeoutNs} for
     * its Accepted, Rejected or Result: the node takes bytes but does not serve. O(1) amortised,
     * no allocation: meant for a periodic sweep rather than a timer per request.
     */
    boolean attemptOverdue(final long nowNs, final long timeoutNs)
    {
        Submission oldest;
        while ((oldest = unacknowledged.peek()) != null && (oldest.state != Submission.State.SENT || oldest.acknowledged))
        {
            unacknowledged.poll();
        }
        return oldest != null && nowNs - oldest.sentAtNs > timeoutNs;
    }

    /** Requests without a terminal answer, sent or waiting. */
    int unresolvedCount()
    {
        return unresolved.size();
    }

    /** A terminal answer arrived on the session of {@code generation} (the current one or an older one). */
    void terminal(final Answer answer, final long generation)
    {
        final UUID requestId = answer.requestId();
        if (outcomeUnknownWaitMs > 0 && answer instanceof Answer.Rejected rejected && !rejected.local() &&
            rejected.code() == ErrorCode.OUTCOME_UNKNOWN && awaitOutcome(rejected, generation))
        {
            return;
        }
        final boolean queried = statusQueries.answer(requestId, answer);
        final Submission submission = unresolved.remove(requestId);
        if (submission == null)
        {
            if (generation == sessionGeneration && answeredElsewhere.remove(requestId) != null)
            {
                inFlight--;
            }
            if (!queried)
            {
                counters.lateAnswersDropped++;
            }
        }
        else
        {
            release(submission, generation);
            complete(submission, answer);
        }
        drain();
        publish();
    }

    /**
     * The relay does not know the request's outcome (its deadline passed after a forward): keep it unresolved, off the
     * wire, until the verdict comes or the wait ends. False when the id is not unresolved here (then it is an answer
     * like any other: a status query's, or a late one).
     */
    private boolean awaitOutcome(final Answer.Rejected answer, final long generation)
    {
        final Submission submission = unresolved.get(answer.requestId());
        if (submission == null)
        {
            return false;
        }
        release(submission, generation);
        if (submission.outcomeUnknownUntilMs == 0)
        {
            counters.outcomeUnknown++;
            submission.outcomeUnknownUntilMs = clock.millis() + outcomeUnknownWaitMs;
            outcomeUnknown.add(submission);
        }
        submission.outcomeUnknown = answer;
        submission.state = Submission.State.OUTCOME_UNKNOWN;
        drain();
        publish();
        return true;
    }

    void status(final UUID requestId, final long deadlineEpochMs, final CompletableFuture<RequestStatus> future)
    {
        if (closed)
        {
            future.complete(new RequestStatus(requestId, Answer.LOCAL_NODE_ID, RequestState.UNKNOWN, -1, Optional.of(
                Answer.Rejected.local(requestId, ErrorCode.SHUTTING_DOWN, FieldId.NONE, "client closed"))));
            return;
        }
        statusQueries.add(requestId, deadlineEpochMs, future, session);
    }

    void statusReply(final RequestStatus status)
    {
        statusQueries.reply(status);
    }

    /** Resolves every request (and status query) whose deadline is at or before {@code nowMs}. */
    void expire(final long nowMs)
    {
        statusQueries.expire(nowMs);
        batchCalls.expire(nowMs);
        Submission submission;
        boolean any = false;
        while ((submission = byDeadline.peek()) != null && submission.deadlineEpochMs <= nowMs)
        {
            byDeadline.poll();
            if (submission.state == Submission.State.RESOLVED || submission.outcomeUnknownUntilMs != 0)
            {
                // Resolved, or waiting for a verdict the relay said it does not know yet (its own end below).
                continue;
            }
            any = true;
            unresolved.remove(submission.requestId());
            release(submission, -1);
            counters.deadlinesExpired++;
            complete(submission, Answer.Rejected.local(submission.requestId(), ErrorCode.DEADLINE_EXCEEDED,
                FieldId.DEADLINE, "deadline " + submission.deadlineEpochMs + " passed with no answer after attempt " +
                submission.attempt + "; it may still take effect: ask status() or resubmit with the same requestId"));
        }
        while ((submission = outcomeUnknown.peek()) != null &&
            (submission.state == Submission.State.RESOLVED || submission.outcomeUnknownUntilMs <= nowMs))
        {
            outcomeUnknown.poll();
            if (submission.state == Submission.State.RESOLVED)
            {
                continue;
            }
            any = true;
            unresolved.remove(submission.requestId());
            release(submission, -1);
            final Answer.Rejected relays = submission.outcomeUnknown;
            complete(submission, new Answer.Rejected(relays.requestId(), relays.nodeId(), relays.code(), relays.field(),
                relays.position(), relays.codePoint(), relays.retryAfterMs(), relays.detail() + " [SDK: no verdict " +
                "within outcomeUnknownWait " + outcomeUnknownWaitMs + " ms; ask status() or resend the same requestId]",
                true));
        }
        if (any)
        {
            drain();
            publish();
        }
    }

    /** Resolves everything still held with a local SHUTTING_DOWN; later submits get the same. */
    void closeAll()
    {
        closed = true;
        for (final Submission submission : unresolved.values())
        {
            complete(submission, Answer.Rejected.local(submission.requestId(), ErrorCode.SHUTTING_DOWN, FieldId.NONE,
                "client closed before an answer; the request may still take effect: ask status() after reconnecting"));
        }
        unresolved.clear();
        waiting.clear();
        waitingCount = 0;
        byDeadline.clear();
        unacknowledged.clear();
        statusQueries.closeAll();
        batchCalls.closeAll();
        session = null;
        publish();
    }

    private void enqueue(final Submission submission)
    {
        submission.state = Submission.State.WAITING;
        waiting.add(submission);
        waitingCount++;
    }

    /** Frees what {@code submission} held before it is resolved otherwise than by its current session. */
    private void release(final Submission submission, final long answeredOnGeneration)
    {
        if (submission.state == Submission.State.WAITING)
        {
            waitingCount--;
        }
        else if (submission.state == Submission.State.SENT)
        {
            if (answeredOnGeneration == sessionGeneration)
            {
                inFlight--;
            }
            else
            {
                answeredElsewhere.put(submission.requestId(), submission);
            }
        }
    }

    private void drain()
    {
        if (session == null)
        {
            return;
        }
        boolean wrote = false;
        while (inFlight < maxInFlight)
        {
            final Submission submission = waiting.poll();
            if (submission == null)
            {
                break;
            }
            if (submission.state != Submission.State.WAITING)
            {
                continue;
            }
            waitingCount--;
            wrote |= send(submission);
        }
        if (wrote)
        {
            session.flush();
        }
    }

    private boolean send(final Submission submission)
    {
        final byte[] frame = submission.frame;
        if (frame.length > maxFrameLength)
        {
            unresolved.remove(submission.requestId());
            complete(submission, Answer.Rejected.local(submission.requestId(), ErrorCode.FRAME_TOO_LARGE, FieldId.FRAME,
                "frame length: " + frame.length + " (expected: <= " + maxFrameLength + ", the relay's maxFrameLength)"));
            return false;
        }
        if (submission.attempt > 0)
        {
            SubmitFrames.markResend(frame, submission.attempt + 1);
            counters.resubmitted++;
        }
        if (submission.outcomeUnknownUntilMs != 0)
        {
            // Its first deadline is gone: the resend asks for the verdict until the end of the SDK's wait for it.
            SubmitFrames.setDeadline(frame, submission.outcomeUnknownUntilMs);
        }
        submission.attempt++;
        submission.acknowledged = false;
        submission.sentAtNs = System.nanoTime();
        unacknowledged.add(submission);
        final ByteBuf buffer = session.alloc().directBuffer(frame.length).writeBytes(frame);
        session.write(buffer, session.voidPromise());
        submission.state = Submission.State.SENT;
        inFlight++;
        return true;
    }

    /**
     * Publishes the counters first, so a caller woken by the answer sees them up to date. The outbox records the answer
     * after the caller's future completed: a crash in between gives the answer again after the restart (at least
     * once), never a request the outbox calls finished that the caller never heard of.
     */
    private void complete(final Submission submission, final Answer answer)
    {
        publish();
        final byte[] frame = submission.frame;
        submission.resolve(answer);
        if (outbox != null && submission.outboxIndex >= 0 && !leavesUnresolved(answer))
        {
            if (answer instanceof Answer.Result result)
            {
                outbox.appendAnswer(frame, submission.submittedAtMs, submission.outboxIndex, KIND_RESULT, false,
                    result.status().value(), clock.millis());
            }
            else
            {
                final Answer.Rejected rejected = (Answer.Rejected)answer;
                outbox.appendAnswer(frame, submission.submittedAtMs, submission.outboxIndex, KIND_REJECTED, rejected.local(),
                    rejected.code().value(), clock.millis());
            }
        }
    }

    /** The SDK's own SHUTTING_DOWN at close says nothing of the request's fate: the next start resubmits it. */
    private static boolean leavesUnresolved(final Answer answer)
    {
        return answer instanceof Answer.Rejected rejected && rejected.local() && rejected.code() == ErrorCode.SHUTTING_DOWN;
    }

    private void publish()
    {
        counters.unresolved = unresolved.size();
        counters.inFlight = inFlight;
        counters.queued = waitingCount;
    }
}
