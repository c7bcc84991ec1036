package io.chukei.gateway.health;

import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.metrics.RelayMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Checks the node's own health every {@code health.checkIntervalMs}, on a thread of its own:
 *
 * <ul>
 *   <li><b>Event-loop lag</b>: a probe task is planned on every event loop each interval; the lag is
 *       how late it ran (or, still waiting, how overdue it is). Bound: {@code maxEventLoopLagMs}. Not a failure while
 *       the node starts ({@link #startingUp}) and for {@code startLagGraceMs} after {@link #ready}: a JVM that has just
 *       started runs its first requests in the interpreter and compiles meanwhile (a soak saw 592 ms on a node 2 s
 *       after it started), which says nothing about a node stuck for good; a stuck loop fails once the grace ends,
 *       and a stopped process is still caught at once by the stall check.</li>
 *   <li><b>Forwarding progress</b>: the age of the oldest accepted request not yet sent upstream.
 *       Bound: {@code maxForwardAgeMs}. Not a failure while the node is waiting on card management
 *       ({@link #waitingOnUpstream}): slow card management delays every node alike, and isolating
 *       healthy nodes for it would only move their connectors onto the same slowness.</li>
 *   <li><b>Journal</b>: the slowest append since the previous check. Bound: {@code maxJournalAppendMs}.</li>
 *   <li><b>Journal space</b>: the journal refuses new requests for lack of disk space ({@link #journalSpace}).</li>
 *   <li><b>Stall</b>: a check that itself runs more than {@code stallWakeMs} late means the whole process
 *       was stopped or hung (SIGSTOP, a long GC pause): reported at once.</li>
 * </ul>
 *
 * The listener hears {@code unhealthy} on the first failing check and {@code healthy} once every check
 * has passed for {@code recoverAfterMs}. Time comes from the injected ticker, and {@link #check()} can be
 * driven by hand, so tests cross every bound without sleeping.
 */
public final class HealthMonitor implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final LongSupplier nanoTime;
    private final LongUnaryOperator forwardAgeNanos;
    private final LongSupplier journalAppendMaxNanos;
    private final HealthListener listener;
    private final List<LoopProbe> probes = new CopyOnWriteArrayList<>();
    private final long intervalNanos;
    private final long maxLagNanos;
    private final long maxForwardAgeNanos;
    private final long maxJournalAppendNanos;
    private final long recoverAfterNanos;
    private final long stallWakeNanos;
    private final long startLagGraceNanos;
    private final RelayConfig.Health config;
    private final AtomicLong stallWakeups = new AtomicLong();
    private final AtomicLong forwardAgeExcused = new AtomicLong();
    private final AtomicLong lagExcused = new AtomicLong();
    /** From {@link #startingUp} to {@link #ready}: lag is warm-up. */
    private volatile boolean starting;
    /** Set by {@link #ready}: lag is excused until {@link #lagGraceEndNanos}. */
    private volatile boolean inStartGrace;
    private volatile long lagGraceEndNanos;
    private volatile UpstreamWaiting waitingOnUpstream = now -> false;
    private volatile Supplier<String> journalSpace = () -> null;
    private ScheduledExecutorService checker;
    private volatile boolean closed;

    // Written only by check(), which runs on one thread at a time; volatile for the metrics' readers.
    private boolean checkedBefore;
    private long nextCheckNanos;
    private long lastFailureNanos;
    private boolean excusing;
    private boolean excusingLag;
    private volatile boolean unhealthy;
    private volatile long eventLoopLagMs;
    private volatile long forwardAgeMs;
    private volatile long journalAppendMs;

    /**
     * @param nanoTime              the ticker (System::nanoTime outside tests)
     * @param forwardAgeNanos       given now, how long the oldest accepted request not yet sent upstream has waited
     * @param journalAppendMaxNanos the slowest journal append since the previous call
     */
    public HealthMonitor(
        final RelayConfig.Health config,
        final LongSupplier nanoTime,
        final LongUnaryOperator forwardAgeNanos,
        final LongSupplier journalAppendMaxNanos,
        final HealthListener listener)
    {
        this.config = config;
        this.nanoTime = nanoTime;
        this.forwardAgeNanos = forwardAgeNanos;
        this.journalAppendMaxNanos = journalAppendMaxNanos;
        this.listener = listener;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(config.checkIntervalMs());
        this.maxLagNanos = TimeUnit.MILLISECONDS.toNanos(config.maxEventLoopLagMs());
        this.maxForwardAgeNanos = TimeUnit.MILLISECONDS.toNanos(config.maxForwardAgeMs());
        this.maxJournalAppendNanos = TimeUnit.MILLISECONDS.toNanos(config.maxJournalAppendMs());
        this.recoverAfterNanos = TimeUnit.MILLISECONDS.toNanos(config.recoverAfterMs());
        this.stallWakeNanos = TimeUnit.MILLISECONDS.toNanos(config.stallWakeMs());
        this.startLagGraceNanos = TimeUnit.MILLISECONDS.toNanos(config.startLagGraceMs());
    }

    /** The node is starting: event-loop lag is warm-up until {@link #ready} and its grace after it. */
    public HealthMonitor startingUp()
    {
        starting = true;
        return this;
    }

    /** The node is ready: event-loop lag stays excused for {@code health.startLagGraceMs} more, then counts again. */
    public void ready()
    {
        lagGraceEndNanos = nanoTime.getAsLong() + startLagGraceNanos;
        inStartGrace = true;
        starting = false;
    }

    /**
     * Given now, whether the node is waiting on card management rather than stuck: then a forward age over its bound
     * is logged and counted ({@code chukei_health_forward_age_excused_total}) but is no failure. Set before
     * {@link #start}.
     */
    public HealthMonitor waitingOnUpstream(final UpstreamWaiting waiting)
    {
        this.waitingOnUpstream = java.util.Objects.requireNonNull(waiting, "waiting");
        return this;
    }

    /** Null while the journal takes requests, else what is wrong (the disk is full, an fsync failed): a failure. Set before {@link #start}. */
    public HealthMonitor journalSpace(final Supplier<String> problem)
    {
        this.journalSpace = java.util.Objects.requireNonNull(problem, "problem");
        return this;
    }

    /** Plans a probe on every event loop of {@code group} and starts the checking thread. */
    public synchronized HealthMonitor start(final EventLoopGroup group)
    {
        for (final EventExecutor loop : group)
        {
            planProbe(loop, probe());
        }
        checker = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "chukei-health");
            thread.setDaemon(true);
            return thread;
        });
        planNextCheck();
        LOG.info("Health checks every {} ms on {} event loops: {}", config.checkIntervalMs(), probes.size(), config);
        return this;
    }

    /** Gauges and counters of the checks: registered once, read at scrape time. */
    public void bind(final RelayMetrics metrics)
    {
        metrics.gauge("chukei.health.unhealthy", "1 while a health check fails or has not passed for the recovery time",
            () -> unhealthy ? 1 : 0);
        // Seconds, the base unit Prometheus expects; the checks themselves keep milliseconds.
        metrics.gaugeSeconds("chukei.health.eventloop.lag", "Worst event-loop lag at the latest health check",
            () -> TimeUnit.MILLISECONDS.toNanos(eventLoopLagMs));
        metrics.gaugeSeconds("chukei.health.forward.age", "Age of the oldest accepted request not yet sent upstream",
            () -> TimeUnit.MILLISECONDS.toNanos(forwardAgeMs));
        metrics.gaugeSeconds("chukei.health.journal.append", "Slowest journal append between the latest two health checks",
            () -> TimeUnit.MILLISECONDS.toNanos(journalAppendMs));
        FunctionCounter.builder("chukei.health.stall.wakeups", stallWakeups, AtomicLong::get)
            .description("Times the node woke after its process was stopped or hung").register(metrics.registry());
        FunctionCounter.builder("chukei.health.eventloop.lag.excused", lagExcused, AtomicLong::get)
            .description("Checks whose event-loop lag was over its bound while the node was starting or within " +
                "health.startLagGraceMs of ready: warm-up, not counted as a failure")
            .register(metrics.registry());
        FunctionCounter.builder("chukei.health.forward.age.excused", forwardAgeExcused, AtomicLong::get)
            .description("Checks whose forward age was over its bound while the node waited on card management " +
                "(upstream window full, answers arriving): slow card management, not counted as a failure")
            .register(metrics.registry());
    }

    /** A probe the monitor reads at each check; {@link #start} makes one per event loop. */
    LoopProbe probe()
    {
        final LoopProbe probe = new LoopProbe();
        probes.add(probe);
        return probe;
    }

    private void planProbe(final EventExecutor loop, final LoopProbe probe)
    {
        if (closed)
        {
            return;
        }
        probe.arm(nanoTime.getAsLong() + intervalNanos);
        try
        {
            loop.schedule(() ->
            {
                probe.ran(nanoTime.getAsLong());
                planProbe(loop, probe);
            }, intervalNanos, TimeUnit.NANOSECONDS);
        }
        catch (final RejectedExecutionException ex)
        {
            // The loop is shutting down with the node: nothing left to watch.
            probe.ran(nanoTime.getAsLong());
        }
    }

    private void checkAndPlanNext()
    {
        try
        {
            check();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("Health check failed: {}", ex.toString());
        }
        finally
        {
            planNextCheck();
        }
    }

    private void planNextCheck()
    {
        try
        {
            if (!closed)
            {
                checker.schedule(this::checkAndPlanNext, intervalNanos, TimeUnit.NANOSECONDS);
            }
        }
        catch (final RejectedExecutionException ex)
        {
            // Closed meanwhile.
        }
    }

    /**
     * One round of checks at the ticker's now. The checking thread calls it every interval; a test calls it
     * by hand after moving its ticker. A call more than {@code stallWakeMs} after the planned one is a stall.
     */
    public void check()
    {
        final long now = nanoTime.getAsLong();
        final long lateNanos = checkedBefore ? now - nextCheckNanos : 0;
        checkedBefore = true;
        nextCheckNanos = now + intervalNanos;

        final long lag = worstLag(now);
        final long age = forwardAgeNanos.applyAsLong(now);
        final long journal = journalAppendMaxNanos.getAsLong();
        eventLoopLagMs = TimeUnit.NANOSECONDS.toMillis(lag);
        forwardAgeMs = TimeUnit.NANOSECONDS.toMillis(age);
        journalAppendMs = TimeUnit.NANOSECONDS.toMillis(journal);

        if (lateNanos > stallWakeNanos)
        {
            final long stallMs = TimeUnit.NANOSECONDS.toMillis(lateNanos);
            stallWakeups.incrementAndGet();
            lastFailureNanos = now;
            unhealthy = true;
            tell(() -> listener.wokeAfterStall(stallMs));
            tell(() -> listener.unhealthy("woke after a stall of " + stallMs + " ms"));
            return;
        }
        final String failure = failure(excusedLag(now, lag), excused(now, age), journal, now);
        if (failure != null)
        {
            lastFailureNanos = now;
            if (!unhealthy)
            {
                unhealthy = true;
                tell(() -> listener.unhealthy(failure));
            }
        }
        else if (unhealthy && now - lastFailureNanos >= recoverAfterNanos)
        {
            unhealthy = false;
            tell(listener::healthy);
        }
    }

    /**
     * The forward age to judge: 0 when it is over the bound only because card management is slow (logged once per
     * episode); every node sees the same slowness, so it says nothing about this one.
     */
    private long excused(final long now, final long ageNanos)
    {
        if (ageNanos <= maxForwardAgeNanos)
        {
            excusing = false;
            return ageNanos;
        }
        if (!waitingOnUpstream.waiting(now))
        {
            excusing = false;
            return ageNanos;
        }
        forwardAgeExcused.incrementAndGet();
        if (!excusing)
        {
            excusing = true;
            LOG.warn("Oldest unforwarded request waiting {} ms (bound {} ms) while card management holds the whole upstream " +
                "window and keeps answering: card management is slow, not this node; not a health failure",
                TimeUnit.NANOSECONDS.toMillis(ageNanos), config.maxForwardAgeMs());
        }
        return 0;
    }

    /** The lag to judge: 0 when it is over the bound while the node warms up (logged once per episode). */
    private long excusedLag(final long now, final long lagNanos)
    {
        if (lagNanos <= maxLagNanos)
        {
            excusingLag = false;
            return lagNanos;
        }
        if (!starting && !(inStartGrace && now - lagGraceEndNanos < 0))
        {
            inStartGrace = false;
            excusingLag = false;
            return lagNanos;
        }
        lagExcused.incrementAndGet();
        if (!excusingLag)
        {
            excusingLag = true;
            LOG.warn("Event-loop lag {} ms (bound {} ms) while the node {}: warm-up, not a health failure",
                TimeUnit.NANOSECONDS.toMillis(lagNanos), config.maxEventLoopLagMs(), starting ? "starts" :
                    "is within health.startLagGraceMs (" + config.startLagGraceMs() + " ms) of ready");
        }
        return 0;
    }

    private String failure(final long lagNanos, final long ageNanos, final long journalNanos, final long now)
    {
        if (lagNanos > maxLagNanos)
        {
            return "event-loop lag " + TimeUnit.NANOSECONDS.toMillis(lagNanos) + " ms (bound " +
                config.maxEventLoopLagMs() + " ms)";
        }
        if (ageNanos > maxForwardAgeNanos)
        {
            // Why card management's slowness did not excuse it, so one verdict says where to look (the window, a
            // retry's wait, or a silence of card management).
            final String upstream = waitingOnUpstream.describe(now);
            return "oldest unforwarded request waiting " + TimeUnit.NANOSECONDS.toMillis(ageNanos) + " ms (bound " +
                config.maxForwardAgeMs() + " ms)" + (upstream == null ? "" : "; not card management's slowness: " + upstream);
        }
        if (journalNanos > maxJournalAppendNanos)
        {
            return "journal append " + TimeUnit.NANOSECONDS.toMillis(journalNanos) + " ms (bound " +
                config.maxJournalAppendMs() + " ms)";
        }
        return journalSpace.get();
    }

    private long worstLag(final long now)
    {
        long worst = 0;
        for (final LoopProbe probe : probes)
        {
            worst = Math.max(worst, probe.lagNanos(now));
        }
        return worst;
    }

    private static void tell(final Runnable call)
    {
        try
        {
            call.run();
        }
        catch (final RuntimeException ex)
        {
            // A listener's bug must not stop the checks.
            LOG.warn("Health listener failed: {}", ex.toString());
        }
    }

    public boolean isUnhealthy()
    {
        return unhealthy;
    }

    public long stallWakeups()
    {
        return stallWakeups.get();
    }

    /** Checks whose event-loop lag was over the bound but excused: the node was starting or just ready. */
    public long lagExcused()
    {
        return lagExcused.get();
    }

    /** Checks whose forward age was over the bound but excused: the node was waiting on card management. */
    public long forwardAgeExcused()
    {
        return forwardAgeExcused.get();
    }

    /** Worst event-loop lag at the latest check. */
    public long eventLoopLagMs()
    {
        return eventLoopLagMs;
    }

    /** Age of the oldest accepted request not yet sent upstream, at the latest check. */
    public long forwardAgeMs()
    {
        return forwardAgeMs;
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        if (checker != null)
        {
            checker.shutdownNow();
        }
    }

    /** Whether the node waits on card management rather than being stuck, and why not when it is not. */
    @FunctionalInterface
    public interface UpstreamWaiting
    {
        /** Given now, whether the forward age is card management's slowness. */
        boolean waiting(long nowNanos);

        /** The conditions as they stand, for the verdict of a forward age not excused; null: nothing to add. */
        default String describe(final long nowNanos)
        {
            return null;
        }
    }
}
