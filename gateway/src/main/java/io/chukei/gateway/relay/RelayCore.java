package io.chukei.gateway.relay;

import io.chukei.gateway.admission.Decision;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.admission.Offer;
import io.chukei.gateway.admission.Priority;
import io.chukei.gateway.admission.RefusalRecord;
import io.chukei.gateway.admission.RejectReason;
import io.chukei.gateway.batch.BatchAccount;
import io.chukei.gateway.batch.BatchLedger;
import io.chukei.gateway.journal.CompletedView;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.RequestIndex;
import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.latency.StageHistograms;
import io.chukei.gateway.metrics.MunicipalityOutcome;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.codec.RequestIds;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.StatusQueryDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.validation.SubmitValidator;
import io.chukei.protocol.validation.ValidationConfig;
import io.chukei.protocol.validation.ValidationResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The life of a request on this node: validate, journal, acknowledge, forward, answer once.
 *
 * <p>A request is known by its key, (municipality of the client certificate, request id): whatever one
 * municipality does with an id — submit it, query it — neither sees nor touches another municipality's
 * request with the same id.
 *
 * <ul>
 *   <li>A Submit that breaks a rule is answered Rejected naming field and rule; nothing else
 *       happens to it (the rejection is journaled for the record).</li>
 *   <li>A new valid Submit is appended to the journal; Accepted goes out only once the
 *       journal reports the entry durable at the configured level; then it is forwarded.</li>
 *   <li>A Submit whose id this node knows is never forwarded again: it gets Accepted
 *       (alreadyKnown) while pending, or the stored final answer.</li>
 *   <li>A new Submit while this node is not ACTIVE (draining, isolated) gets Redirect with the
 *       cluster view; nothing is journaled for it.</li>
 *   <li>Exactly one final answer per request: Result from card management, or Rejected
 *       DEADLINE_EXCEEDED when the deadline passes before any forward left ({@link InFlightRequest#complete()}).</li>
 *   <li>A deadline that passes after a forward left is no failure: card management may have applied the
 *       request. The connector is told OUTCOME_UNKNOWN (not final; DEADLINE_EXCEEDED to connectors older than
 *       schema version 2), the journal says OUTCOME_UNKNOWN, and the node keeps the request open — forwarding
 *       it again as a possible duplicate until card management answers or {@code upstream.outcomeWaitMs}
 *       passes. The Outcome is journaled COMPLETED, pushed to the connector and answers every StatusQuery
 *       and resend from then on.</li>
 * </ul>
 *
 * Called from any event loop; shared state is in concurrent maps.
 */
public final class RelayCore
{
    private static final int MUNICIPALITY_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.municipalityCodeEncodingOffset();
    private static final int QUERY_MUNICIPALITY_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + StatusQueryDecoder.municipalityCodeEncodingOffset();
    private static final int PRIORITY_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.priorityEncodingOffset();
    private static final int BATCH_ID_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.batchIdEncodingOffset();
    private static final int BATCH_SEQUENCE_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.batchSequenceEncodingOffset();

    private static final long OVERLOADED_RETRY_AFTER_MS = 100;
    /** Batch members refused while the accounts are rebuilt after a start (seconds on a long journal) come back then. */
    private static final long BATCHES_REBUILDING_RETRY_MS = 1000;
    /** Final answers kept for resends: the latest 200,000, or fewer when they take more than 64 MiB. */
    private static final int ANSWERS_KEPT = 200_000;
    private static final int ANSWER_BYTES_KEPT = 64 << 20;
    private static final int IN_FLIGHT_STRIPES = 64;
    /** Taken under the in-flight map's lock, so a request found there cannot go back to its pool while in use. */
    private static final Consumer<InFlightRequest> HOLD = InFlightRequest::hold;

    private final int nodeId;
    private final Journal journal;
    private final Durability durability;
    private final RelayMetrics metrics;
    private final StageHistograms stages;
    private final Clock clock;
    private final FastThreadLocal<PerThread> perThread;
    /** Striped by id: a request arrives on its connector's loop and usually finishes on an upstream link's. */
    private final ConcurrentRequestIdMap<InFlightRequest> inFlight = new ConcurrentRequestIdMap<>(IN_FLIGHT_STRIPES, 64);
    private final AnsweredRequests answered = new AnsweredRequests(ANSWERS_KEPT, ANSWER_BYTES_KEPT);
    /** One deadline queue per event loop that accepts requests. */
    private final ConcurrentHashMap<EventLoop, Deadlines> deadlines = new ConcurrentHashMap<>();
    private final Deadlines.Expiry expire = this::expire;
    private final Consumer<InFlightRequest> acknowledgeAndForward = this::acknowledgeAndForward;
    private final RequestIndex recoveredIndex;
    private final MunicipalityRateLimiter rateLimiter;
    private final MunicipalityRateLimiter queryLimiter;
    private final RefusalRecord refusals;
    private volatile Forwarding forwarding;
    /** This node's batch accounts; null when none are kept (tests, benchmarks): members are relayed as before. */
    private volatile BatchLedger batches;
    /** False while the batch accounts are rebuilt from the journal after a start: batch traffic waits (OVERLOADED). */
    private volatile boolean batchesComplete = true;
    private final BatchRequests batchRequests;
    /** How long an outcome-unknown request is kept open, waiting for (and asking for) its Outcome. */
    private volatile long outcomeWaitMs = 600_000;
    private final java.util.concurrent.atomic.AtomicInteger outcomeUnknownNow = new java.util.concurrent.atomic.AtomicInteger();
    private final io.micrometer.core.instrument.Counter outcomeUnknownTotal;
    private final io.micrometer.core.instrument.Counter outcomeLearnedLate;
    private final io.micrometer.core.instrument.Counter outcomeWaitEnded;
    private final io.micrometer.core.instrument.Counter completedUnreadable;

    /** Per-thread scratch: validator, views, journal read buffers. */
    private static final class PerThread
    {
        final SubmitValidator validator;
        final ValidationResult result = new ValidationResult();
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final UnsafeBuffer detail = new UnsafeBuffer(0, 0);
        final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
        final CompletedView completed = new CompletedView();

        PerThread(final ValidationConfig config)
        {
            validator = new SubmitValidator(config);
        }
    }

    /** With the default StatusQuery rate (50/s, burst 100 per municipality) and refusal journaling (5/s). */
    public RelayCore(
        final int nodeId,
        final Journal journal,
        final Durability durability,
        final RelayMetrics metrics,
        final Clock clock,
        final ValidationConfig validation,
        final RequestIndex recoveredIndex,
        final MunicipalityRateLimiter rateLimiter)
    {
        this(nodeId, journal, durability, metrics, clock, validation, recoveredIndex, rateLimiter,
            new MunicipalityRateLimiter(io.chukei.gateway.admission.AdmissionConfig.builder().defaultRate(50, 100).build()),
            new RefusalRecord(5, System::nanoTime));
    }

    /**
     * {@code queryLimiter}: StatusQueries per municipality; {@code refusals}: which refusals are journaled
     * one by one (the rest are summarised by {@link #summariseRefusals()}).
     */
    public RelayCore(
        final int nodeId,
        final Journal journal,
        final Durability durability,
        final RelayMetrics metrics,
        final Clock clock,
        final ValidationConfig validation,
        final RequestIndex recoveredIndex,
        final MunicipalityRateLimiter rateLimiter,
        final MunicipalityRateLimiter queryLimiter,
        final RefusalRecord refusals)
    {
        this.rateLimiter = rateLimiter;
        this.queryLimiter = queryLimiter;
        this.refusals = refusals;
        this.nodeId = nodeId;
        this.journal = journal;
        this.durability = durability;
        this.metrics = metrics;
        this.stages = metrics.stages();
        this.clock = clock;
        this.recoveredIndex = recoveredIndex;
        this.perThread = new FastThreadLocal<>()
        {
            @Override
            protected PerThread initialValue()
            {
                return new PerThread(validation);
            }
        };
        this.batchRequests = new BatchRequests(nodeId, journal, queryLimiter, metrics, clock);
        metrics.gauge("chukei.requests.inflight", "Accepted requests without a final answer", inFlight::size);
        metrics.gauge("chukei.requests.outcome_unknown",
            "Requests whose deadline passed after a forward, still waiting for card management's verdict",
            outcomeUnknownNow::get);
        outcomeUnknownTotal = io.micrometer.core.instrument.Counter.builder("chukei.requests.outcome_unknown.started")
            .description("Deadlines that passed after a forward: answered OUTCOME_UNKNOWN, journaled OUTCOME_UNKNOWN")
            .register(metrics.registry());
        outcomeLearnedLate = io.micrometer.core.instrument.Counter.builder("chukei.requests.outcome_unknown.resolved")
            .description("Outcome-unknown requests whose verdict came later (journaled COMPLETED, answered as Result)")
            .register(metrics.registry());
        outcomeWaitEnded = io.micrometer.core.instrument.Counter.builder("chukei.requests.outcome_unknown.abandoned")
            .description("Outcome-unknown requests still without a verdict after upstream.outcomeWaitMs: the journal " +
                "keeps them OUTCOME_UNKNOWN (forwarded again at the next start)")
            .register(metrics.registry());
        completedUnreadable = io.micrometer.core.instrument.Counter.builder("chukei.requests.resend.verdict_unreadable")
            .description("Resends (and StatusQueries) of a request completed before the last start whose journaled " +
                "verdict could not be read (its cycle deleted by retention, a damaged entry): a resend is forwarded again " +
                "for card management's stored outcome, a query answered UNKNOWN")
            .register(metrics.registry());
        metrics.functionCounter("chukei.journal.refusals.summarised",
            "Refusals counted into per-municipality summary entries instead of one journal entry each", refusals,
            RefusalRecord::summarisedTotal);
    }

    public void forwarding(final Forwarding forwarding)
    {
        this.forwarding = forwarding;
    }

    /** Keeps batch accounts in {@code ledger} (rebuilt from the journal before the node serves). */
    public void batches(final BatchLedger ledger)
    {
        this.batches = ledger;
    }

    public BatchLedger batches()
    {
        return batches;
    }

    /**
     * The batch accounts are being rebuilt from the journal (after the node took traffic): until
     * {@link #batchesRebuilt()}, BatchDeclare, BatchStatusQuery and batch members are refused OVERLOADED, before
     * anything is journaled, so no member is admitted against an account that does not hold its batch's past yet.
     */
    public void batchesRebuilding()
    {
        this.batchesComplete = false;
    }

    /** The rebuild reached the journal's end: batch traffic is admitted again. */
    public void batchesRebuilt()
    {
        this.batchesComplete = true;
    }

    /** {@code upstream.outcomeWaitMs}: how long an outcome-unknown request stays open for its Outcome. */
    public void outcomeWaitMs(final long waitMs)
    {
        if (waitMs < 1)
        {
            throw new IllegalArgumentException("outcomeWaitMs: " + waitMs + " (expected: >= 1)");
        }
        this.outcomeWaitMs = waitMs;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public int inFlightCount()
    {
        return inFlight.size();
    }

    /** A copy of the requests in flight now (it allocates: for shutdown, tests and benchmarks). */
    public Collection<InFlightRequest> inFlight()
    {
        return inFlight.values();
    }

    /**
     * At shutdown, after the event loops have stopped: drops the memory held by requests still
     * pending. Nothing is lost — they are in the journal and are re-forwarded at the next start.
     */
    public void releasePending()
    {
        for (final InFlightRequest request : inFlight.values())
        {
            request.release();
        }
        inFlight.clear();
    }

    /** A Submit that passed the structural checks of {@link MessageReader}; {@code frame} is its SBE bytes. */
    public void onSubmit(final ConnectorSession session, final MessageReader reader, final ByteBuf frame)
    {
        final long receivedNanos = System.nanoTime();
        final SubmitDecoder submit = reader.submit();
        final long hi = submit.requestId().hi();
        final long lo = submit.requestId().lo();
        final PerThread t = perThread.get();
        // The certificate's municipality, not the message's: the key of everything this request touches.
        final int scope = scopeOf(session);

        final ErrorCode code = t.validator.validate(submit, reader.length(), t.result);
        if (code == ErrorCode.DEADLINE_ALREADY_PASSED && session.mayActFor(reader.buffer(), MUNICIPALITY_OFFSET) &&
            answerKnown(session, scope, hi, lo, SubmitFingerprint.of(reader.buffer(), reader.length()), t))
        {
            // A resend of a request this node knows (same content) gets its answer whatever deadline it carries:
            // the deadline is not part of the request (protocol/README.md §5), and its fate is what the resend asks.
            return;
        }
        if (code != ErrorCode.NO_ERROR)
        {
            if (code != ErrorCode.INVALID_BATCH && session.mayActFor(reader.buffer(), MUNICIPALITY_OFFSET))
            {
                BatchMembers.rejectedAtArrival(batches, scope, submit, clock.millis());
            }
            rejectUnaccepted(session, hi, lo, code, t.result.field(), t.result.position(), t.result.codePoint(), -1,
                t.result.detail());
            return;
        }
        if (!session.mayActFor(reader.buffer(), MUNICIPALITY_OFFSET))
        {
            rejectUnaccepted(session, hi, lo, ErrorCode.MUNICIPALITY_NOT_AUTHORIZED, FieldId.MUNICIPALITY_CODE, 0, -1, -1,
                "municipalityCode: " + submit.municipalityCode() + " (expected: " + session.municipality() +
                    ", the municipality of the client certificate) (rule: MUNICIPALITY_NOT_AUTHORIZED)");
            return;
        }

        final long fingerprint = SubmitFingerprint.of(reader.buffer(), reader.length());
        if (answerKnown(session, scope, hi, lo, fingerprint, t))
        {
            return;
        }
        final NodeState own = session.nodeState();
        if (own != NodeState.ACTIVE)
        {
            // Draining or isolated: what this node holds is served above; new work goes to a node of the view.
            metrics.redirected();
            session.write(Replies.current().redirect(session.channel().alloc(), hi, lo, nodeId, own, session.cluster()));
            return;
        }

        if (!batchesComplete && BatchMembers.isMember(submit))
        {
            metrics.admission().rejected(RejectReason.OVERLOADED, Priority.fromWire(reader.buffer().getByte(PRIORITY_OFFSET)),
                session.municipality());
            rejectUnaccepted(session, hi, lo, ErrorCode.OVERLOADED, FieldId.BATCH_ID, -1, -1, BATCHES_REBUILDING_RETRY_MS,
                BatchRequests.REBUILDING);
            return;
        }
        final BatchAccount account = BatchMembers.accountOf(batches, scope, submit);
        if (account != null && refusedByManifest(session, account, submit, hi, lo))
        {
            return;
        }

        final byte priorityOnWire = reader.buffer().getByte(PRIORITY_OFFSET);
        final Priority priority = Priority.fromWire(priorityOnWire);
        final Decision rate = rateLimiter.tryAcquire(reader.buffer(), MUNICIPALITY_OFFSET);
        if (!rate.admitted())
        {
            metrics.admission().rejected(RejectReason.RATE_LIMITED, priority, session.municipality());
            // Before anything is accepted: the same request id can be sent again, unchanged, after retryAfterMs.
            rejectUnaccepted(session, hi, lo, ErrorCode.RATE_LIMITED, FieldId.MUNICIPALITY_CODE, -1, -1,
                rate.retryAfterMs(), "municipalityCode: " + session.municipality() + " is over its rate of " +
                    rateLimiter.config().rateFor(session.municipality()).perSecond() + " requests/s (expected: a resend " +
                    "after retryAfterMs) (rule: RATE_LIMITED)");
            return;
        }
        if (session.inFlight().get() >= session.maxInFlight())
        {
            metrics.admission().rejected(RejectReason.OVERLOADED, priority, session.municipality());
            // No unbounded buffering: past the allowance announced in Welcome, the connector waits.
            rejectUnaccepted(session, hi, lo, ErrorCode.OVERLOADED, FieldId.NONE, -1, -1, OVERLOADED_RETRY_AFTER_MS,
                "session: " + session.maxInFlight() + " requests already in flight (expected: at most maxInFlight " +
                    "from Welcome) (rule: OVERLOADED)");
            return;
        }

        final Offer place = forwarding.reserve(session.municipality());
        if (!place.queued())
        {
            metrics.admission().rejected(RejectReason.OVERLOADED, priority, session.municipality());
            // The queue toward card management is full: refuse now rather than accept and wait without bound.
            rejectUnaccepted(session, hi, lo, ErrorCode.OVERLOADED, FieldId.NONE, -1, -1, place.retryAfterMs(),
                "queue toward card management: full for " + (place.bound() == Offer.Bound.MUNICIPALITY ?
                    "municipality " + session.municipality() : "this node") + " (expected: a resend after retryAfterMs) " +
                    "(rule: OVERLOADED)");
            return;
        }

        final long validatedNanos = System.nanoTime();
        // Held by the node from here until its final answer has left (finish).
        final InFlightRequest request = InFlightRequest.of(
            scope, hi, lo, frame.retain(), fingerprint, submit.deadlineEpochMs(), receivedNanos, session.channel(), false);
        final InFlightRequest raced = inFlight.putIfAbsent(request);
        if (raced != null)
        {
            forwarding.cancel(session.municipality());
            // Never published: back to the pool at once, its Submit released.
            request.drop();
            if (!answerKnown(session, scope, hi, lo, fingerprint, t))
            {
                // The one that raced in is gone without an answer on record: only its failed journal append
                // removes it so. This submit would meet the same journal; it is answered, never left silent.
                rejectUnaccepted(session, hi, lo, ErrorCode.JOURNAL_UNAVAILABLE, FieldId.NONE, -1, -1, 1000,
                    "journal: append failed for this requestId on another connection; the request was not accepted " +
                        "(rule: JOURNAL_UNAVAILABLE)");
            }
            return;
        }
        request.queueAs(session.municipality(), priority);
        request.countAgainst(session.inFlight());

        final long index = journal.appendAccepted(hi, lo, nodeId, session.connectionId(), reader.buffer(),
            MUNICIPALITY_OFFSET, priorityOnWire, submit.deadlineEpochMs(), fingerprint,
            reader.buffer(), 0, reader.length());
        final long appendedNanos = System.nanoTime();
        if (index == Journal.APPEND_FAILED)
        {
            forwarding.cancel(session.municipality());
            inFlight.remove(request);
            request.release();
            request.drop();
            rejectUnaccepted(session, hi, lo, ErrorCode.JOURNAL_UNAVAILABLE, FieldId.NONE, -1, -1, 1000,
                journal.syncProblem() != null ?
                    "journal: the disk failed a write on this node (fsync or write-back); the request was not accepted, send it to another node " +
                        "(rule: JOURNAL_UNAVAILABLE)" :
                journal.spaceProblem() != null ?
                    "journal: disk full on this node; the request was not accepted, send it to another node " +
                        "(rule: JOURNAL_UNAVAILABLE)" :
                    "journal: append failed; the request was not accepted (rule: JOURNAL_UNAVAILABLE)");
            return;
        }
        request.acceptIndex(index);
        if (account != null)
        {
            account.accepted(submit.batchSequence(), hi, lo, clock.millis());
        }
        stages.record(Stage.VALIDATE, validatedNanos - receivedNanos);
        stages.record(Stage.JOURNAL_APPEND, appendedNanos - validatedNanos);
        request.appendedNanos(appendedNanos);
        metrics.admission().admitted(priority);
        request.firstForwardPossibleDuplicate(submit.possibleDuplicate() == BooleanType.TRUE);
        scheduleDeadline(request, session.channel().eventLoop());
        // The request is its own durability callback (InFlightRequest.run): no task object per request. In process
        // mode it runs before whenDurable returns, within this read; in sync mode after the fsync, on this event loop.
        request.onDurable(acknowledgeAndForward);
        request.hold();
        journal.whenDurable(index, session.channel().eventLoop(), request);
    }

    private void acknowledgeAndForward(final InFlightRequest request)
    {
        final long durableNanos = System.nanoTime();
        request.markDurable();
        metrics.accepted();
        metrics.municipalityOutcome(request.idScope(), MunicipalityOutcome.ACCEPTED, RelayMetrics.NOT_TIMED);
        if (request.appendedNanos() != InFlightRequest.NOT_TIMED)
        {
            stages.record(Stage.JOURNAL_DURABLE, durableNanos - request.appendedNanos());
        }
        final Channel channel = request.replyChannel();
        long acceptedSentNanos = durableNanos;
        if (channel != null && channel.isActive())
        {
            // No listener on the write: a void promise spares a promise object per request.
            channel.writeAndFlush(Replies.current().accepted(
                channel.alloc(), request.idHi(), request.idLo(), nodeId, request.acceptIndex(), durability, false),
                channel.voidPromise());
            acceptedSentNanos = System.nanoTime();
            stages.record(Stage.ACCEPTED, acceptedSentNanos - request.receivedNanos());
        }
        request.acceptedSentNanos(acceptedSentNanos);
        // Queued even when its deadline has already passed: the queue skips finished requests and frees the place.
        request.hold();
        forwarding.forward(request, request.firstForwardPossibleDuplicate());
    }

    /** What {@link #registerRecovered} did with a recovered request. */
    public enum Recovery
    {
        /** Deadline ahead: forwarded again (possible duplicate). */
        REFORWARDED,
        /** Forwarded before the restart, verdict unknown (deadline passed): forwarded again to learn it. */
        REFORWARDED_OUTCOME_UNKNOWN,
        /** Deadline passed and never forwarded: rejected DEADLINE_EXCEEDED now, nothing sent. */
        REJECTED_DEADLINE_EXCEEDED,
        /** Already in flight (a resend raced the restart): nothing done. */
        ALREADY_IN_FLIGHT;

        /** The request goes out again (its Submit is needed). */
        public boolean forwards()
        {
            return this == REFORWARDED || this == REFORWARDED_OUTCOME_UNKNOWN;
        }
    }

    /** Before {@code count} calls of {@link #registerRecovered}: the in-flight map sized for them at once. */
    public void expectRecovered(final int count)
    {
        inFlight.ensureCapacity(count);
    }

    /**
     * Takes over a request the journal says was accepted but never finished (after a restart), before its Submit is
     * read back: {@code request} (an empty Submit in place) carries the forward attempts and outcome-unknown mark its
     * journal holds ({@link InFlightRequest#recoveredState}). It becomes known in flight, so a resend finds it and is
     * never accepted twice, and its deadline is scheduled; a request never forwarded whose deadline passed meanwhile is
     * rejected. When the outcome {@link Recovery#forwards()}, the request is held for the caller, who owes it one
     * {@link #forwardRecovered} (or a {@code drop()} when its Submit cannot be read), and its batch-member states wait
     * for that Submit ({@link InFlightRequest#awaitSubmit}).
     */
    public Recovery registerRecovered(final InFlightRequest request, final long acceptIndex, final EventLoop timers)
    {
        request.acceptIndex(acceptIndex);
        if (inFlight.putIfAbsent(request) != null)
        {
            request.drop();
            return Recovery.ALREADY_IN_FLIGHT;
        }
        final boolean deadlinePassed = request.deadlineEpochMs() <= clock.millis();
        if (deadlinePassed && request.forwardAttempts() == 0 && !request.isOutcomeUnknown())
        {
            // Same decision as at a deadline: a request that never left is a true DEADLINE_EXCEEDED.
            scheduleDeadline(request, timers);
            return Recovery.REJECTED_DEADLINE_EXCEEDED;
        }
        // Before any timer can finish it: its batch fields come with the Submit, a state reached before then waits.
        request.awaitSubmit();
        final Recovery recovery;
        if (request.isOutcomeUnknown())
        {
            // Its deadline was answered before the restart: only the wait for the verdict is left.
            outcomeUnknownNow.incrementAndGet();
            scheduleOutcomeWait(request, timers);
            recovery = Recovery.REFORWARDED_OUTCOME_UNKNOWN;
        }
        else
        {
            // A passed deadline turns it outcome-unknown at once (Deadlines), with the journal entry to say so.
            scheduleDeadline(request, timers);
            recovery = deadlinePassed ? Recovery.REFORWARDED_OUTCOME_UNKNOWN : Recovery.REFORWARDED;
        }
        request.hold();
        return recovery;
    }

    /**
     * The Submit read back from the journal goes into the request registered by {@link #registerRecovered}, and the
     * request goes out again as a possible duplicate. False (the bytes released, the hold dropped) when it was finished
     * meanwhile, e.g. by its deadline; a batch-member state it reached meanwhile is applied from these bytes.
     */
    public boolean forwardRecovered(final InFlightRequest request, final io.netty.buffer.ByteBuf submit)
    {
        // Read before the bytes are handed over (they are released if the request finished meanwhile).
        final long batchId = batchIdOf(submit);
        final long sequence = batchId == SubmitDecoder.batchIdNullValue() ? 0 :
            submit.getUnsignedIntLE(submit.readerIndex() + BATCH_SEQUENCE_OFFSET);
        final boolean supplied = request.supplySubmit(submit);
        // A state the member reached while its Submit was awaited (its deadline, say) reaches its account now.
        final short deferred = request.takeDeferredBatchState();
        if (deferred != InFlightRequest.NO_BATCH_STATE && batchId != SubmitDecoder.batchIdNullValue())
        {
            batchMember(request.idScope(), request.idHi(), request.idLo(), batchId, sequence,
                BatchMemberState.get(deferred));
        }
        if (!supplied)
        {
            request.drop();
            return false;
        }
        forwarding.forward(request, true);
        return true;
    }

    private void scheduleDeadline(final InFlightRequest request, final EventLoop timers)
    {
        deadlinesOf(timers).schedule(request, Math.max(0, request.deadlineEpochMs() - clock.millis()));
    }

    private void scheduleOutcomeWait(final InFlightRequest request, final EventLoop timers)
    {
        deadlinesOf(timers).schedule(request, outcomeWaitMs);
    }

    private Deadlines deadlinesOf(final EventLoop timers)
    {
        final Deadlines queue = deadlines.get(timers);
        return queue != null ? queue : deadlines.computeIfAbsent(timers, loop -> new Deadlines(loop, expire));
    }

    /** The municipality a session's requests are scoped to; -1 before its certificate was read. */
    private static int scopeOf(final ConnectorSession session)
    {
        return MunicipalityCodes.parse(session.municipality());
    }

    /**
     * A member of a declared batch must agree with its manifest: the same size, and a sequence no other request id
     * holds on this node. Refused before anything is journaled (the request id stays unknown here).
     */
    private boolean refusedByManifest(final ConnectorSession session, final BatchAccount account, final SubmitDecoder submit,
        final long hi, final long lo)
    {
        final long sequence = submit.batchSequence();
        final int verdict = account.admit(sequence, submit.batchSize(), hi, lo);
        if (verdict == BatchAccount.ADMIT)
        {
            return false;
        }
        final String batch = Long.toUnsignedString(account.batchId());
        if (verdict == BatchAccount.SIZE_MISMATCH)
        {
            rejectUnaccepted(session, hi, lo, ErrorCode.INVALID_BATCH, FieldId.BATCH_SIZE, -1, -1, -1,
                "batchSize: " + submit.batchSize() + " (expected: " + account.size() + ", the size batch " + batch +
                    " was declared with) (rule: INVALID_BATCH)");
            return true;
        }
        final boolean speaks = ConnectorSession.speaks(session.channel(), BATCH_SINCE_VERSION);
        rejectUnaccepted(session, hi, lo, speaks ? ErrorCode.BATCH_CONFLICT : ErrorCode.INVALID_BATCH, FieldId.BATCH_SEQUENCE,
            -1, -1, -1, "batchSequence: " + sequence + " of batch " + batch + " is held by request " +
                account.holderOf(sequence) + " (expected: each sequence carried by one request id) (rule: " +
                (speaks ? "BATCH_CONFLICT" : "INVALID_BATCH") + ")");
        return true;
    }

    /** Records an accepted member's new state in its batch account; reads the batch fields from its Submit. */
    private void batchMember(final InFlightRequest request, final BatchMemberState state)
    {
        // Only a recovered request can still await its Submit; the check keeps the lock off every other completion.
        if (batches == null || request.recovered() && request.deferBatchState(state.value()))
        {
            return;
        }
        final long batchId = batchIdOf(request.submit());
        if (batchId == SubmitDecoder.batchIdNullValue())
        {
            return;
        }
        final ByteBuf submit = request.submit();
        batchMember(request.idScope(), request.idHi(), request.idLo(), batchId,
            submit.getUnsignedIntLE(submit.readerIndex() + BATCH_SEQUENCE_OFFSET), state);
    }

    /** The Submit's batch id, or the null value when it has none or holds too few bytes to say. */
    private static long batchIdOf(final ByteBuf submit)
    {
        // A recovered request whose Submit could not be read back may hold fewer bytes than the batch fields need.
        if (submit == null || submit.refCnt() == 0 || submit.readableBytes() < BATCH_SEQUENCE_OFFSET + Integer.BYTES)
        {
            return SubmitDecoder.batchIdNullValue();
        }
        return submit.getLongLE(submit.readerIndex() + BATCH_ID_OFFSET);
    }

    private void batchMember(final int scope, final long hi, final long lo, final long batchId, final long sequence,
        final BatchMemberState state)
    {
        final BatchLedger ledger = batches;
        if (ledger != null)
        {
            ledger.member(scope, batchId, sequence, hi, lo, state, clock.millis());
        }
    }

    /** The first schema version with batch manifests (and ErrorCode BATCH_CONFLICT). */
    static final int BATCH_SINCE_VERSION = 3;

    /** A BatchDeclare: see {@link BatchRequests}. */
    public void onBatchDeclare(final ConnectorSession session, final MessageReader reader)
    {
        if (!batchesComplete)
        {
            batchRequests.refuseWhileRebuilding(session, reader.batchDeclare().batchId());
            return;
        }
        batchRequests.declare(session, reader, scopeOf(session), batches);
    }

    /** A BatchStatusQuery: see {@link BatchRequests}. */
    public void onBatchStatusQuery(final ConnectorSession session, final MessageReader reader)
    {
        if (!batchesComplete)
        {
            batchRequests.refuseWhileRebuilding(session, reader.batchStatusQuery().batchId());
            return;
        }
        batchRequests.status(session, reader, batches);
    }

    private boolean answerKnown(final ConnectorSession session, final int scope, final long hi, final long lo,
        final long fingerprint, final PerThread t)
    {
        final InFlightRequest pending = inFlight.get(scope, hi, lo, HOLD);
        if (pending != null)
        {
            answerPending(session, pending, fingerprint);
            pending.drop();
            return true;
        }
        final int stored = answered.match(scope, hi, lo, fingerprint);
        if (stored == AnsweredRequests.CONFLICT)
        {
            rejectConflict(session, hi, lo);
            return true;
        }
        // Evicted between the two looks (200,000 answers later): known to the journal or card management still.
        if (stored == AnsweredRequests.SAME && replay(session, scope, hi, lo))
        {
            metrics.duplicateSubmit();
            return true;
        }
        return answerFromJournal(session, scope, hi, lo, fingerprint, t);
    }

    /** Ids finished before the last restart: the recovered index points at their terminal journal entry. */
    private boolean answerFromJournal(final ConnectorSession session, final int scope, final long hi, final long lo,
        final long fingerprint, final PerThread t)
    {
        if (recoveredIndex == null)
        {
            return false;
        }
        final int slot = recoveredIndex.find(scope, hi, lo);
        if (slot == RequestIndex.NOT_FOUND || !RequestIndex.isTerminal(recoveredIndex.state(slot)))
        {
            return false;
        }
        if (recoveredIndex.fingerprint(slot) != fingerprint)
        {
            rejectConflict(session, hi, lo);
            return true;
        }
        if (RequestIndex.isCompleted(recoveredIndex.state(slot)))
        {
            if (!journal.readCompleted(recoveredIndex.terminalIndex(slot), t.completed) ||
                !isVerdict(t.completed.status()))
            {
                // Card management decided it, but its verdict cannot be read here (the cycle deleted by retention, a
                // damaged entry, a status only a newer version defines): never "not applied". A resend is taken as new
                // and goes upstream again, whose deduplication answers with the stored outcome; a StatusQuery hears
                // UNKNOWN.
                completedUnreadable.increment();
                return false;
            }
            metrics.duplicateSubmit();
            final CompletedView c = t.completed;
            session.write(Replies.current().result(session.channel().alloc(), hi, lo, nodeId,
                OutcomeStatus.get((short)(c.status() & 0xFF)), c.upstreamCode(), c.timestampNs() / 1_000_000,
                c.detail(), 0, c.detailLength(), c.payload(), 0, c.payloadLength()));
            return true;
        }
        // The one REJECTED entry an accepted request gets: its deadline passed with nothing applied.
        metrics.duplicateSubmit();
        session.write(Replies.current().rejected(session.channel().alloc(), hi, lo, nodeId,
            ErrorCode.DEADLINE_EXCEEDED, FieldId.DEADLINE, -1, -1, -1,
            "requestId: " + RequestIds.format(hi, lo) + " was finished before this node restarted without a result " +
                "(rule: DEADLINE_EXCEEDED)"));
        return true;
    }

    /** A status this version journals as card management's verdict (the others are never journaled as COMPLETED). */
    private static boolean isVerdict(final byte status)
    {
        return status == OutcomeStatus.OK.value() || status == OutcomeStatus.REFUSED.value();
    }

    private void answerPending(final ConnectorSession session, final InFlightRequest pending, final long fingerprint)
    {
        if (pending.fingerprint() != fingerprint)
        {
            rejectConflict(session, pending.idHi(), pending.idLo());
            return;
        }
        metrics.duplicateSubmit();
        // The connector re-sent it, maybe over a new connection: the final answer goes there.
        if (!pending.attach(session.channel()))
        {
            // The answer is already leaving on the old connection: replay the stored one here.
            replay(session, pending.idScope(), pending.idHi(), pending.idLo());
            return;
        }
        // Not durable yet (sync mode: its fsync is under way): the durability callback sends Accepted to the
        // channel just attached; saying it here would promise an fsync that has not happened.
        if (pending.isDurable() || pending.recovered())
        {
            session.write(Replies.current().accepted(
                session.channel().alloc(), pending.idHi(), pending.idLo(), nodeId, pending.acceptIndex(), durability, true));
        }
    }

    /** Sends the stored final answer for the id again, as the same bytes; false when none is stored. */
    private boolean replay(final ConnectorSession session, final int scope, final long hi, final long lo)
    {
        final ByteBuf frame = answered.copy(scope, hi, lo, session.channel().alloc());
        if (frame == null)
        {
            return false;
        }
        session.write(frame);
        return true;
    }

    /** A pending request's state as StatusReply says it to the connector on {@code channel}. */
    private static RequestState stateOf(final InFlightRequest pending, final Channel channel)
    {
        if (pending.isOutcomeUnknown() &&
            ConnectorSession.speaks(channel, ConnectorSession.OUTCOME_UNKNOWN_SINCE_VERSION))
        {
            return RequestState.OUTCOME_UNKNOWN;
        }
        return pending.forwardAttempts() > 0 ? RequestState.FORWARDED : RequestState.ACCEPTED;
    }

    /** Where a final answer's buffer comes from: its connection's allocator, or the default when it has none. */
    private static ByteBufAllocator allocatorFor(final InFlightRequest request)
    {
        final Channel channel = request.replyChannel();
        return channel != null ? channel.alloc() : ByteBufAllocator.DEFAULT;
    }

    private void rejectConflict(final ConnectorSession session, final long hi, final long lo)
    {
        rejectUnaccepted(session, hi, lo, ErrorCode.REQUEST_ID_CONFLICT, FieldId.REQUEST_ID, -1, -1, -1,
            "requestId: " + RequestIds.format(hi, lo) + " was used before for a different request (rule: REQUEST_ID_CONFLICT)");
    }

    /**
     * Answers a request that was never accepted, counted by reason. Refusals about the request's content are
     * journaled for the record (up to a budget per municipality and second); admission refusals, and content
     * refusals past the budget, are counted into {@link #summariseRefusals() summary entries} instead.
     */
    public void rejectUnaccepted(
        final ConnectorSession session,
        final long hi,
        final long lo,
        final ErrorCode code,
        final FieldId field,
        final long position,
        final long codePoint,
        final long retryAfterMs,
        final String detail)
    {
        metrics.rejected(code);
        final int scope = scopeOf(session);
        metrics.municipalityOutcome(scope, MunicipalityOutcome.REJECTED, RelayMetrics.NOT_TIMED);
        if (refusals.journalIndividually(scope, code))
        {
            final byte[] text = detail.getBytes(StandardCharsets.UTF_8);
            final PerThread t = perThread.get();
            t.view.wrap(text);
            journal.appendRejected(scope, hi, lo, code.value(), field.value(), retryAfterMs, false, t.view, 0, text.length);
        }
        session.write(Replies.current().rejected(
            session.channel().alloc(), hi, lo, nodeId, code, field, position, codePoint, retryAfterMs, detail));
    }

    /**
     * Journals one AUDIT entry per municipality with refusals counted since the last call (actor {@code relay},
     * action {@code refusals}); call it periodically from one thread, and once at shutdown.
     */
    public void summariseRefusals()
    {
        refusals.summarise((municipality, rateLimited, overloaded, notJournaled) -> journal.appendAudit("relay",
            "refusals", "municipality=" + (municipality == null ? "none" : municipality) + " RATE_LIMITED=" + rateLimited +
                " OVERLOADED=" + overloaded + " otherNotJournaled=" + notJournaled));
    }

    /**
     * Card management's final verdict for a request (never TRANSIENT_FAILURE, which the pool retries).
     * The caller holds {@code request}; an Outcome for another id than the request's does nothing.
     */
    public void onOutcome(final InFlightRequest request, final OutcomeDecoder outcome)
    {
        final long outcomeNanos = System.nanoTime();
        if (outcome.requestId().hi() != request.idHi() || outcome.requestId().lo() != request.idLo())
        {
            // A reference kept past its hold, now to a pooled object serving another request: not this verdict's.
            return;
        }
        final OutcomeStatus status = outcome.status();
        final int upstreamCode = outcome.upstreamCode();
        final boolean duplicate = outcome.duplicate() == BooleanType.TRUE;
        // Views over the Outcome's own bytes, valid during this call: the journal and the Result copy from them.
        final PerThread t = perThread.get();
        final UnsafeBuffer detail = t.detail;
        outcome.wrapDetail(detail);
        final int detailLength = detail.capacity();
        final UnsafeBuffer payload = t.payload;
        outcome.wrapPayload(payload);
        final int payloadLength = payload.capacity();

        if (!request.complete())
        {
            // Answered already. By an earlier Outcome (another attempt's): nothing new. Otherwise the wait for it
            // ended (upstream.outcomeWaitMs) and the journal says OUTCOME_UNKNOWN: this verdict is the truth to record.
            if (request.recordOutcome())
            {
                journal.appendCompleted(request.idScope(), request.idHi(), request.idLo(), (byte)status.value(), upstreamCode,
                    duplicate, detail, 0, detailLength, payload, 0, payloadLength);
            }
            return;
        }
        request.recordOutcome();
        if (request.isOutcomeUnknown())
        {
            outcomeUnknownNow.decrementAndGet();
            outcomeLearnedLate.increment();
        }
        journal.appendCompleted(request.idScope(), request.idHi(), request.idLo(), (byte)status.value(), upstreamCode,
            duplicate, detail, 0, detailLength, payload, 0, payloadLength);
        // After the entry, as for every member event: a rebuild of the accounts running meanwhile either reads the
        // entry or has read everything before it (the account and the member are there for this update).
        batchMember(request, status == OutcomeStatus.OK ? BatchMemberState.COMPLETED_OK : BatchMemberState.COMPLETED_REFUSED);
        final ByteBuf frame = Replies.current().result(allocatorFor(request), request.idHi(), request.idLo(), nodeId, status,
            upstreamCode, clock.millis(), detail, 0, detailLength, payload, 0, payloadLength);
        finish(request, frame, outcomeNanos,
            status == OutcomeStatus.OK ? MunicipalityOutcome.OK : MunicipalityOutcome.REFUSED);
        metrics.completed(status);
    }

    /**
     * An Outcome whose attempt the upstream link no longer waits for (timed out, moved elsewhere): still the verdict
     * if the request is open here — an outcome-unknown request above all. Does nothing for an id not in flight.
     */
    public void onLateOutcome(final int scope, final OutcomeDecoder outcome)
    {
        final InFlightRequest pending = inFlight.get(scope, outcome.requestId().hi(), outcome.requestId().lo(), HOLD);
        if (pending == null)
        {
            return;
        }
        try
        {
            onOutcome(pending, outcome);
        }
        finally
        {
            pending.drop();
        }
    }

    private void expire(final InFlightRequest request, final long generation)
    {
        // The deadline queue keeps no hold: this only acts while the object still serves that request.
        switch (request.expire(generation))
        {
            case InFlightRequest.EXPIRED_NEVER_APPLIED -> rejectDeadlineExceeded(request);
            case InFlightRequest.EXPIRED_OUTCOME_UNKNOWN ->
            {
                try
                {
                    outcomeUnknown(request, generation);
                }
                finally
                {
                    request.drop();
                }
            }
            case InFlightRequest.EXPIRED_STOP_WAITING -> stopWaiting(request);
            default ->
            {
                // Finished meanwhile, or the object serves another request now.
            }
        }
    }

    /**
     * The deadline passed after a forward left: card management may have applied it. Tell the connector so (not
     * final), journal it, and keep the request open — the upstream pool goes on asking (possible duplicate) — until
     * the Outcome comes or {@code upstream.outcomeWaitMs} passes. The request stays in the in-flight map, so a
     * resend attaches to it and a StatusQuery sees it.
     */
    private void outcomeUnknown(final InFlightRequest request, final long generation)
    {
        outcomeUnknownNow.incrementAndGet();
        outcomeUnknownTotal.increment();
        final int attempts = request.forwardAttempts();
        journal.appendOutcomeUnknown(request.idScope(), request.idHi(), request.idLo(), attempts, request.deadlineEpochMs());
        batchMember(request, BatchMemberState.OUTCOME_UNKNOWN);
        metrics.rejected(ErrorCode.OUTCOME_UNKNOWN);
        // By generation: should an Outcome finish the request meanwhile, the entry must not act on the next use.
        final Deadlines queue = request.deadlineQueue();
        if (queue != null)
        {
            queue.reschedule(request, generation, outcomeWaitMs);
        }
        request.leaveSessionAllowance();
        final Channel channel = request.replyChannel();
        // Completed meanwhile (its Outcome came): the Result is on its way, saying "unknown" would only confuse.
        if (channel != null && channel.isActive() && !request.isCompleted())
        {
            final boolean speaks = ConnectorSession.speaks(channel, ConnectorSession.OUTCOME_UNKNOWN_SINCE_VERSION);
            final String detail = "deadlineEpochMs: " + request.deadlineEpochMs() + " passed after " + attempts +
                " forward attempt(s) to card management without its answer: the outcome is unknown, not failed; this " +
                "node keeps asking. StatusQuery or resend the same requestId with possibleDuplicate for the real " +
                "outcome; never a new requestId (rule: " + (speaks ? "OUTCOME_UNKNOWN" : "DEADLINE_EXCEEDED") + ")";
            // Not stored as the answer: it is not final, and a resend must find the request open instead.
            channel.writeAndFlush(Replies.current().rejected(channel.alloc(), request.idHi(), request.idLo(), nodeId,
                speaks ? ErrorCode.OUTCOME_UNKNOWN : ErrorCode.DEADLINE_EXCEEDED, FieldId.DEADLINE, -1, -1, -1, detail),
                channel.voidPromise());
        }
    }

    /**
     * Card management answered an attempt TRANSIENT_FAILURE (not applied). For an outcome-unknown request whose every
     * attempt is now answered so, the outcome is known after all: nothing was applied and the deadline is past — a
     * true DEADLINE_EXCEEDED, journaled and sent (it follows the OUTCOME_UNKNOWN the connector was told).
     * The caller holds the request.
     */
    public void onAttemptNotApplied(final InFlightRequest request)
    {
        request.attemptNotApplied();
        if (request.isOutcomeUnknown() && request.completeIfNothingApplied())
        {
            outcomeUnknownNow.decrementAndGet();
            rejectDeadlineExceeded(request);
        }
    }

    /** An outcome-unknown request had no Outcome within upstream.outcomeWaitMs: out of memory, OUTCOME_UNKNOWN on record. */
    private void stopWaiting(final InFlightRequest request)
    {
        outcomeUnknownNow.decrementAndGet();
        outcomeWaitEnded.increment();
        inFlight.remove(request);
        // A later Outcome of an attempt still on a link is journaled (onOutcome); a resend is accepted afresh and
        // forwarded as a possible duplicate, and card management's stored verdict answers it.
        request.release();
        request.drop();
    }

    private void rejectDeadlineExceeded(final InFlightRequest request)
    {
        final int attempts = request.forwardAttempts();
        final String detail = "deadlineEpochMs: " + request.deadlineEpochMs() + " passed before card management " +
            "could apply the request (" + attempts + " forward attempts" + (attempts == 0 ? "" :
            ", each answered TRANSIENT_FAILURE") + "): not done through this node; resend with the same requestId, " +
            "possibleDuplicate and a new deadline, or give it up (rule: DEADLINE_EXCEEDED)";
        final byte[] text = detail.getBytes(StandardCharsets.UTF_8);
        journal.appendRejected(request.idScope(), request.idHi(), request.idLo(), ErrorCode.DEADLINE_EXCEEDED.value(),
            FieldId.DEADLINE.value(), -1, true, new UnsafeBuffer(text), 0, text.length);
        metrics.rejected(ErrorCode.DEADLINE_EXCEEDED);
        batchMember(request, BatchMemberState.REJECTED);
        final ByteBuf frame = Replies.current().rejected(allocatorFor(request), request.idHi(), request.idLo(), nodeId,
            ErrorCode.DEADLINE_EXCEEDED, FieldId.DEADLINE, -1, -1, -1, detail);
        finish(request, frame, InFlightRequest.NOT_TIMED, MunicipalityOutcome.REJECTED);
    }

    /** {@code outcomeNanos}: when card management's Outcome arrived, or {@link InFlightRequest#NOT_TIMED} (deadline). */
    private void finish(final InFlightRequest request, final ByteBuf frame, final long outcomeNanos,
        final MunicipalityOutcome outcome)
    {
        // Stored before the reply channel is taken, so a resend racing with this answer finds it.
        answered.put(request.idScope(), request.idHi(), request.idLo(), frame, request.fingerprint());
        inFlight.remove(request);
        final Channel channel = request.takeReplyChannel();
        if (channel != null && channel.isActive())
        {
            channel.writeAndFlush(frame, channel.voidPromise());
        }
        else
        {
            // The connector is gone; it gets the stored answer when it re-sends the request id.
            frame.release();
        }
        recordAnswered(request, outcomeNanos, outcome);
        request.release();
        request.drop();
    }

    private void recordAnswered(final InFlightRequest request, final long outcomeNanos,
        final MunicipalityOutcome outcome)
    {
        final long answeredNanos = System.nanoTime();
        if (outcomeNanos != InFlightRequest.NOT_TIMED)
        {
            stages.record(Stage.ANSWER, answeredNanos - outcomeNanos);
        }
        // A recovered request's receivedNanos is the restart: its end to end would say nothing.
        final long endToEndNanos = request.recovered() ? RelayMetrics.NOT_TIMED : answeredNanos - request.receivedNanos();
        if (endToEndNanos != RelayMetrics.NOT_TIMED)
        {
            stages.record(Stage.END_TO_END, endToEndNanos);
        }
        metrics.municipalityOutcome(request.idScope(), outcome, endToEndNanos);
    }

    /**
     * A StatusQuery: the final answer if there is one, else the request's state. Only the session's own
     * municipality's requests are looked at; another municipality's request with the same id is invisible
     * (StatusReply UNKNOWN, exactly as for an id nobody used), so a query reveals nothing across municipalities.
     */
    public void onStatusQuery(final ConnectorSession session, final MessageReader reader)
    {
        final StatusQueryDecoder query = reader.statusQuery();
        final long hi = query.requestId().hi();
        final long lo = query.requestId().lo();
        if (!session.mayActFor(reader.buffer(), QUERY_MUNICIPALITY_OFFSET))
        {
            // Refused whatever the id: the answer depends on the municipality named, never on another's requests.
            rejectUnaccepted(session, hi, lo, ErrorCode.MUNICIPALITY_NOT_AUTHORIZED, FieldId.MUNICIPALITY_CODE, 0, -1, -1,
                "municipalityCode: " + query.municipalityCode() + " (expected: " + session.municipality() +
                    ", the municipality of the client certificate) (rule: MUNICIPALITY_NOT_AUTHORIZED)");
            return;
        }
        final Decision rate = queryLimiter.tryAcquire(reader.buffer(), QUERY_MUNICIPALITY_OFFSET);
        if (!rate.admitted())
        {
            rejectUnaccepted(session, hi, lo, ErrorCode.RATE_LIMITED, FieldId.MUNICIPALITY_CODE, -1, -1, rate.retryAfterMs(),
                "municipalityCode: " + session.municipality() + " is over its StatusQuery rate of " +
                    queryLimiter.config().rateFor(session.municipality()).perSecond() + " queries/s (expected: a query " +
                    "after retryAfterMs) (rule: RATE_LIMITED)");
            return;
        }
        final int scope = scopeOf(session);
        final InFlightRequest pending = inFlight.get(scope, hi, lo, HOLD);
        if (pending != null)
        {
            session.write(Replies.current().statusReply(session.channel().alloc(), hi, lo, nodeId,
                stateOf(pending, session.channel()), pending.acceptIndex()));
            pending.drop();
            return;
        }
        if (replay(session, scope, hi, lo))
        {
            return;
        }
        final PerThread t = perThread.get();
        if (recoveredIndex != null)
        {
            final int slot = recoveredIndex.find(scope, hi, lo);
            if (slot != RequestIndex.NOT_FOUND && RequestIndex.isTerminal(recoveredIndex.state(slot)) &&
                answerFromJournal(session, scope, hi, lo, recoveredIndex.fingerprint(slot), t))
            {
                return;
            }
        }
        session.write(Replies.current().statusReply(session.channel().alloc(), hi, lo, nodeId, RequestState.UNKNOWN, -1));
    }
}
