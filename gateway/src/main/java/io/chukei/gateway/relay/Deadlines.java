package io.chukei.gateway.relay;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deadlines of the requests accepted on one event loop, with one timer for the earliest
 * instead of a scheduled task per request. Each request is due exactly when a timer of its
 * own, scheduled on this loop with the same delay, would have run: due times are taken from
 * the loop's own clock ({@link EventLoop#ticker()}), and when the timer runs every request
 * due by then is handed to {@code expire}, which decides what the deadline means unless the request
 * was finished first ({@link InFlightRequest#expire(long)}: DEADLINE_EXCEEDED, or outcome unknown — then the
 * request is due once more, at the end of the wait for its verdict, {@link #reschedule}).
 *
 * <p>Requests finished before their deadline stay in the queue until it is next tidied (they
 * may finish on another thread, and the queue belongs to this loop): a count of unfinished ones
 * tells when more than half are finished, and they are dropped in one pass. Touched only on the
 * loop, except {@link #schedule} off the loop, which hands its entry over through a locked list, and
 * {@link #unregisterOne}, which only counts.
 *
 * <p>The queue holds no {@linkplain InFlightRequest#hold() hold}: a finished request may go back to
 * its pool and serve another request while its entry is still here. So each entry keeps the
 * request's generation and due time itself (a binary heap over three arrays, nothing allocated per
 * entry); an entry whose generation is over is finished, and never acts on the next occupant.
 */
final class Deadlines implements Runnable
{
    /** Finished requests tolerated in the queue beyond as many as unfinished ones. */
    private static final int TIDY_SLACK = 64;
    private static final int INITIAL_CAPACITY = 64;

    /** Answers a request whose deadline passed, if {@code generation} of it is still unfinished. */
    @FunctionalInterface
    interface Expiry
    {
        void expire(InFlightRequest request, long generation);
    }

    private final EventLoop loop;
    private final Expiry expire;
    private final AtomicInteger unfinished = new AtomicInteger();
    // The heap: entry i is (dueNanos[i], requests[i], generations[i]); the earliest due at 0.
    private long[] dueNanos = new long[INITIAL_CAPACITY];
    private InFlightRequest[] requests = new InFlightRequest[INITIAL_CAPACITY];
    private long[] generations = new long[INITIAL_CAPACITY];
    private int size;
    private ScheduledFuture<?> timer;
    private long timerDueNanos;
    /** Entries scheduled off the loop, not yet in the queue; guarded by itself. */
    private final List<HandedOver> handedOver = new ArrayList<>();

    Deadlines(final EventLoop loop, final Expiry expire)
    {
        this.loop = loop;
        this.expire = expire;
    }

    /**
     * Makes {@code request} due {@code delayMs} from now on this loop's clock. Any thread, by a
     * holder of the request; the queue itself is changed on the loop.
     */
    void schedule(final InFlightRequest request, final long delayMs)
    {
        unfinished.incrementAndGet();
        request.deadlines(this);
        // Read now, while the caller holds it: by the time the loop runs the task it may be finished and reused.
        final long generation = request.generation();
        if (loop.inEventLoop())
        {
            add(request, generation, delayMs);
        }
        else
        {
            handOver(request, generation, delayMs);
        }
    }

    /**
     * Makes use {@code generation} of a request whose deadline entry was just taken (by {@link #run}, through
     * {@code expire}) due again {@code delayMs} from now: the wait for an outcome-unknown request's verdict. It stays
     * counted as unfinished (one count per registered use, ended by {@link #unregisterOne}); the entry keeps the
     * generation, so it does nothing if that use ends meanwhile. No hold needed.
     */
    void reschedule(final InFlightRequest request, final long generation, final long delayMs)
    {
        if (loop.inEventLoop())
        {
            add(request, generation, delayMs);
        }
        else
        {
            handOver(request, generation, delayMs);
        }
    }

    /**
     * Off the loop: the entry waits in {@link #handedOver}, due {@code delayMs} from now, and one task takes every entry
     * waiting there into the queue. A restart registers its 100,000 recovered requests from the start-up thread: one
     * task each kept both event loops busy for ~0.4 s and held up the connector listener's bind behind them. Each
     * entry is an object here, unlike in the queue: only a restart schedules many off the loop.
     */
    private void handOver(final InFlightRequest request, final long generation, final long delayMs)
    {
        final long now = loop.ticker().nanoTime();
        final long due = now + TimeUnit.MILLISECONDS.toNanos(delayMs);
        final boolean first;
        synchronized (handedOver)
        {
            first = handedOver.isEmpty();
            handedOver.add(new HandedOver(due < now ? Long.MAX_VALUE : due, request, generation));
        }
        if (first)
        {
            loop.execute(this::takeHandedOver);
        }
    }

    /** On the loop: every entry handed over so far into the queue, then the timer for the earliest. */
    private void takeHandedOver()
    {
        final List<HandedOver> taken;
        synchronized (handedOver)
        {
            taken = new ArrayList<>(handedOver);
            handedOver.clear();
        }
        tidy();
        for (final HandedOver entry : taken)
        {
            push(entry.dueNanos(), entry.request(), entry.generation());
        }
        arm(loop.ticker().nanoTime());
    }

    /** Called once by whoever finishes a registered request ({@link InFlightRequest#complete(long)}). */
    void unregisterOne()
    {
        unfinished.decrementAndGet();
    }

    int size()
    {
        return size;
    }

    private void add(final InFlightRequest request, final long generation, final long delayMs)
    {
        final long now = loop.ticker().nanoTime();
        final long due = now + TimeUnit.MILLISECONDS.toNanos(delayMs);
        tidy();
        // As Netty does for a scheduled task: a delay too long to add is "never".
        push(due < now ? Long.MAX_VALUE : due, request, generation);
        arm(now);
    }

    /** The timer: expires every request due by now, then waits for the next one. */
    @Override
    public void run()
    {
        timer = null;
        final long now = loop.ticker().nanoTime();
        while (size > 0 && (dueNanos[0] <= now || requests[0].isFinished(generations[0])))
        {
            final InFlightRequest head = requests[0];
            final long generation = generations[0];
            removeAt(0);
            if (!head.isFinished(generation))
            {
                expire.expire(head, generation);
            }
        }
        tidy();
        arm(now);
    }

    private void arm(final long now)
    {
        if (size == 0 || timer != null && timerDueNanos <= dueNanos[0])
        {
            return;
        }
        if (timer != null)
        {
            timer.cancel(false);
        }
        timerDueNanos = dueNanos[0];
        timer = loop.schedule(this, Math.max(0, timerDueNanos - now), TimeUnit.NANOSECONDS);
    }

    /** Drops finished entries once they outnumber the unfinished ones (plus slack), then rebuilds the heap. */
    private void tidy()
    {
        if (size <= 2 * Math.max(0, unfinished.get()) + TIDY_SLACK)
        {
            return;
        }
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            if (!requests[i].isFinished(generations[i]))
            {
                dueNanos[kept] = dueNanos[i];
                requests[kept] = requests[i];
                generations[kept] = generations[i];
                kept++;
            }
        }
        Arrays.fill(requests, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--)
        {
            siftDown(i);
        }
    }

    private void push(final long due, final InFlightRequest request, final long generation)
    {
        if (size == requests.length)
        {
            dueNanos = Arrays.copyOf(dueNanos, size * 2);
            requests = Arrays.copyOf(requests, size * 2);
            generations = Arrays.copyOf(generations, size * 2);
        }
        dueNanos[size] = due;
        requests[size] = request;
        generations[size] = generation;
        siftUp(size++);
    }

    private void removeAt(final int index)
    {
        final int last = --size;
        if (index != last)
        {
            move(last, index);
            siftDown(index);
            siftUp(index);
        }
        requests[last] = null;
    }

    private void siftUp(final int from)
    {
        int child = from;
        while (child > 0)
        {
            final int parent = (child - 1) >>> 1;
            if (dueNanos[parent] <= dueNanos[child])
            {
                return;
            }
            swap(parent, child);
            child = parent;
        }
    }

    private void siftDown(final int from)
    {
        int parent = from;
        while (true)
        {
            final int left = 2 * parent + 1;
            if (left >= size)
            {
                return;
            }
            final int right = left + 1;
            final int earlier = right < size && dueNanos[right] < dueNanos[left] ? right : left;
            if (dueNanos[parent] <= dueNanos[earlier])
            {
                return;
            }
            swap(parent, earlier);
            parent = earlier;
        }
    }

    private void move(final int from, final int to)
    {
        dueNanos[to] = dueNanos[from];
        requests[to] = requests[from];
        generations[to] = generations[from];
    }

    private void swap(final int a, final int b)
    {
        final long due = dueNanos[a];
        final InFlightRequest request = requests[a];
        final long generation = generations[a];
        move(b, a);
        dueNanos[b] = due;
        requests[b] = request;
        generations[b] = generation;
    }

    /** An entry scheduled off the loop, on its way into the queue. */
    private record HandedOver(long dueNanos, InFlightRequest request, long generation)
    {
    }
}
