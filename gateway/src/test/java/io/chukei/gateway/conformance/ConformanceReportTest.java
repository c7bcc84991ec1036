package io.chukei.gateway.conformance;

import io.chukei.gateway.cluster.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConformanceReportTest
{
    private static final List<ListenerNode> NODES = List.of(new ListenerNode(1, "127.0.0.1:7401"),
        new ListenerNode(2, "127.0.0.1:7402"));
    private static final Verdict HEARTBEATS_OK = new Verdict(0, "connector-heartbeats", null, true, "no gap");

    @Test
    void passesOnlyWhenEveryScenarioAndTheHeartbeatCheckPass()
    {
        assertThat(report(allPassing(), HEARTBEATS_OK).passed()).isTrue();
        assertThat(report(allPassing(), new Verdict(0, "connector-heartbeats", null, false, "gap")).passed()).isFalse();

        final List<Verdict> oneFailing = allPassing();
        oneFailing.set(2, new Verdict(3, "go-away", "id-3", false, "resent to node 1"));
        assertThat(report(oneFailing, HEARTBEATS_OK).passed()).isFalse();
    }

    @Test
    void textHasALinePerCheckAndTheOutcome()
    {
        final List<Verdict> verdicts = allPassing();
        verdicts.set(0, new Verdict(1, "attempt-timeout", "id-1", false, "resent without possibleDuplicate TRUE"));

        assertThat(report(verdicts, HEARTBEATS_OK).text())
            .contains("FAIL 1 attempt-timeout      id-1: resent without possibleDuplicate TRUE\n")
            .contains("PASS 0 connector-heartbeats no gap\n")
            .contains("NOTE a note\n")
            .endsWith("CONFORMANCE FAILED: 8 of 9 checks passed, 1234 ms from the first request\n");
    }

    @Test
    void jsonCarriesTheResultEveryCheckAndTheNodes()
    {
        final var json = Json.tree(report(allPassing(), HEARTBEATS_OK).json());

        assertThat(json.get("result").asText()).isEqualTo("PASS");
        assertThat(json.get("heartbeatIntervalMs").asLong()).isEqualTo(400);
        assertThat(json.get("checks")).hasSize(Scenario.values().length + 1);
        assertThat(json.get("checks").get(7).get("name").asText()).isEqualTo("outcome-unknown");
        assertThat(json.get("checks").get(7).get("passed").asBoolean()).isTrue();
        assertThat(json.get("nodes").get(1).get("address").asText()).isEqualTo("127.0.0.1:7402");
        assertThat(json.get("notes").get(0).asText()).isEqualTo("a note");
    }

    private static List<Verdict> allPassing()
    {
        final List<Verdict> verdicts = new ArrayList<>();
        for (final Scenario scenario : Scenario.values())
        {
            verdicts.add(new Verdict(scenario.number(), scenario.label(), "id-" + scenario.number(), true, "fine"));
        }
        return verdicts;
    }

    private static ConformanceReport report(final List<Verdict> verdicts, final Verdict heartbeats)
    {
        return new ConformanceReport(ConformanceSettings.defaults(), NODES, verdicts, heartbeats, List.of("a note"), 1234);
    }
}
