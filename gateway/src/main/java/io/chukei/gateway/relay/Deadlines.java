package io.chukei.gateway.relay;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The deadlines of the requests accepted on one event loop, with one timer for the earliest
 * instead of a scheduled task per request. Each request is due exactly when a timer of its
 * own, scheduled on this loop with the same delay, would have run: due times are taken from
 * the loop's own clock ({@link EventLoop#ticker()}), and when the timer runs every request
 * due by then is handed to {@code expire}, which answers DEADLINE_EXCEEDED unless the request
 * was finished first ({@link InFlightRequest#complete()} decides).
 *
 * <p>Requests finished before their deadline stay in the queue until it is next tidied (they
 * may finish on another thread, and the queue belongs to this loop): a count of unfinished ones
 * tells when more than half are finished, and they are dropped in one pass. Touched only on the
 * loop, except {@link #register} and {@link #unregisterOne}, which only count.
 */
final class Deadlines implements Runnable
{
    /** Finished requests tolerated in the queue beyond as many as unfinished ones. */
    private static final int TIDY_SLACK = 64;
    private static final Comparator<InFlightRequest> BY_DUE = Comparator.comparingLong(InFlightRequest::dueNanos);

    private final EventLoop loop;
    private final Consumer<InFlightRequest> expire;
    private final PriorityQueue<InFlightRequest> queue = new PriorityQueue<>(BY_DUE);
    private final AtomicInteger unfinished = new AtomicInteger();
    private ScheduledFuture<?> timer;
    private long timerDueNanos;

    Deadlines(final EventLoop loop, final Consumer<InFlightRequest> expire)
    {
        this.loop = loop;
        this.expire = expire;
    }

    /**
     * Makes {@code request} due {@code delayMs} from now on this loop's clock. Any thread; the
     * queue itself is changed on the loop.
     */
    void schedule(final InFlightRequest request, final long delayMs)
    {
        register(request);
        if (loop.inEventLoop())
        {
            add(request, delayMs);
        }
        else
        {
            loop.execute(() -> add(request, delayMs));
        }
    }

    private void register(final InFlightRequest request)
    {
        unfinished.incrementAndGet();
        request.deadlines(this);
    }

    /** Called once by whoever finishes a registered request ({@link InFlightRequest#complete()}). */
    void unregisterOne()
    {
        unfinished.decrementAndGet();
    }

    int size()
    {
        return queue.size();
    }

    private void add(final InFlightRequest request, final long delayMs)
    {
        final long now = loop.ticker().nanoTime();
        final long due = now + TimeUnit.MILLISECONDS.toNanos(delayMs);
        // As Netty does for a scheduled task: a delay too long to add is "never".
        request.dueNanos(due < now ? Long.MAX_VALUE : due);
        tidy();
        queue.add(request);
        arm(now);
    }

    /** The timer: expires every request due by now, then waits for the next one. */
    @Override
    public void run()
    {
        timer = null;
        final long now = loop.ticker().nanoTime();
        InFlightRequest head;
        while ((head = queue.peek()) != null && (head.dueNanos() <= now || head.isCompleted()))
        {
            queue.poll();
            if (!head.isCompleted())
            {
                expire.accept(head);
            }
        }
        tidy();
        arm(now);
    }

    private void arm(final long now)
    {
        final InFlightRequest head = queue.peek();
        if (head == null || timer != null && timerDueNanos <= head.dueNanos())
        {
            return;
        }
        if (timer != null)
        {
            timer.cancel(false);
        }
        timerDueNanos = head.dueNanos();
        timer = loop.schedule(this, Math.max(0, timerDueNanos - now), TimeUnit.NANOSECONDS);
    }

    private void tidy()
    {
        if (queue.size() > 2 * Math.max(0, unfinished.get()) + TIDY_SLACK)
        {
            queue.removeIf(InFlightRequest::isCompleted);
        }
    }
}
