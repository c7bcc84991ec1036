package io.chukei.bench.loadgen;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's outcomes and latencies go: one {@link PhaseRecorders} per phase of the schedule, and run-wide
 * recorders (the interval log) fed by recorded phases only. The raw sender records by schedule index, which gives
 * the phase and the intended start with no per-request object; recording is safe from any thread.
 */
final class RunRecorders
{
    private final RateSchedule schedule;
    private final List<PhaseRecorders> phases = new ArrayList<>();
    private final Recorder runAccepted = PhaseRecorders.newRecorder();
    private final Recorder runAnswer = PhaseRecorders.newRecorder();
    /** The run's time zero on the {@link System#nanoTime()} scale, set once when sending starts. */
    private volatile long startNs;

    RunRecorders(final RateSchedule schedule)
    {
        this.schedule = schedule;
        for (final RateSchedule.Phase phase : schedule.phases())
        {
            phases.add(new PhaseRecorders(phase));
        }
    }

    void start(final long runStartNs)
    {
        this.startNs = runStartNs;
    }

    RateSchedule schedule()
    {
        return schedule;
    }

    List<PhaseRecorders> phases()
    {
        return phases;
    }

    PhaseRecorders phase(final int phase)
    {
        return phases.get(phase);
    }

    Recorder runAccepted()
    {
        return runAccepted;
    }

    Recorder runAnswer()
    {
        return runAnswer;
    }

    /** An acceptance {@code micros} after its intended start, in {@code phase} (and the run's log when it is recorded). */
    void recordAccepted(final int phase, final long micros)
    {
        final PhaseRecorders recorders = phases.get(phase);
        PhaseRecorders.record(recorders.accepted, micros);
        if (recorders.phase.recorded())
        {
            PhaseRecorders.record(runAccepted, micros);
        }
    }

    /** A Result {@code micros} after its intended start, in {@code phase} (and the run's log when it is recorded). */
    void recordAnswer(final int phase, final long micros)
    {
        final PhaseRecorders recorders = phases.get(phase);
        PhaseRecorders.record(recorders.answer, micros);
        if (recorders.phase.recorded())
        {
            PhaseRecorders.record(runAnswer, micros);
        }
    }

    /** Request {@code index} was accepted at {@code nowNs}. */
    void accepted(final long index, final long nowNs)
    {
        final int phase = schedule.phaseOf(index);
        recordAccepted(phase, (nowNs - intendedNs(index, phase)) / 1000);
    }

    /** Request {@code index} got its Result at {@code nowNs}. */
    void result(final long index, final long nowNs, final OutcomeStatus status)
    {
        final int phase = schedule.phaseOf(index);
        phases.get(phase).outcomes.result(status);
        recordAnswer(phase, (nowNs - intendedNs(index, phase)) / 1000);
    }

    /** Request {@code index} was refused with {@code code}; {@code local} when the sender decided it (not the target). */
    void rejected(final long index, final ErrorCode code, final boolean local)
    {
        phases.get(schedule.phaseOf(index)).outcomes.rejected(code, local);
    }

    /** Request {@code index} could not be sent or ended in an error (counted as an error). */
    void failed(final long index)
    {
        phases.get(schedule.phaseOf(index)).outcomes.failed();
    }

    private long intendedNs(final long index, final int phase)
    {
        return startNs + schedule.intendedStartNs(index, phase);
    }
}
