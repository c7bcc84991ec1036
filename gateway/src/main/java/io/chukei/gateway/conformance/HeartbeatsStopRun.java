package io.chukei.gateway.conformance;

/**
 * Accepted, then the node goes silent on that connection (no heartbeats, no answers: a hung process still holds TCP):
 * the connector must take it for dead within the heartbeat bound and resend the accepted request, flagged.
 */
final class HeartbeatsStopRun extends ScenarioRun
{
    private long silentSinceNs;
    private long stalledAtSilenceNs;
    private long detectedMs = -1;

    HeartbeatsStopRun(final ConformanceScript script, final SubmitCopy first)
    {
        super(script, Scenario.HEARTBEATS_STOP, first);
    }

    @Override
    void start()
    {
        first.session().frames().accepted(first.requestId(), false);
        first.session().silence();
        silentSinceNs = System.nanoTime();
        stalledAtSilenceNs = script.stalls().stalledNs();
        expectWithin(script.settings().resendWaitMs(), "no resend within " + script.settings().resendWaitMs() +
            " ms of the node falling silent: a connector that receives nothing for " + ConformanceSettings.MISSED_HEARTBEATS +
            " heartbeat intervals takes the node for dead, reconnects and resends (§3)");
    }

    @Override
    void sessionClosed(final ConformanceSession session)
    {
        if (session == first.session() && detectedMs < 0)
        {
            detectedMs = script.stalls().netMsSince(silentSinceNs, stalledAtSilenceNs);
        }
    }

    @Override
    void resent(final SubmitCopy before, final SubmitCopy resend)
    {
        if (resend.session() == first.session())
        {
            return;   // a hung node reads nothing: not an answer the connector can expect
        }
        if (detectedMs < 0)
        {
            detectedMs = script.stalls().netMsSince(silentSinceNs, stalledAtSilenceNs);
        }
        final long boundMs = script.settings().deadPeerBoundMs();
        final String problem = flagProblem(before, resend, true);
        if (detectedMs > boundMs)
        {
            fail("gave the silent node up after " + detectedMs + " ms, net of the relay's own pauses (bound: " + boundMs + " ms = (" +
                ConformanceSettings.MISSED_HEARTBEATS + " + 1) x heartbeatIntervalMs " + script.settings().heartbeatIntervalMs() +
                " + " + ConformanceSettings.DETECTION_SLACK_MS + " ms, §3)");
        }
        else if (problem != null)
        {
            fail(problem + " (it had been Accepted before the silence)");
        }
        else
        {
            pass("gave the silent node up after " + detectedMs + " ms (bound " + boundMs + " ms), resent " + sendFacts(resend));
        }
        first.session().close();
        deliverFinal(resend.session(), true);
    }
}
