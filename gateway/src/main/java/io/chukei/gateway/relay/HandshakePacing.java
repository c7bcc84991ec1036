package io.chukei.gateway.relay;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The connector listener's bound on the event-loop time TLS handshakes may take
 * ({@code admission.connections.handshakeLoopShare}): in every {@value #WINDOW_MS} ms window, each event loop
 * spends at most that share of it on handshake steps (the reads that carry a ClientHello or the client's Finished,
 * where the key exchange, the signature and the certificate checks run: about 2 ms per handshake here). A step that
 * finds its loop's budget spent waits, with its bytes held and its connection not read, for a later window, in
 * arrival order ({@link HandshakePacer}). So a reconnect storm that makes hundreds of handshakes ready at once no
 * longer turns one event-loop turn into half a second, which the node's own health check reads as a stuck loop
 * (issue 18); the rest of the loop's work — sessions, answers, the health probe — runs between the windows.
 *
 * <p>What is paced is work, not connections: an idle socket, or a handshake whose peer has gone quiet, takes
 * nothing from anyone. Each loop's budget is touched only from that loop's thread.
 */
public final class HandshakePacing
{
    static final long WINDOW_MS = 20;

    private final long budgetNanos;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Scheduler scheduler;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong paced = new AtomicLong();
    private final FastThreadLocal<LoopBudget> budgets = new FastThreadLocal<>()
    {
        @Override
        protected LoopBudget initialValue()
        {
            return new LoopBudget();
        }
    };

    /** Runs a task on the loop that asks, after a delay. */
    @FunctionalInterface
    interface Scheduler
    {
        void schedule(EventExecutor loop, Runnable task, long delayNanos);
    }

    /** @param loopShare the share of each window a loop may spend on handshake steps, in (0, 1] */
    public HandshakePacing(final double loopShare)
    {
        this(loopShare, System::nanoTime, (loop, task, delayNanos) -> loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
    }

    HandshakePacing(final double loopShare, final LongSupplier nanoTime, final Scheduler scheduler)
    {
        if (!(loopShare > 0 && loopShare <= 1))
        {
            throw new IllegalArgumentException("loopShare: " + loopShare + " (expected: > 0 and <= 1)");
        }
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);
        this.budgetNanos = (long)(windowNanos * loopShare);
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
    }

    /** Registers the gauge of waiting handshakes and the counter of the steps that waited. */
    public HandshakePacing bindTo(final MeterRegistry registry)
    {
        Gauge.builder("chukei.connections.handshakes.waiting", waiting, AtomicInteger::get)
            .description("TLS handshakes whose next step waits for its event loop's handshake budget " +
                "(admission.connections.handshakeLoopShare)")
            .register(registry);
        FunctionCounter.builder("chukei.connections.handshakes.paced", paced, AtomicLong::get)
            .description("TLS handshake steps that waited for a later window of their event loop's handshake budget")
            .register(registry);
        return this;
    }

    /** False at a share of 1: handshakes may take the whole loop, nothing is paced (a baseline for benchmarks). */
    public boolean paces()
    {
        return budgetNanos < windowNanos;
    }

    /** A pacer for a new connection; call on the connection's event loop. */
    HandshakePacer newPacer()
    {
        return new HandshakePacer(budgets.get());
    }

    public int waiting()
    {
        return waiting.get();
    }

    public long paced()
    {
        return paced.get();
    }

    /** One event loop's budget in the current window, and the handshakes waiting for a later one. */
    final class LoopBudget
    {
        private final ArrayDeque<HandshakePacer> queue = new ArrayDeque<>();
        private long windowStartNanos = nanoTime.getAsLong();
        private long spentNanos;
        private boolean drainPlanned;

        /** Whether a step may run now: nobody is waiting before it and this window's budget is not spent. */
        boolean mayRun()
        {
            roll(nanoTime.getAsLong());
            return queue.isEmpty() && spentNanos < budgetNanos;
        }

        long now()
        {
            return nanoTime.getAsLong();
        }

        /** A step ran for this long; a step that overran the budget leaves less for the next window. */
        void spent(final long nanos)
        {
            spentNanos += nanos;
        }

        /** The pacer's step waits for a later window; the first to wait plans the drain. */
        void await(final HandshakePacer pacer, final EventExecutor loop)
        {
            queue.add(pacer);
            waiting.incrementAndGet();
            paced.incrementAndGet();
            planDrain(loop);
        }

        /** A waiting connection closed: it stays queued until a drain skips it, but it waits no more. */
        void abandon()
        {
            waiting.decrementAndGet();
        }

        private void planDrain(final EventExecutor loop)
        {
            if (!drainPlanned)
            {
                drainPlanned = true;
                final long now = nanoTime.getAsLong();
                scheduler.schedule(loop, () -> drain(loop), Math.max(0, windowStartNanos + windowNanos - now));
            }
        }

        private void drain(final EventExecutor loop)
        {
            drainPlanned = false;
            roll(nanoTime.getAsLong());
            HandshakePacer next;
            while (spentNanos < budgetNanos && (next = queue.poll()) != null)
            {
                if (next.waiting())
                {
                    waiting.decrementAndGet();
                    next.resume();
                }
            }
            if (!queue.isEmpty())
            {
                planDrain(loop);
            }
        }

        /** A new window when the current one is over; spending beyond the budgets passed is carried as a debt. */
        private void roll(final long now)
        {
            final long windows = (now - windowStartNanos) / windowNanos;
            if (windows > 0)
            {
                spentNanos = Math.max(0, spentNanos - Math.min(windows, 1_000) * budgetNanos);
                windowStartNanos = now;
            }
        }
    }
}
