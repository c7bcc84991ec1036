package io.chukei.gateway.admission;

import java.util.Objects;

/**
 * Moves queued requests upstream while the window has room: asks the scheduler which class is
 * next, takes a permit for it, and hands the request and its permit to the sender. When batch is
 * next but batch's part of the window is full, interactive work still goes. Call {@link #drain()}
 * after enqueueing and after every permit ends; any thread may call it.
 */
public final class UpstreamDispatcher<T>
{
    /** Sends one request upstream; the permit must be ended when the attempt ends. */
    @FunctionalInterface
    public interface Sender<T>
    {
        void send(T item, UpstreamLimiter.Permit permit);
    }

    private final FairScheduler<T> scheduler;
    private final UpstreamLimiter limiter;
    private final Sender<T> sender;

    public UpstreamDispatcher(final FairScheduler<T> scheduler, final UpstreamLimiter limiter, final Sender<T> sender)
    {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /** Sends as many queued requests as the window allows; returns how many. */
    public int drain()
    {
        int sent = 0;
        while (true)
        {
            final Priority next = scheduler.nextPriority();
            if (next == null)
            {
                return sent;
            }
            UpstreamLimiter.Permit permit = limiter.tryAcquire(next);
            if (permit == null && next == Priority.BATCH && scheduler.size(Priority.INTERACTIVE) > 0)
            {
                permit = limiter.tryAcquire(Priority.INTERACTIVE);
            }
            if (permit == null)
            {
                return sent;
            }
            final T item = scheduler.poll(permit.priority());
            if (item == null)
            {
                // Another thread took the last one of this class meanwhile.
                permit.onIgnore();
                continue;
            }
            sender.send(item, permit);
            sent++;
        }
    }
}
