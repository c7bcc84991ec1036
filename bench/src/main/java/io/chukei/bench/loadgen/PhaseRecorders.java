package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * The live record of one phase: outcome counts, and latency recorders read once at the end.
 * Values are microseconds; anything beyond {@link #HIGHEST_MICROS} is recorded as that.
 */
final class PhaseRecorders
{
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
    static final int SIGNIFICANT_DIGITS = 3;

    final RateSchedule.Phase phase;
    final Outcomes outcomes = new Outcomes();
    final Recorder accepted = newRecorder();
    final Recorder answer = newRecorder();

    PhaseRecorders(final RateSchedule.Phase phase)
    {
        this.phase = phase;
    }

    static Recorder newRecorder()
    {
        return new Recorder(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** Records into the recorder, clamping what the histogram cannot hold. */
    static void record(final Recorder recorder, final long micros)
    {
        recorder.recordValue(Math.max(0, Math.min(micros, HIGHEST_MICROS)));
    }

    /** Reads everything recorded; call once, after the run. */
    PhaseReport report(final long scheduled, final PhaseCpu cpu)
    {
        final Histogram acceptedHistogram = newHistogram();
        acceptedHistogram.add(accepted.getIntervalHistogram());
        final Histogram answerHistogram = newHistogram();
        answerHistogram.add(answer.getIntervalHistogram());
        return new PhaseReport(phase.name(), phase.ratePerSecond(), phase.durationNs() / 1e9, scheduled,
            outcomes.snapshot(), acceptedHistogram, answerHistogram, cpu);
    }
}
