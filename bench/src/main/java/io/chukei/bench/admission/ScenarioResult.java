package io.chukei.bench.admission;

import java.util.Map;
import java.util.Objects;

/**
 * One scenario's measured part: per traffic group results, the node's admission gauges while it
 * ran (empty when they could not be read), and the machine's load around it.
 */
record ScenarioResult(Scenario scenario, double measuredSeconds, Map<TrafficGroup, GroupResult> groups,
    Map<String, AdmissionGauges.Sample> nodeGauges, String loadAverageAtStart, String loadAverageAtEnd)
{
    ScenarioResult
    {
        Objects.requireNonNull(scenario, "scenario");
        groups = Map.copyOf(groups);
        nodeGauges = Map.copyOf(nodeGauges);
    }

    /** The group's result, or null when the scenario has no such traffic. */
    GroupResult group(final TrafficGroup group)
    {
        return groups.get(group);
    }

    long errors()
    {
        return groups.values().stream().mapToLong(GroupResult::errors).sum();
    }

    long sent()
    {
        return groups.values().stream().mapToLong(result -> result.outcomes().sent()).sum();
    }
}
