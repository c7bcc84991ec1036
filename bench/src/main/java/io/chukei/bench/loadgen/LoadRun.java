package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One open-loop run: a send loop on the calling thread that hands each request to the sender at its
 * due time (never waiting for answers), a progress thread that rolls the interval histograms once a
 * second into the log and prints a line, then a drain that waits for the last answers.
 */
final class LoadRun
{
    private static final long DRAIN_POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final RateSchedule schedule;
    private final Municipalities municipalities;
    private final OperationMix mix;
    private final RunRecorders recorders;
    private final RequestSender sender;
    private final PrintStream progress;
    private final SplittableRandom random;
    private final Duration drainTimeout;
    private final ProcessCpu cpu;
    private final long spinNs;
    /** CPU readings when each phase began sending, and one when sending ended. */
    private final ProcessCpu.CpuSample[] phaseCpu;
    private ProcessCpu.CpuSample lastTickCpu;

    private final List<PhaseRecorders> phases;
    private final Histogram measuredAnswer = PhaseRecorders.newHistogram();
    private Histogram acceptedInterval;
    private Histogram answerInterval;
    private long lastSent;
    private long lastResults;
    private volatile int currentPhase;

    LoadRun(
        final Municipalities municipalities,
        final OperationMix mix,
        final RunRecorders recorders,
        final RequestSender sender,
        final PrintStream progress,
        final long seed,
        final Duration drainTimeout,
        final ProcessCpu cpu)
    {
        this.schedule = recorders.schedule();
        this.municipalities = municipalities;
        this.mix = mix;
        this.recorders = recorders;
        this.sender = sender;
        this.spinNs = sender.spinBeforeDueNs();
        this.progress = progress;
        this.random = new SplittableRandom(seed);
        this.drainTimeout = drainTimeout;
        this.cpu = cpu;
        this.phases = recorders.phases();
        this.phaseCpu = new ProcessCpu.CpuSample[phases.size() + 1];
    }

    /** Runs the schedule to its end, then waits up to the drain timeout for outstanding answers. */
    List<PhaseReport> run(final IntervalLog log)
    {
        final long startNs = System.nanoTime();
        recorders.start(startNs);
        lastTickCpu = cpu.sample();
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "loadgen-progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> tick(startNs, log), 1, 1, TimeUnit.SECONDS);
        try
        {
            send(startNs);
            drain();
        }
        finally
        {
            ticker.shutdown();
            awaitQuietly(ticker);
        }
        tick(startNs, log);
        final List<PhaseReport> reports = new ArrayList<>();
        for (int p = 0; p < phases.size(); p++)
        {
            if (schedule.phases().get(p).recorded())
            {
                final long next = p + 1 < phases.size() ? schedule.firstIndex(p + 1) : schedule.size();
                reports.add(phases.get(p).report(next - schedule.firstIndex(p), cpuOfPhase(p)));
            }
        }
        return reports;
    }

    private PhaseCpu cpuOfPhase(final int phase)
    {
        final ProcessCpu.CpuSample start = phaseCpu[phase];
        final ProcessCpu.CpuSample end = phaseCpu[phase + 1];
        return start == null || end == null ? PhaseCpu.UNMEASURED : end.since(start);
    }

    private void send(final long startNs)
    {
        final long size = schedule.size();
        int phase = 0;
        long nextPhaseIndex = phases.size() > 1 ? schedule.firstIndex(1) : size;
        phaseCpu[0] = cpu.sample();
        for (long index = 0; index < size; index++)
        {
            while (index >= nextPhaseIndex)
            {
                phase++;
                currentPhase = phase;
                // Read when the first request of the phase is due, so each phase's CPU covers its own sending.
                waitUntil(startNs + schedule.intendedStartNs(index, phase), spinNs);
                phaseCpu[phase] = cpu.sample();
                nextPhaseIndex = phase + 1 < phases.size() ? schedule.firstIndex(phase + 1) : size;
            }
            final long intendedNs = startNs + schedule.intendedStartNs(index, phase);
            waitUntil(intendedNs, spinNs);
            final int rank = municipalities.nextRank(random);
            final int kindIndex = mix.nextIndex(random);
            phases.get(phase).outcomes.sent();
            sender.send(index, phase, intendedNs, rank, kindIndex, mix.entry(kindIndex));
        }
        phaseCpu[phases.size()] = cpu.sample();
    }

