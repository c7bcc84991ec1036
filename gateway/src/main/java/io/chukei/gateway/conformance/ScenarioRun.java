package io.chukei.gateway.conformance;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One scenario played on one workload request: what the relay does on the first send, and how it judges what the
 * connector does next. Runs on the relay's single event loop, so it needs no locks.
 */
abstract class ScenarioRun
{
    protected final ConformanceScript script;
    protected final Scenario scenario;
    protected final SubmitCopy first;
    /** The latest send of the request, the first included. */
    protected SubmitCopy last;
    private Verdict verdict;
    private boolean finalAnswerGiven;

    ScenarioRun(final ConformanceScript script, final Scenario scenario, final SubmitCopy first)
    {
        this.script = script;
        this.scenario = scenario;
        this.first = first;
        this.last = first;
    }

    /** The first send arrived: play the scenario's opening. */
    abstract void start();

    /** A later send of the same id and content, before the final answer; {@code before} is the send before it. */
    abstract void resent(SubmitCopy before, SubmitCopy resend);

    /** A StatusQuery for the id before the final answer: by default the relay says FORWARDED, as a real one would. */
    void queried(final ConformanceSession session)
    {
        session.frames().statusReply(first.requestId(), io.chukei.protocol.sbe.RequestState.FORWARDED, 1);
    }

    /** A connection closed (by either side). */
    void sessionClosed(final ConformanceSession session)
    {
    }

    /** The id came again after its final answer: it gets the stored answer, as from a real relay. */
    void resentAfterFinal(final SubmitCopy resend)
    {
        deliverFinal(resend.session(), true);
    }

    /** A StatusQuery after the final answer gets the stored answer. */
    void queriedAfterFinal(final ConformanceSession session)
    {
        session.frames().result(first.requestId(), scenario.number(), detail());
    }

    /** A new id with this request's content while it is unresolved: the connector resubmitted under a new id. */
    void resubmittedUnderNewId(final SubmitCopy resend)
    {
        fail("resubmitted under a new id " + resend.requestId() + " (same content) instead of resending " +
            first.requestId() + ": a new id is a new request, which card management may apply a second time (§5)");
    }

    final void onSubmit(final SubmitCopy resend)
    {
        if (finalAnswerGiven)
        {
            resentAfterFinal(resend);
            return;
        }
        final SubmitCopy before = last;
        last = resend;
        if (!resend.sameContent(first))
        {
            fail("resent with the same id but different content (a relay answers REQUEST_ID_CONFLICT, §5)");
            deliverFinal(resend.session(), true);
            return;
        }
        resent(before, resend);
    }

    final void onStatusQuery(final ConformanceSession session)
    {
        if (finalAnswerGiven)
        {
            queriedAfterFinal(session);
        }
        else
        {
            queried(session);
        }
    }

    /** Accepted (alreadyKnown as given) then the final Result, on {@code session}; later sends get the stored Result. */
    protected final void deliverFinal(final ConformanceSession session, final boolean alreadyKnown)
    {
        finalAnswerGiven = true;
        if (session != null && session.writable())
        {
            session.frames().accepted(first.requestId(), alreadyKnown);
            session.frames().result(first.requestId(), scenario.number(), detail());
        }
        script.progress();
    }

    /** The Result alone (after an earlier Accepted on the session). */
    protected final void deliverResult(final ConformanceSession session)
    {
        finalAnswerGiven = true;
        if (session.writable())
        {
            session.frames().result(first.requestId(), scenario.number(), detail());
        }
        script.progress();
    }

    protected final String detail()
    {
        return "conformance scenario " + scenario.number() + " " + scenario.label();
    }

    /** A resend's flag and attempt, against what the scenario requires; null when they are right. */
    protected final String flagProblem(final SubmitCopy before, final SubmitCopy resend, final boolean flagRequired)
    {
        if (flagRequired && !resend.possibleDuplicate())
        {
            return "resent without possibleDuplicate TRUE, though the earlier send may have been accepted (§5)";
        }
        if (flagRequired && resend.attempt() <= before.attempt())
        {
            return "resent with attempt " + resend.attempt() + ", not above the earlier send's " + before.attempt() + " (§5)";
        }
        return null;
    }

    protected final String sendFacts(final SubmitCopy resend)
    {
        return "on node " + resend.nodeId() + ", same id and content, possibleDuplicate " +
            (resend.possibleDuplicate() ? "TRUE" : "FALSE") + ", attempt " + resend.attempt();
    }

    protected final long msSince(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    /** After {@code delayMs}: without a verdict, fail with {@code reason}; without a final answer, give it where the request last came. */
    protected final void expectWithin(final long delayMs, final String reason)
    {
        script.schedule(delayMs, () ->
        {
            if (verdict == null)
            {
                fail(reason);
            }
            if (!finalAnswerGiven)
            {
                // The delayed answer, so that the workload can go on to the next scenario.
                deliverFinal(last.session(), false);
            }
        });
    }

    protected final void pass(final String reason)
    {
        decide(true, reason);
    }

    protected final void fail(final String reason)
    {
        decide(false, reason);
    }

    /** A failure after a pass (e.g. a resend of a finished request): the later evidence wins. */
    protected final void overturn(final String reason)
    {
        verdict = new Verdict(scenario.number(), scenario.label(), first.requestId().toString(), false, reason);
        script.progress();
    }

    private void decide(final boolean passed, final String reason)
    {
        if (verdict == null)
        {
            verdict = new Verdict(scenario.number(), scenario.label(), first.requestId().toString(), passed, reason);
            script.progress();
        }
    }

    Verdict verdict()
    {
        return verdict;
    }

    /** The relay has given its final answer (so the next new id may start the next scenario). */
    boolean finalAnswerGiven()
    {
        return finalAnswerGiven;
    }

    UUID requestId()
    {
        return first.requestId();
    }

    SubmitCopy first()
    {
        return first;
    }
}
