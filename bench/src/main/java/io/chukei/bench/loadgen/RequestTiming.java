package io.chukei.bench.loadgen;

import io.chukei.protocol.client.Acceptance;
import io.chukei.protocol.client.Answer;
import org.HdrHistogram.Recorder;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Times one request from its intended start: called back on the client's event loop when the
 * relay accepts it and when it ends. Only recorded phases feed the run-wide recorders (the
 * interval log); every phase keeps its own.
 */
final class RequestTiming implements Consumer<Optional<Acceptance>>, BiConsumer<Answer, Throwable>
{
    private final long intendedNs;
    private final PhaseRecorders phase;
    private final Recorder runAccepted;
    private final Recorder runAnswer;

    /** {@code runAccepted} and {@code runAnswer} are null for unrecorded phases (warmup). */
    RequestTiming(final long intendedNs, final PhaseRecorders phase, final Recorder runAccepted, final Recorder runAnswer)
    {
        this.intendedNs = intendedNs;
        this.phase = phase;
        this.runAccepted = runAccepted;
        this.runAnswer = runAnswer;
    }

    @Override
    public void accept(final Optional<Acceptance> acceptance)
    {
        if (acceptance.isPresent())
        {
            final long micros = (System.nanoTime() - intendedNs) / 1000;
            PhaseRecorders.record(phase.accepted, micros);
            if (runAccepted != null)
            {
                PhaseRecorders.record(runAccepted, micros);
            }
        }
    }

    @Override
    public void accept(final Answer answer, final Throwable failure)
    {
        if (failure != null)
        {
            phase.outcomes.failed();
            return;
        }
        final long micros = (System.nanoTime() - intendedNs) / 1000;
        // Only Results are timed: a fast rejection is not a served request and would flatter the curve.
        if (phase.outcomes.answered(answer))
        {
            PhaseRecorders.record(phase.answer, micros);
            if (runAnswer != null)
            {
                PhaseRecorders.record(runAnswer, micros);
            }
        }
    }
}