    /**
     * Parks until {@code spinNs} before the deadline, then yields until it; with {@code spinNs} 0 only parks (and
     * wakes as late as the timer's slack makes it). A late start is never made up by skipping.
     */
    private static void waitUntil(final long deadlineNs, final long spinNs)
    {
        long remaining;
        while ((remaining = deadlineNs - System.nanoTime()) > 0)
        {
            if (remaining > spinNs)
            {
                LockSupport.parkNanos(remaining - spinNs / 2);
            }
            else
            {
                Thread.yield();
            }
        }
    }

    private void drain()
    {
        final long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (outstanding() > 0 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(DRAIN_POLL_NS);
        }
    }

    private long outstanding()
    {
        long outstanding = 0;
        for (final PhaseRecorders phase : phases)
        {
            outstanding += phase.outcomes.sentCount() - phase.outcomes.answeredCount();
        }
        return outstanding;
    }

    /** Once a second: the interval histograms into the log, then the progress line. */
    private synchronized void tick(final long startNs, final IntervalLog log)
    {
        acceptedInterval = recorders.runAccepted().getIntervalHistogram(acceptedInterval);
        answerInterval = recorders.runAnswer().getIntervalHistogram(answerInterval);
        final long elapsedNs = System.nanoTime() - startNs;
        final boolean measuring = elapsedNs >= schedule.measuredStartNs();
        if (measuring || answerInterval.getTotalCount() > 0 || acceptedInterval.getTotalCount() > 0)
        {
            log.write(acceptedInterval, answerInterval);
            measuredAnswer.add(answerInterval);
        }
        final ProcessCpu.CpuSample now = cpu.sample();
        final PhaseCpu lastSecond = now.since(lastTickCpu);
        lastTickCpu = now;
        progress.println(progressLine(elapsedNs, measuring, lastSecond));
        progress.flush();
    }

    private String progressLine(final long elapsedNs, final boolean measuring, final PhaseCpu lastSecond)
    {
        long sent = 0;
        long results = 0;
        OutcomeCounts all = OutcomeCounts.none();
        for (final PhaseRecorders phase : phases)
        {
            final OutcomeCounts counts = phase.outcomes.snapshot();
            sent += counts.sent();
            results += counts.results();
            all = all.plus(counts);
        }
        final long offered = sent - lastSent;
        final long achieved = results - lastResults;
        lastSent = sent;
        lastResults = results;
        final RateSchedule.Phase phase = schedule.phases().get(currentPhase);
        final StringBuilder line = new StringBuilder(160);
        line.append(String.format(Locale.ROOT, "[%5.1fs] %-9s target %d/s  offered %d/s  achieved %d/s  in flight %d  errors %d",
            elapsedNs / 1e9, elapsedNs >= schedule.durationNs() ? "draining" : phase.name(), phase.ratePerSecond(), offered, achieved,
            all.unanswered(), all.rejected() + all.failed()));
        if (measuring && measuredAnswer.getTotalCount() > 0)
        {
            line.append(String.format(Locale.ROOT, "  p50 %.2f ms  p99 %.2f ms",
                measuredAnswer.getValueAtPercentile(50) / 1000.0, measuredAnswer.getValueAtPercentile(99) / 1000.0));
        }
        else if (!measuring)
        {
            line.append("  (warmup, not recorded)");
        }
        if (lastSecond.hasTarget())
        {
            line.append(String.format(Locale.ROOT, "  cpu target %.2f loadgen %.2f cores", lastSecond.targetCores(),
                lastSecond.loadgenSeconds() / lastSecond.wallSeconds()));
        }
        if (!all.rejectedByCode().isEmpty())
        {
            final Map<String, Long> sorted = new TreeMap<>(all.rejectedByCode());
            line.append("  rejected ").append(sorted);
        }
        return line.toString();
    }

    private static void awaitQuietly(final ScheduledExecutorService executor)
    {
        try
        {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
