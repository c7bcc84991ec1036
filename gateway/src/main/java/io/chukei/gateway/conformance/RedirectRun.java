package io.chukei.gateway.conformance;

/** Redirect on the first send, naming the other node: the connector must take the request (and its session) there. */
final class RedirectRun extends ScenarioRun
{
    RedirectRun(final ConformanceScript script, final SubmitCopy first)
    {
        super(script, Scenario.REDIRECT, first);
    }

    @Override
    void start()
    {
        first.session().frames().redirect(first.requestId(), script.nodes());
        expectWithin(script.settings().resendWaitMs(), "no resend within " + script.settings().resendWaitMs() +
            " ms of the Redirect to node " + script.otherThan(first.nodeId()).nodeId() + " (§3: the node takes no new work; " +
            "resend to a node of the Redirect's list)");
    }

    @Override
    void resent(final SubmitCopy before, final SubmitCopy resend)
    {
        if (resend.nodeId() == first.nodeId())
        {
            fail("resent to node " + first.nodeId() + ", which redirected it, not to node " +
                script.otherThan(first.nodeId()).nodeId() + " that the Redirect named");
        }
        else
        {
            // A Redirect refuses before acceptance: the flag may be FALSE or TRUE (§5).
            pass("resent " + msSince(first.receivedNs()) + " ms after the Redirect " + sendFacts(resend));
        }
        deliverFinal(resend.session(), false);
    }
}
