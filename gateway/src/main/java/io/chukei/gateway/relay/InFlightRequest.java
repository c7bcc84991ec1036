package io.chukei.gateway.relay;

import io.chukei.gateway.admission.Priority;
import io.chukei.gateway.admission.UpstreamLimiter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.Recycler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A request this node accepted (journaled) and has not answered finally yet. Holds the
 * Submit exactly as received, retained, so every forward attempt and a replay after an
 * upstream failure sends the same bytes. Shared between the connector's event loop, the
 * upstream link's and the deadline timer; {@link #complete()} decides the single winner.
 *
 * <p>It is also the task that runs once its journal entry is durable ({@link #run()}), so
 * accepting a request needs no callback object of its own.
 *
 * <p><b>Pooled.</b> Instances come from a Netty {@link Recycler} ({@link #of}) and go back to it
 * when the last <em>hold</em> on them is dropped, so a busy node does not allocate one per request.
 * Whoever keeps a reference past the call that handed it over holds it:
 * <ul>
 *   <li>the node, from {@link #of} until the final answer has left ({@code RelayCore} drops it);</li>
 *   <li>the journal, from {@code whenDurable} until {@link #run()} has run (in process and off modes that is
 *       within the {@code whenDurable} call);</li>
 *   <li>the way to card management ({@link Forwarding#forward}): fair queue, upstream link, retries,
 *       until it lets the request go;</li>
 *   <li>a look-up in the in-flight map that uses the request after the map's lock ({@link #hold()}
 *       taken under that lock).</li>
 * </ul>
 * The deadline queue keeps requests without a hold and drops finished ones lazily; it keeps each
 * one's {@linkplain #generation() generation} with it instead. Recycling starts a new generation,
 * and {@link #complete(long)} only succeeds for the current one, so a stale deadline entry can
 * never expire the request that reuses the object.
 */
public final class InFlightRequest implements Runnable, HasRequestId
{
    /** A stage timestamp not taken (yet) in this use. */
    public static final long NOT_TIMED = Long.MIN_VALUE;

    /** {@link #expire}: nothing to do, the use is over or completed by someone else. */
    static final int EXPIRY_STALE = 0;
    /**
     * {@link #expire}: completed now; no forward can have been applied (none left, or card management answered each
     * TRANSIENT_FAILURE, which by the upstream contract means not applied): a true DEADLINE_EXCEEDED.
     */
    static final int EXPIRED_NEVER_APPLIED = 1;
    /**
     * {@link #expire}: forwarded at least once, so card management may have applied it: outcome unknown, still open.
     * The caller is given a hold on the request and drops it when done.
     */
    static final int EXPIRED_OUTCOME_UNKNOWN = 2;
    /** {@link #expire} of an outcome-unknown request: the wait for its Outcome is over; completed now. */
    static final int EXPIRED_STOP_WAITING = 3;

    private static final VarHandle STATE;
    private static final VarHandle HOLDS;
    private static final long COMPLETED = 1;
    /** No batch-member state is waiting for the Submit ({@link #takeDeferredBatchState()}). */
    public static final short NO_BATCH_STATE = -1;

    private static final Recycler<InFlightRequest> POOL = new Recycler<>()
    {
        @Override
        protected InFlightRequest newObject(final Handle<InFlightRequest> handle)
        {
            return new InFlightRequest(handle);
        }
    };

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(InFlightRequest.class, "state", long.class);
            HOLDS = lookup.findVarHandle(InFlightRequest.class, "holds", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Recycler.Handle<InFlightRequest> handle;
    /** Generation (which use of this object) shifted left by one, and {@link #COMPLETED}; through {@link #STATE}. */
    @SuppressWarnings("unused")
    private volatile long state;
    /** Holders of this use; at 0 the object goes back to the pool. Through {@link #HOLDS}. */
    @SuppressWarnings("unused")
    private volatile int holds;
    // Set by of() before the request is published (map lock, task queues), and not changed until it is recycled.
    private int idScope;
    private long idHi;
    private long idLo;
    private ByteBuf submit;
    private long fingerprint;
    private long deadlineEpochMs;
    private long receivedNanos;
    private boolean recovered;
    private volatile long acceptIndex;
    private volatile Channel replyChannel;
    /** The journal has reported the ACCEPTED entry durable (see {@link #markDurable()}). */
    private volatile boolean durable;
    /** Guarded by this object's monitor (with the deadline's decision): see {@link #expire}. */
    private volatile int forwardAttempts;
    /** Its deadline passed after a forward; it waits for card management's verdict. Guarded as forwardAttempts. */
    private volatile boolean outcomeUnknown;
    /** Attempts card management answered TRANSIENT_FAILURE (not applied). Guarded as forwardAttempts. */
    private int notAppliedAttempts;
    /** Card management's verdict was answered (journaled COMPLETED) in this use: later Outcomes add nothing. */
    private volatile boolean outcomeRecorded;
    /** Where its deadline is kept, once scheduled. */
    private volatile Deadlines deadlines;
    private Consumer<InFlightRequest> onDurable;
    private boolean released;
    /** Registered after a restart before its Submit was read back: its batch fields are not known yet. */
    private boolean submitAwaited;
    /** The latest batch-member state reached while the Submit was awaited, or {@link #NO_BATCH_STATE}. */
    private short deferredBatchState = NO_BATCH_STATE;
    private String municipality;
    private Priority priority = Priority.INTERACTIVE;
    private volatile boolean firstForwardPossibleDuplicate;
    private volatile UpstreamLimiter.Permit permit;
    private boolean answering;
    private AtomicInteger sessionInFlight;
    // Stage timestamps (System.nanoTime) for the per-stage histograms. Plain fields: each is written before the
    // request is handed on (journal callback, forward queue) and read after, by whoever it was handed to.
    private long appendedNanos = NOT_TIMED;
    private long acceptedSentNanos = NOT_TIMED;

    private InFlightRequest(final Recycler.Handle<InFlightRequest> handle)
    {
        this.handle = handle;
    }

    /**
     * A request from the pool (or a new one), held once by the caller, who drops that hold
     * ({@link #drop()}) when the request is finished or given up.
     */
    public static InFlightRequest of(
        final int idScope,
        final long idHi,
        final long idLo,
        final ByteBuf submit,
        final long fingerprint,
        final long deadlineEpochMs,
        final long receivedNanos,
        final Channel replyChannel,
        final boolean recovered)
    {
        final InFlightRequest request = POOL.get();
        request.idScope = idScope;
        request.idHi = idHi;
        request.idLo = idLo;
        request.submit = submit;
        request.fingerprint = fingerprint;
        request.deadlineEpochMs = deadlineEpochMs;
        request.receivedNanos = receivedNanos;
        request.replyChannel = replyChannel;
        request.recovered = recovered;
        HOLDS.setVolatile(request, 1);
        return request;
    }

    @Override
    public int idScope()
    {
        return idScope;
    }

    @Override
    public long idHi()
    {
        return idHi;
    }

    @Override
    public long idLo()
    {
        return idLo;
    }

    /** The Submit's SBE bytes (message header and body) as received; do not modify. */
    public ByteBuf submit()
    {
        return submit;
    }

    public long fingerprint()
    {
        return fingerprint;
    }

    public long deadlineEpochMs()
    {
        return deadlineEpochMs;
    }

    public long receivedNanos()
    {
        return receivedNanos;
    }

    /** When its ACCEPTED entry was appended, or {@link #NOT_TIMED}. */
    public long appendedNanos()
    {
        return appendedNanos;
    }

    void appendedNanos(final long nanos)
    {
        this.appendedNanos = nanos;
    }

    /** When Accepted was written to the connector: the start of its wait for upstream capacity. */
    void acceptedSentNanos(final long nanos)
    {
        this.acceptedSentNanos = nanos;
    }

    /**
     * When Accepted was written, or {@link #NOT_TIMED} when it was not (recovered requests) or this was asked
     * before: the wait for upstream capacity is timed once, at the first forward.
     */
    public long takeAcceptedSentNanos()
    {
        final long taken = acceptedSentNanos;
        acceptedSentNanos = NOT_TIMED;
        return taken;
    }

    /** True for requests rebuilt from the journal after a restart. */
    public boolean recovered()
    {
        return recovered;
    }

    public long acceptIndex()
    {
        return acceptIndex;
    }

    void acceptIndex(final long index)
    {
        this.acceptIndex = index;
    }

    /** Which use of this pooled object this is; kept by those who keep the request without a hold. */
    long generation()
    {
        return (long)STATE.getVolatile(this) >>> 1;
    }

    /** One more holder: only for someone who already holds the request, or finds it under the in-flight map's lock. */
    public void hold()
    {
        final int before = (int)HOLDS.getAndAdd(this, 1);
        if (before < 1)
        {
            throw new IllegalStateException("holds: " + before + " (expected: > 0, a request back in its pool was held)");
        }
    }

    /**
     * One holder lets go; the last one returns the object to its pool, as a new generation (its
     * Submit is released then if nobody did).
     */
    public void drop()
    {
        final int before = (int)HOLDS.getAndAdd(this, -1);
        if (before > 1)
        {
            return;
        }
        if (before < 1)
        {
            throw new IllegalStateException("holds: " + (before - 1) + " (expected: >= 0, dropped more often than held)");
        }
        recycle();
    }

    private void recycle()
    {
        release();
        submit = null;
        replyChannel = null;
        deadlines = null;
        onDurable = null;
        municipality = null;
        priority = Priority.INTERACTIVE;
        permit = null;
        sessionInFlight = null;
        released = false;
        submitAwaited = false;
        deferredBatchState = NO_BATCH_STATE;
        answering = false;
        forwardAttempts = 0;
        outcomeUnknown = false;
        outcomeRecorded = false;
        notAppliedAttempts = 0;
        acceptIndex = 0;
        firstForwardPossibleDuplicate = false;
        durable = false;
        // The next use must not time its stages from this one's.
        appendedNanos = NOT_TIMED;
        acceptedSentNanos = NOT_TIMED;
        // A new generation, not completed: entries kept for the old one no longer match.
        STATE.setVolatile(this, (((long)STATE.getVolatile(this) >>> 1) + 1) << 1);
        handle.recycle(this);
    }

    /**
     * Called by the durability callback before it reads {@link #replyChannel()} to send Accepted. A resend
     * {@link #attach attaches} its channel before it reads {@link #isDurable()}: with both volatile, the
     * resend either sees durable (and answers Accepted itself) or the callback sees the resend's channel.
     */
    void markDurable()
    {
        durable = true;
    }

    /** Whether Accepted may be sent: the journal has reported the ACCEPTED entry durable at its level. */
    public boolean isDurable()
    {
        return durable;
    }

    /** Where the final answer goes: the connection that sent (or last re-sent) the request. */
    public Channel replyChannel()
    {
        return replyChannel;
    }

    /**
     * Makes {@code channel} the one the final answer goes to, unless the answer is already on
     * its way (then false: the caller replays the stored answer instead). Together with
     * {@link #takeReplyChannel()} this closes the race between a resend arriving on a new
     * connection and the answer leaving on the old one.
     */
    public synchronized boolean attach(final Channel channel)
    {
        if (answering)
        {
            return false;
        }
        this.replyChannel = channel;
        return true;
    }

    /** Marks the final answer as leaving and returns the channel it goes to; later attaches fail. */
    synchronized Channel takeReplyChannel()
    {
        answering = true;
        return replyChannel;
    }

    public int forwardAttempts()
    {
        return forwardAttempts;
    }

    /**
     * Counts one more forward attempt and returns its number (1 for the first), or 0 when the request is completed
     * (then nothing may be sent). Under the same monitor as {@link #expire}: the deadline either sees this attempt
     * counted (outcome unknown) or this sees the request completed (never forwarded) — never a forward that the
     * deadline answered as "not done".
     */
    public synchronized int nextForwardAttempt()
    {
        if (isCompleted())
        {
            return 0;
        }
        return ++forwardAttempts;
    }

    /** Card management answered an attempt TRANSIENT_FAILURE: that attempt did not apply the request. */
    public synchronized void attemptNotApplied()
    {
        notAppliedAttempts++;
    }

    /**
     * Completes an outcome-unknown request once card management has answered every attempt TRANSIENT_FAILURE (so
     * none was applied): true for the one caller that completed it. Atomic with {@link #nextForwardAttempt}.
     */
    public synchronized boolean completeIfNothingApplied()
    {
        return outcomeUnknown && forwardAttempts - notAppliedAttempts <= 0 && complete();
    }

    /** Forward attempts that may have been applied: sent, and not answered TRANSIENT_FAILURE. */
    public synchronized int attemptsMaybeApplied()
    {
        return forwardAttempts - notAppliedAttempts;
    }

    /** A request recovered after a restart starts from the attempts its journal holds, so they are counted right. */
    public synchronized void recoveredState(final int journaledAttempts, final boolean journaledOutcomeUnknown)
    {
        forwardAttempts = journaledAttempts;
        outcomeUnknown = journaledOutcomeUnknown;
    }

    /** Its deadline passed after a forward and card management's verdict is not known yet. */
    public boolean isOutcomeUnknown()
    {
        return outcomeUnknown;
    }

    /** Marks the verdict as answered; true for the first caller in this use. */
    synchronized boolean recordOutcome()
    {
        if (outcomeRecorded)
        {
            return false;
        }
        outcomeRecorded = true;
        return true;
    }

    /** Whether a verdict was already answered in this use. */
    boolean outcomeRecorded()
    {
        return outcomeRecorded;
    }

    /**
     * The deadline (or, for an outcome-unknown request, the end of the wait for its Outcome) of use {@code generation}
     * has come: decides, atomically with {@link #nextForwardAttempt}, what it means; one of the {@code EXPIR*} values.
     */
    synchronized int expire(final long generation)
    {
        if (isFinished(generation))
        {
            return EXPIRY_STALE;
        }
        if (forwardAttempts - notAppliedAttempts <= 0 && !outcomeUnknown)
        {
            return complete(generation) ? EXPIRED_NEVER_APPLIED : EXPIRY_STALE;
        }
        if (outcomeUnknown)
        {
            return complete(generation) ? EXPIRED_STOP_WAITING : EXPIRY_STALE;
        }
        outcomeUnknown = true;
        // Still registered with its deadline queue: the wait for the Outcome is rescheduled there (Deadlines.reschedule).
        // A hold for the caller, who works with the request while an Outcome may finish it on another thread; taken
        // under the monitor that complete() takes too, so the request cannot be finished and recycled before it.
        HOLDS.getAndAdd(this, 1);
        return EXPIRED_OUTCOME_UNKNOWN;
    }

    /** The deadline queue the request is kept in, or null before it was scheduled. */
    Deadlines deadlineQueue()
    {
        return deadlines;
    }

    /** Stops counting against its session's allowance: the connector has its (non-final) answer. */
    synchronized void leaveSessionAllowance()
    {
        if (sessionInFlight != null)
        {
            sessionInFlight.decrementAndGet();
            sessionInFlight = null;
        }
    }

    void deadlines(final Deadlines deadlines)
    {
        this.deadlines = deadlines;
    }

    /**
     * What {@link #run()} does, once: set before the request is handed to
     * {@link io.chukei.gateway.journal.Journal#whenDurable}, which publishes it to the thread that runs it.
     * The caller takes a {@link #hold()} for the journal; {@link #run()} drops it.
     */
    void onDurable(final Consumer<InFlightRequest> action)
    {
        this.onDurable = action;
    }

    /** The journal reports this request durable: runs the action set by {@link #onDurable}, at most once. */
    @Override
    public void run()
    {
        final Consumer<InFlightRequest> action = onDurable;
        onDurable = null;
        if (action != null)
        {
            action.accept(this);
            drop();
        }
    }

    public boolean isCompleted()
    {
        return ((long)STATE.getVolatile(this) & COMPLETED) != 0;
    }

    /** True once the use {@code generation} is completed or over (the object went back to the pool). */
    boolean isFinished(final long generation)
    {
        return (long)STATE.getVolatile(this) != generation << 1;
    }

    /**
     * Claims the right to give this request its final answer. Exactly one caller gets true;
     * that caller journals and sends the answer, then calls {@link #release()}. For holders.
     * Under the monitor (uncontended: one lock per request) so that {@link #expire} decides atomically with it.
     */
    public synchronized boolean complete()
    {
        final long current = (long)STATE.getVolatile(this);
        return (current & COMPLETED) == 0 && complete(current >>> 1);
    }

    /**
     * {@link #complete()} for one who keeps the request without a hold: true only while the object
     * still serves {@code generation} and nobody completed it, so a stale reference does nothing.
     */
    boolean complete(final long generation)
    {
        final long open = generation << 1;
        if (!STATE.compareAndSet(this, open, open | COMPLETED))
        {
            return false;
        }
        // Nothing to cancel: its deadline loop drops finished requests (Deadlines) and only needs the count.
        final Deadlines kept = deadlines;
        if (kept != null)
        {
            kept.unregisterOne();
        }
        return true;
    }

    /**
     * Marks the request as holding a reserved place in the fair queue for {@code municipality};
     * requests without one (recovered after a restart) bypass the queue.
     */
    void queueAs(final String municipality, final Priority priority)
    {
        this.municipality = municipality;
        this.priority = priority;
    }

    /** The municipality whose queue place this request holds, or null when it holds none. */
    public String municipality()
    {
        return municipality;
    }

    public Priority priority()
    {
        return priority;
    }

    public boolean firstForwardPossibleDuplicate()
    {
        return firstForwardPossibleDuplicate;
    }

    public void firstForwardPossibleDuplicate(final boolean possibleDuplicate)
    {
        this.firstForwardPossibleDuplicate = possibleDuplicate;
    }

    /** The upstream window place of the first forward attempt. */
    public void permit(final UpstreamLimiter.Permit permit)
    {
        this.permit = permit;
    }

    /** Hands over the window place once; later calls get null, so it is ended exactly once. */
    public synchronized UpstreamLimiter.Permit takePermit()
    {
        final UpstreamLimiter.Permit taken = permit;
        permit = null;
        return taken;
    }

    /** Counts this request against the in-flight allowance of the session that sent it, until it is released. */
    synchronized void countAgainst(final AtomicInteger counter)
    {
        counter.incrementAndGet();
        this.sessionInFlight = counter;
    }

    /**
     * Takes a reference on the Submit bytes for one forward attempt, unless the request was
     * already finished and released; the caller releases {@link #submit()} when done.
     */
    public synchronized boolean retainSubmit()
    {
        if (released)
        {
            return false;
        }
        submit.retain();
        return true;
    }

    /**
     * Marks a recovered request registered with a placeholder Submit: until {@link #supplySubmit} its batch-member
     * states are kept here ({@link #deferBatchState}) instead of being lost for want of its batch fields.
     */
    public synchronized void awaitSubmit()
    {
        submitAwaited = true;
    }

    /**
     * While the Submit is awaited, keeps {@code state} (the latest one wins: a member's states only move forward) and
     * answers true; otherwise false, and the caller applies it from the Submit's batch fields as usual. Under the same
     * lock as {@link #supplySubmit}, so every state is either deferred or applied from the real Submit, never neither.
     */
    public synchronized boolean deferBatchState(final short state)
    {
        if (!submitAwaited)
        {
            return false;
        }
        deferredBatchState = state;
        return true;
    }

    /** The state deferred before {@link #supplySubmit}, once, or {@link #NO_BATCH_STATE}; ask after supplying. */
    public synchronized short takeDeferredBatchState()
    {
        final short taken = deferredBatchState;
        deferredBatchState = NO_BATCH_STATE;
        return taken;
    }

    /**
     * A recovered request registered before its Submit was read back from the journal (with an empty one) takes
     * {@code bytes} as its Submit; false, and {@code bytes} released, when it was finished and released meanwhile.
     */
    public synchronized boolean supplySubmit(final ByteBuf bytes)
    {
        submitAwaited = false;
        if (released)
        {
            bytes.release();
            return false;
        }
        final ByteBuf placeholder = submit;
        submit = bytes;
        placeholder.release();
        return true;
    }

    /** Drops this request's own reference on the Submit bytes; call once, after the final answer. */
    public synchronized void release()
    {
        if (!released)
        {
            released = true;
            submit.release();
            if (sessionInFlight != null)
            {
                sessionInFlight.decrementAndGet();
                sessionInFlight = null;
            }
        }
    }
}
