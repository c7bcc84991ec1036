package io.chukei.bench.cluster;

import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.Submission;

import java.util.concurrent.atomic.AtomicInteger;

/** One request as its connector saw it: when it was meant to go, and how and when it ended. */
public final class SentRequest implements RequestRecord
{
    private final Submission submission;
    private final String municipality;
    private final long intendedNanos;
    private final AtomicInteger answers = new AtomicInteger();
    private volatile long answeredNanos;

    SentRequest(final Submission submission, final String municipality, final long intendedNanos)
    {
        this.submission = submission;
        this.municipality = municipality;
        this.intendedNanos = intendedNanos;
        submission.answer().whenComplete((answer, failure) ->
        {
            answeredNanos = System.nanoTime();
            answers.incrementAndGet();
        });
    }

    public Submission submission()
    {
        return submission;
    }

    @Override
    public java.util.UUID requestId()
    {
        return submission.requestId();
    }

    @Override
    public String municipality()
    {
        return municipality;
    }

    public long intendedNanos()
    {
        return intendedNanos;
    }

    /** When the final answer arrived (System.nanoTime), 0 while there is none. */
    public long answeredNanos()
    {
        return answeredNanos;
    }

    /** How many final answers the connector delivered (the SDK must never deliver a second one). */
    @Override
    public int answers()
    {
        return answers.get();
    }

    public boolean answered()
    {
        return answeredNanos != 0;
    }

    /** The final answer, or null while there is none (or the future failed). */
    @Override
    public Answer answer()
    {
        return submission.answer().isCompletedExceptionally() ? null : submission.answer().getNow(null);
    }

    /** Unresolved at {@code nanos}: sent before and answered after (or not yet). */
    public boolean unresolvedAt(final long nanos)
    {
        return intendedNanos <= nanos && (answeredNanos == 0 || answeredNanos > nanos);
    }

    /** Latency from the intended start to the answer, in nanoseconds (no coordinated omission). */
    public long latencyNanos()
    {
        return answeredNanos - intendedNanos;
    }
}
