package io.chukei.gateway.conformance;

import io.chukei.protocol.sbe.ErrorCode;

/** Accepted, then GoAway naming the other node and the connection closed: the accepted request must follow, flagged. */
final class GoAwayRun extends ScenarioRun
{
    GoAwayRun(final ConformanceScript script, final SubmitCopy first)
    {
        super(script, Scenario.GO_AWAY, first);
    }

    @Override
    void start()
    {
        final ConformanceSession session = first.session();
        session.frames().accepted(first.requestId(), false);
        session.goAway(ErrorCode.NODE_UNAVAILABLE, "conformance: node " + first.nodeId() + " is draining; go to node " +
            script.otherThan(first.nodeId()).nodeId());
        expectWithin(script.settings().resendWaitMs(), "no resend within " + script.settings().resendWaitMs() +
            " ms of the GoAway: every unresolved request must be resent on the next node (§5)");
    }

    @Override
    void resent(final SubmitCopy before, final SubmitCopy resend)
    {
        final String problem = flagProblem(before, resend, true);
        if (problem != null)
        {
            fail(problem + " (it had been Accepted before the GoAway)");
        }
        else if (resend.nodeId() == first.nodeId())
        {
            fail("resent to node " + first.nodeId() + ", which sent GoAway and is DRAINING in its view, not to node " +
                script.otherThan(first.nodeId()).nodeId() + " that the GoAway named ACTIVE");
        }
        else
        {
            pass("resent " + msSince(first.receivedNs()) + " ms after the GoAway " + sendFacts(resend));
        }
        deliverFinal(resend.session(), true);
    }
}
