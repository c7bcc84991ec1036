package io.chukei.gateway.conformance;

/** No word at all on the first send: the connector's per-attempt timeout must fire and the request be resent as a possible duplicate. */
final class AttemptTimeoutRun extends ScenarioRun
{
    AttemptTimeoutRun(final ConformanceScript script, final SubmitCopy first)
    {
        super(script, Scenario.ATTEMPT_TIMEOUT, first);
    }

    @Override
    void start()
    {
        // The delayed answer goes out only if the connector never resends: on the connection it was sent on.
        expectWithin(script.settings().resendWaitMs(), "no resend within " + script.settings().resendWaitMs() +
            " ms of a send that got no word: a connector must bound the wait for Accepted/Rejected/Result " +
            "(per-attempt timeout, §5; the Java SDK's is 1 s) and then resend");
    }

    @Override
    void resent(final SubmitCopy before, final SubmitCopy resend)
    {
        final String problem = flagProblem(before, resend, true);
        if (problem != null)
        {
            fail(problem);
        }
        else
        {
            pass("resent " + msSince(first.receivedNs()) + " ms after the first send, " + sendFacts(resend));
        }
        deliverFinal(resend.session(), true);
    }
}
