package io.chukei.gateway.conformance;

import io.chukei.gateway.cluster.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a conformance run: one verdict per scenario, the run-wide heartbeat check, and notes on how the
 * workload was sent. {@link #text()} is what {@code chukei conformance} prints, {@link #json()} what it writes for
 * {@code --report}.
 */
public record ConformanceReport(
    ConformanceSettings settings,
    List<ListenerNode> nodes,
    List<Verdict> scenarios,
    Verdict heartbeats,
    List<String> notes,
    long elapsedMs)
{
    public boolean passed()
    {
        return heartbeats.passed() && scenarios.stream().allMatch(Verdict::passed);
    }

    public Verdict scenario(final Scenario scenario)
    {
        return scenarios.get(scenario.ordinal());
    }

    public String text()
    {
        final StringBuilder text = new StringBuilder();
        for (final Verdict verdict : scenarios)
        {
            text.append(verdict.line()).append('\n');
        }
        text.append(heartbeats.line()).append('\n');
        for (final String note : notes)
        {
            text.append("NOTE ").append(note).append('\n');
        }
        final long failed = scenarios.stream().filter(v -> !v.passed()).count() + (heartbeats.passed() ? 0 : 1);
        text.append(passed() ? "CONFORMANCE PASSED" : "CONFORMANCE FAILED").append(": ").append(scenarios.size() + 1 - failed)
            .append(" of ").append(scenarios.size() + 1).append(" checks passed, ").append(elapsedMs).append(" ms from the first request\n");
        return text.toString();
    }

    public String json()
    {
        final List<Verdict> checks = new ArrayList<>(scenarios);
        checks.add(heartbeats);
        return Json.write(new JsonForm(passed() ? "PASS" : "FAIL", settings.heartbeatIntervalMs(), nodes, checks, notes,
            elapsedMs));
    }

    private record JsonForm(String result, long heartbeatIntervalMs, List<ListenerNode> nodes, List<Verdict> checks,
        List<String> notes, long elapsedMs)
    {
    }
}
