package io.chukei.gateway.conformance;

/**
 * One line of the report: a scenario (or the run-wide heartbeat check, number 0) and whether the connector behaved as
 * the spec requires, with the reason in words.
 *
 * @param requestId the workload request the scenario ran on, or null
 */
public record Verdict(int number, String name, String requestId, boolean passed, String reason)
{
    public String line()
    {
        return String.format("%s %d %-20s %s%s", passed ? "PASS" : "FAIL", number, name,
            requestId == null ? "" : requestId + ": ", reason);
    }
}
