package io.chukei.bench.admission;

import java.util.Map;
import java.util.Objects;

/** One scenario's measured part: per traffic group results, and the machine's load around it. */
record ScenarioResult(Scenario scenario, double measuredSeconds, Map<TrafficGroup, GroupResult> groups, String loadAverageAtStart,
    String loadAverageAtEnd)
{
    ScenarioResult
    {
        Objects.requireNonNull(scenario, "scenario");
        groups = Map.copyOf(groups);
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
