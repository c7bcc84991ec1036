package io.chukei.bench.loadgen;

import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

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
 * One open-loop run: a send loop on the calling thread that sends each request at its due time
 * (never waiting for answers), a progress thread that rolls the interval histograms once a
 * second into the log and prints a line, then a drain that waits for the last answers.
 */
final class LoadRun
{
    private static final long PARK_THRESHOLD_NS = 20_000;
    private static final long DRAIN_POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final RateSchedule schedule;
    private final Municipalities municipalities;
    private final OperationMix mix;
    private final RequestFactory requests;
    private final List<ConnectorClient> clientsByRank;
    private final PrintStream progress;
    private final SplittableRandom random;
    private final Duration drainTimeout;
    private final ProcessCpu cpu;
    /** CPU readings when each phase began sending, and one when sending ended. */
    private final ProcessCpu.CpuSample[] phaseCpu;
    private ProcessCpu.CpuSample lastTickCpu;

    private final List<PhaseRecorders> phases = new ArrayList<>();
    private final Recorder runAccepted = PhaseRecorders.newRecorder();
    private final Recorder runAnswer = PhaseRecorders.newRecorder();
    private final Histogram measuredAnswer = PhaseRecorders.newHistogram();
    private Histogram acceptedInterval;
    private Histogram answerInterval;
    private long lastSent;
    private long lastResults;
    private volatile int currentPhase;

    LoadRun(
        final RateSchedule schedule,
        final Municipalities municipalities,
        final OperationMix mix,
        final RequestFactory requests,
        final List<ConnectorClient> clientsByRank,
        final PrintStream progress,
        final long seed,
        final Duration drainTimeout,
        final ProcessCpu cpu)
    {
        if (clientsByRank.size() != municipalities.size())
        {
            throw new IllegalArgumentException("clientsByRank: " + clientsByRank.size() + " clients (expected: one per municipality, " +
                municipalities.size() + ")");
        }
        this.schedule = schedule;
        this.municipalities = municipalities;
        this.mix = mix;
        this.requests = requests;
        this.clientsByRank = List.copyOf(clientsByRank);
        this.progress = progress;
        this.random = new SplittableRandom(seed);
        this.drainTimeout = drainTimeout;
        this.cpu = cpu;
        for (final RateSchedule.Phase phase : schedule.phases())
        {
            phases.add(new PhaseRecorders(phase));
        }
        this.phaseCpu = new ProcessCpu.CpuSample[phases.size() + 1];
    }

    /** Runs the schedule to its end, then waits up to the drain timeout for outstanding answers. */
    List<PhaseReport> run(final IntervalLog log)
    {
        final long startNs = System.nanoTime();
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
                waitUntil(startNs + schedule.intendedStartNs(index, phase));
                phaseCpu[phase] = cpu.sample();
                nextPhaseIndex = phase + 1 < phases.size() ? schedule.firstIndex(phase + 1) : size;
            }
            final long intendedNs = startNs + schedule.intendedStartNs(index, phase);
            waitUntil(intendedNs);
            final PhaseRecorders recorders = phases.get(phase);
            final boolean recorded = recorders.phase.recorded();
            final int rank = municipalities.nextRank(random);
            final OperationMix.Entry kind = mix.next(random);
            final RequestTiming timing = new RequestTiming(intendedNs, recorders,
                recorded ? runAccepted : null, recorded ? runAnswer : null);
            recorders.outcomes.sent();
            final Submission submission = clientsByRank.get(rank).send(requests.create(kind, rank));
            submission.accepted().thenAccept(timing);
            submission.answer().whenComplete(timing);
        }
        phaseCpu[phases.size()] = cpu.sample();
    }

    /** Parks for long waits, yields for the last few microseconds; a late start is never made up by skipping. */
    private static void waitUntil(final long deadlineNs)
    {
        long remaining;
        while ((remaining = deadlineNs - System.nanoTime()) > 0)
        {
            if (remaining > PARK_THRESHOLD_NS)
            {
                LockSupport.parkNanos(remaining - PARK_THRESHOLD_NS / 2);
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
        acceptedInterval = runAccepted.getIntervalHistogram(acceptedInterval);
        answerInterval = runAnswer.getIntervalHistogram(answerInterval);
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
