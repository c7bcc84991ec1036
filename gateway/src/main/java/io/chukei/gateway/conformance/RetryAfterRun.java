package io.chukei.gateway.conformance;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;

/** Rejected OVERLOADED or RATE_LIMITED with retryAfterMs: the same request again, not before retryAfterMs. */
final class RetryAfterRun extends ScenarioRun
{
    private final ErrorCode code;
    private final long retryAfterMs;
    private long rejectedNs;

    RetryAfterRun(final ConformanceScript script, final Scenario scenario, final SubmitCopy first, final ErrorCode code,
        final long retryAfterMs)
    {
        super(script, scenario, first);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    @Override
    void start()
    {
        rejectedNs = System.nanoTime();
        first.session().frames().rejected(first.requestId(), code, FieldId.NONE, retryAfterMs,
            "conformance: " + code.name().toLowerCase(java.util.Locale.ROOT) + ", retry after " + retryAfterMs + " ms (rule: " +
                code.name() + ")");
        expectWithin(retryAfterMs + script.settings().resendWaitMs(), "no resend within " +
            script.settings().resendWaitMs() + " ms after retryAfterMs " + retryAfterMs + ": " + code.name() +
            " is LATER (§6), resend the same request (same id)");
    }

    @Override
    void resent(final SubmitCopy before, final SubmitCopy resend)
    {
        final long waitedMs = msSince(rejectedNs);
        if (waitedMs < retryAfterMs)
        {
            fail("resent " + waitedMs + " ms after " + code.name() + ", before its retryAfterMs " + retryAfterMs + " (§3, §6)");
        }
        else
        {
            // Refused before acceptance: FALSE is right, TRUE harmless (§5); attempt + 1 is asked, not relied on.
            pass("resent " + waitedMs + " ms after " + code.name() + " (retryAfterMs " + retryAfterMs + ") " + sendFacts(resend) +
                (resend.attempt() <= before.attempt() ? " (note: attempt not increased; §5 asks attempt + 1)" : ""));
        }
        deliverFinal(resend.session(), false);
    }
}
