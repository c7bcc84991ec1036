package io.chukei.bench.admission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeMetricsTest
{
    @Test
    void connectionSeriesAreKeptByTheirOwnTagsWithoutTheNodes()
    {
        final String text = String.join("\n",
            "# HELP chukei_connections_refused_total Connections closed at accept",
            "chukei_connections_refused_total{node=\"1\",reason=\"address_bound\"} 968.0",
            "chukei_connections_refused_total{node=\"1\",reason=\"total_bound\"} 0.0",
            "chukei_connections_prehello{node=\"1\"} 3.0",
            "chukei_requests_accepted_total{node=\"1\"} 5.0");

        assertThat(NodeMetrics.parse(text)).containsOnlyKeys("chukei_connections_refused_total{reason=\"address_bound\"}",
            "chukei_connections_refused_total{reason=\"total_bound\"}", "chukei_connections_prehello")
            .containsEntry("chukei_connections_refused_total{reason=\"address_bound\"}", 968.0);
    }
}
