package io.chukei.gateway.metrics;

import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.latency.StageLogConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-stage histograms reach /metrics under the names the rules and the dashboard query. */
class StageHistogramCollectorTest
{
    @Test
    void aScrapeExportsEveryStageAsAPrometheusHistogramWithTheNodeLabel()
    {
        final RelayMetrics metrics = new RelayMetrics(3);
        metrics.stages().record(Stage.END_TO_END, 700_000);
        metrics.stages().record(Stage.END_TO_END, 3_000_000);

        final String scrape = metrics.scrape();

        assertThat(scrape).contains("# TYPE chukei_request_stage_seconds histogram\n")
            .contains("chukei_request_stage_seconds_bucket{node=\"3\",stage=\"end_to_end\",le=\"5.0E-4\"} 0\n")
            .contains("chukei_request_stage_seconds_bucket{node=\"3\",stage=\"end_to_end\",le=\"0.001\"} 1\n")
            .contains("chukei_request_stage_seconds_bucket{node=\"3\",stage=\"end_to_end\",le=\"+Inf\"} 2\n")
            .contains("chukei_request_stage_seconds_count{node=\"3\",stage=\"end_to_end\"} 2\n")
            .contains("chukei_request_stage_seconds_count{node=\"3\",stage=\"validate\"} 0\n");
        metrics.close();
    }

    @Test
    void switchedOffNoStageSeriesIsExported()
    {
        final RelayMetrics metrics = new RelayMetrics(3, 20, new StageLogConfig(false, 5000, 60, 24, 256, 15));
        metrics.stages().record(Stage.END_TO_END, 700_000);

        assertThat(metrics.scrape()).doesNotContain("chukei_request_stage_seconds");
        metrics.close();
    }
}
