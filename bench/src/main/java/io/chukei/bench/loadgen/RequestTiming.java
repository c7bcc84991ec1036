package io.chukei.bench.loadgen;

import io.chukei.protocol.client.Acceptance;
import io.chukei.protocol.client.Answer;

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
    private final RunRecorders recorders;
    private final int phase;

    RequestTiming(final long intendedNs, final RunRecorders recorders, final int phase)
    {
        this.intendedNs = intendedNs;
        this.recorders = recorders;
        this.phase = phase;
    }

    @Override
    public void accept(final Optional<Acceptance> acceptance)
    {
        if (acceptance.isPresent())
        {
            recorders.recordAccepted(phase, (System.nanoTime() - intendedNs) / 1000);
        }
    }

    @Override
    public void accept(final Answer answer, final Throwable failure)
    {
        final Outcomes outcomes = recorders.phase(phase).outcomes;
        if (failure != null)
        {
            outcomes.failed();
            return;
        }
        final long micros = (System.nanoTime() - intendedNs) / 1000;
        // Only Results are timed: a fast rejection is not a served request and would flatter the curve.
        if (outcomes.answered(answer))
        {
            recorders.recordAnswer(phase, micros);
        }
    }
}
