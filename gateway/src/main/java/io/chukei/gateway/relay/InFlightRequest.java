package io.chukei.gateway.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

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
 */
public final class InFlightRequest implements Runnable
{
    private static final VarHandle COMPLETED;

    static
    {
        try
        {
            COMPLETED = MethodHandles.lookup().findVarHandle(InFlightRequest.class, "completed", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final RequestKey key;
    private final ByteBuf submit;
    private final long fingerprint;
    private final long deadlineEpochMs;
    private final long receivedNanos;
    /** Set once, by {@link #complete()}, through {@link #COMPLETED}. */
    @SuppressWarnings("unused")
    private volatile boolean completed;
    private final boolean recovered;
    private volatile long acceptIndex;
    private volatile Channel replyChannel;
    /** The journal has reported the ACCEPTED entry durable (see {@link #markDurable()}). */
    private volatile boolean durable;
    private volatile int forwardAttempts;
    /** Where its deadline is kept, once scheduled; {@link #dueNanos} is on that loop's clock and only used there. */
    private volatile Deadlines deadlines;
    private long dueNanos;
    private Consumer<InFlightRequest> onDurable;
    private boolean released;
    private String municipality;
    private io.chukei.gateway.admission.Priority priority = io.chukei.gateway.admission.Priority.INTERACTIVE;
    private volatile boolean firstForwardPossibleDuplicate;
    private volatile io.chukei.gateway.admission.UpstreamLimiter.Permit permit;
    private boolean answering;
    private AtomicInteger sessionInFlight;

    public InFlightRequest(
        final RequestKey key,
        final ByteBuf submit,
        final long fingerprint,
        final long deadlineEpochMs,
        final long receivedNanos,
        final Channel replyChannel,
        final boolean recovered)
    {
        this.key = key;
        this.submit = submit;
        this.fingerprint = fingerprint;
        this.deadlineEpochMs = deadlineEpochMs;
        this.receivedNanos = receivedNanos;
        this.replyChannel = replyChannel;
        this.recovered = recovered;
    }

    public RequestKey key()
    {
        return key;
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

    /** Counts one more forward attempt and returns its number (1 for the first). */
    public int nextForwardAttempt()
    {
        return ++forwardAttempts;
    }

    void deadlines(final Deadlines deadlines)
    {
        this.deadlines = deadlines;
    }

    long dueNanos()
    {
        return dueNanos;
    }

    void dueNanos(final long dueNanos)
    {
        this.dueNanos = dueNanos;
    }

    /**
     * What {@link #run()} does, once: set before the request is handed to
     * {@link io.chukei.gateway.journal.Journal#whenDurable}, which publishes it to the thread that runs it.
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
        }
    }

    public boolean isCompleted()
    {
        return completed;
    }

    /**
     * Claims the right to give this request its final answer. Exactly one caller gets true;
     * that caller journals and sends the answer, then calls {@link #release()}.
     */
    public boolean complete()
    {
        if (!COMPLETED.compareAndSet(this, false, true))
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
    void queueAs(final String municipality, final io.chukei.gateway.admission.Priority priority)
    {
        this.municipality = municipality;
        this.priority = priority;
    }

    /** The municipality whose queue place this request holds, or null when it holds none. */
    public String municipality()
    {
        return municipality;
    }

    public io.chukei.gateway.admission.Priority priority()
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
    public void permit(final io.chukei.gateway.admission.UpstreamLimiter.Permit permit)
    {
        this.permit = permit;
    }

    /** Hands over the window place once; later calls get null, so it is ended exactly once. */
    public synchronized io.chukei.gateway.admission.UpstreamLimiter.Permit takePermit()
    {
        final io.chukei.gateway.admission.UpstreamLimiter.Permit taken = permit;
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
            }
        }
    }
}
