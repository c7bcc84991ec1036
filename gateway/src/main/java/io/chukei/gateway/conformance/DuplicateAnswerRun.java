package io.chukei.gateway.conformance;

/**
 * Accepted, Result, and the same Result again (a late answer from an old connection looks like this): the connector
 * must take one final answer and drop the second — on the wire, it neither resends nor queries the finished request.
 * Whether it reported the request once to its caller the relay cannot see; the report says what to check.
 */
final class DuplicateAnswerRun extends ScenarioRun
{
    DuplicateAnswerRun(final ConformanceScript script, final SubmitCopy first)
    {
        super(script, Scenario.DUPLICATE_ANSWER, first);
    }

    @Override
    void start()
    {
        final ConformanceSession session = first.session();
        session.frames().accepted(first.requestId(), false);
        deliverResult(session);
        session.frames().result(first.requestId(), scenario.number(), detail());
        pass("the Result came twice and the connector neither resent nor queried the request (check that your " +
            "connector reported exactly one final answer for it: Result OK, upstreamCode " + scenario.number() + ")");
    }

    @Override
    void resent(final SubmitCopy before, final SubmitCopy resend)
    {
        // Unreachable: the final answer is given at start.
    }

    @Override
    void resentAfterFinal(final SubmitCopy resend)
    {
        overturn("resent the request after its Result (attempt " + resend.attempt() +
            "): a second answer for a resolved id must be dropped, not acted on (§5)");
        super.resentAfterFinal(resend);
    }

    @Override
    void queriedAfterFinal(final ConformanceSession session)
    {
        overturn("queried the request after its Result: a second answer for a resolved id must be dropped (§5)");
        super.queriedAfterFinal(session);
    }
}
