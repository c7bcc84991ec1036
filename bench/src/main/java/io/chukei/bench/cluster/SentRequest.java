package io.chukei.bench.cluster;

import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.Submission;
import io.chukei.protocol.sbe.ErrorCode;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One request as its connector saw it: when it was meant to go, and how and when it ended.
 *
 * <p>The SDK's own {@code DEADLINE_EXCEEDED} (the relay said nothing by the deadline) is not an outcome: the request
 * may still have taken effect. A connector's duty (ConnectorClient, <i>Deadlines</i>) is then to find out by sending
 * the same request id again, which cannot take effect twice; with a {@code resender} this record does so, up to
 * {@link #MAX_RESENDS} times, and its {@link #answer()} is the answer that resend got. The check counts such
 * requests separately ({@link #resolvedAfterLocalDeadline()}), so a run shows how often it happened.
 */
public final class SentRequest implements RequestRecord
{
    /** Same-id resends after an SDK-local DEADLINE_EXCEEDED before the request is left with that answer. */
    static final int MAX_RESENDS = 3;

    private final Submission submission;
    private final String municipality;
    private final long intendedNanos;
    private final Function<java.util.UUID, Submission> resender;
    private final AtomicInteger answers = new AtomicInteger();
    private final AtomicInteger resends = new AtomicInteger();
    private volatile long answeredNanos;
    private volatile Answer finalAnswer;

    SentRequest(final Submission submission, final String municipality, final long intendedNanos)
    {
        this(submission, municipality, intendedNanos, null);
    }

    /** {@code resender}: sends the same request again under the given id (null: never resend). */
    SentRequest(final Submission submission, final String municipality, final long intendedNanos,
        final Function<java.util.UUID, Submission> resender)
    {
        this.submission = submission;
        this.municipality = municipality;
        this.intendedNanos = intendedNanos;
        this.resender = resender;
        submission.answer().whenComplete((answer, failure) ->
        {
            answers.incrementAndGet();
            settle(answer);
        });
    }

    private void settle(final Answer answer)
    {
        if (resender != null && isLocalDeadline(answer) && resends.get() < MAX_RESENDS)
        {
            resends.incrementAndGet();
            resender.apply(submission.requestId()).answer().whenComplete((again, failure) -> settle(again));
            return;
        }
        finalAnswer = answer;
        answeredNanos = System.nanoTime();
    }

    /** The SDK's own deadline verdict: nothing heard from the relay, outcome unknown. */
    static boolean isLocalDeadline(final Answer answer)
    {
        return answer instanceof Answer.Rejected rejected && rejected.local() && rejected.code() == ErrorCode.DEADLINE_EXCEEDED;
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

    /** When the final answer arrived (System.nanoTime; after a resend, that resend's), 0 while there is none. */
    public long answeredNanos()
    {
        return answeredNanos;
    }

    /** How many final answers the connector delivered to the first submission (the SDK must never deliver a second one). */
    @Override
    public int answers()
    {
        return answers.get();
    }

    public boolean answered()
    {
        return answeredNanos != 0;
    }

    /** The final answer (after a resend, the resend's), or null while there is none (or the future failed). */
    @Override
    public Answer answer()
    {
        return answeredNanos == 0 ? null : finalAnswer;
    }

    /** Same-id resends made because the SDK reported its own DEADLINE_EXCEEDED. */
    public int resends()
    {
        return resends.get();
    }

    @Override
    public boolean resolvedAfterLocalDeadline()
    {
        return resends.get() > 0 && answered() && !isLocalDeadline(finalAnswer);
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
