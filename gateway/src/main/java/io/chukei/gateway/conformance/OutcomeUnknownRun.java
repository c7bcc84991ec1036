package io.chukei.gateway.conformance;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;

/**
 * Accepted, then Rejected OUTCOME_UNKNOWN (to a connector of schema version 0 or 1, DEADLINE_EXCEEDED saying the
 * outcome is unknown, §5). The request is not finished: if the connector neither queries nor resends it while the
 * session lasts, the relay ends the session, and a connector that kept the request must then query or resend it.
 * One that took the answer as final does neither.
 */
final class OutcomeUnknownRun extends ScenarioRun
{
    private long answeredNs;

    OutcomeUnknownRun(final ConformanceScript script, final SubmitCopy first)
    {
        super(script, Scenario.OUTCOME_UNKNOWN, first);
    }

    @Override
    void start()
    {
        final ConformanceSession session = first.session();
        final boolean knowsOutcomeUnknown = session.helloVersion() >= 2;
        session.frames().accepted(first.requestId(), false);
        session.frames().rejected(first.requestId(), knowsOutcomeUnknown ? ErrorCode.OUTCOME_UNKNOWN : ErrorCode.DEADLINE_EXCEEDED,
            FieldId.DEADLINE, -1, "conformance: the deadline passed after a forward; the outcome is unknown (rule: " +
                (knowsOutcomeUnknown ? "OUTCOME_UNKNOWN" : "DEADLINE_EXCEEDED") + ")");
        answeredNs = System.nanoTime();
        script.schedule(script.settings().outcomeUnknownQuietMs(), () ->
        {
            if (verdict() == null && session.writable())
            {
                session.goAway(ErrorCode.SHUTTING_DOWN, "conformance: node " + session.node().nodeId() + " shutting down");
            }
        });
        expectWithin(script.settings().outcomeUnknownQuietMs() + script.settings().resendWaitMs(),
            "neither a StatusQuery nor a resend within " + script.settings().resendWaitMs() + " ms of the session's end " +
                "after OUTCOME_UNKNOWN: the connector took it as final. It is not: query the id or resend it (same id, " +
                "possibleDuplicate TRUE), never a new id (§5)");
    }

    @Override
    void queried(final ConformanceSession session)
    {
        pass("asked with a StatusQuery on node " + session.node().nodeId() + " " + msSince(answeredNs) +
            " ms after OUTCOME_UNKNOWN");
        deliverResult(session);   // a finished request's StatusQuery gets its stored final answer (§4, StatusReply)
    }

    @Override
    void resent(final SubmitCopy before, final SubmitCopy resend)
    {
        final String problem = flagProblem(before, resend, true);
        if (problem != null)
        {
            fail(problem + " (after OUTCOME_UNKNOWN the request may have been applied)");
        }
        else
        {
            pass("resent " + msSince(answeredNs) + " ms after OUTCOME_UNKNOWN " + sendFacts(resend));
        }
        deliverFinal(resend.session(), true);
    }
}
