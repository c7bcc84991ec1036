package io.chukei.gateway.conformance;

/**
 * The scripted scenarios, in the order the conformance relay runs them: the n-th new request id of the
 * workload gets the n-th scenario. {@link #checks} is what the report and protocol/README.md say is judged.
 */
public enum Scenario
{
    ATTEMPT_TIMEOUT("attempt-timeout",
        "no answer at all: the connector resends after its per-attempt timeout, same id and content, possibleDuplicate TRUE"),
    REDIRECT("redirect",
        "Redirect naming the other node: the connector resends the request, same id and content, to the named node"),
    GO_AWAY("go-away",
        "Accepted, then GoAway naming the other node: the connector resends there, same id and content, possibleDuplicate TRUE"),
    HEARTBEATS_STOP("heartbeats-stop",
        "Accepted, then silence: the connector gives the node up within 4 heartbeat intervals and resends, possibleDuplicate TRUE"),
    DUPLICATE_ANSWER("duplicate-answer",
        "Accepted, Result, the same Result again: the connector takes one final answer and neither resends nor queries it"),
    OVERLOADED("overloaded",
        "Rejected OVERLOADED with retryAfterMs: the connector resends the same id, not before retryAfterMs"),
    RATE_LIMITED("rate-limited",
        "Rejected RATE_LIMITED with retryAfterMs: the connector backs off, resending the same id not before retryAfterMs"),
    OUTCOME_UNKNOWN("outcome-unknown",
        "Accepted, Rejected OUTCOME_UNKNOWN: not final; the connector queries or resends the same id (possibleDuplicate TRUE), never a new id");

    private final String label;
    private final String checks;

    Scenario(final String label, final String checks)
    {
        this.label = label;
        this.checks = checks;
    }

    /** 1-based: the position of the request in the workload, and the Result's upstreamCode. */
    public int number()
    {
        return ordinal() + 1;
    }

    public String label()
    {
        return label;
    }

    public String checks()
    {
        return checks;
    }
}
