package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary and the plot from histograms recorded here: no sockets. */
class ReportFilesTest
{
    @TempDir
    Path out;

    @Test
    void theSummaryGivesRatesOutcomesAndPercentilesInMicroseconds() throws IOException
    {
        ReportFiles.write(out, report());

        final String json = Files.readString(out.resolve(ReportFiles.SUMMARY), StandardCharsets.UTF_8);
        assertThat(json)
            .contains("\"offeredRatePerSecond\": 1000")
            .contains("\"achievedRatePerSecond\": 995")
            .contains("\"resultsOk\": 9940")
            .contains("\"RATE_LIMITED\": 40")
            .contains("\"DEADLINE_EXCEEDED (local)\": 10")
            .contains("\"errors\": 50")
            .contains("\"errorRate\": 0.005")
            .contains("\"p50\": 1000")
            .contains("\"p99\": 1000")
            .contains("\"p99.99\": 50015")
            .contains("\"max\": 50015")
            .contains("\"availableProcessors\": \"2\"");
    }

    @Test
    void theSummaryGivesTheTargetsCpuPerResultWhereItWasWatched() throws IOException
    {
        ReportFiles.write(out, report());

        final String json = Files.readString(out.resolve(ReportFiles.SUMMARY), StandardCharsets.UTF_8);
        // 6 CPU seconds over 10 s for 9,950 results (9,940 ok + 10 refused).
        assertThat(json)
            .contains("\"targetCores\": 0.6")
            .contains("\"targetMicrosPerResult\": 603.015")
            .contains("\"loadgenMicrosPerResult\": 402.01");
    }

    @Test
    void aPhaseWithoutCpuReadingsHasNoCpuEntry() throws IOException
    {
        ReportFiles.write(out, new RunReport(Instant.parse("2026-05-01T10:00:00Z"), 5, Map.of(), Map.of(),
            List.of(phase("step 1", 1000, 1000))));

        assertThat(Files.readString(out.resolve(ReportFiles.SUMMARY), StandardCharsets.UTF_8)).doesNotContain("\"cpu\"");
    }

    @Test
    void theSummaryIsBalancedJson() throws IOException
    {
        ReportFiles.write(out, report());

        final String json = Files.readString(out.resolve(ReportFiles.SUMMARY), StandardCharsets.UTF_8).trim();
        assertThat(json).startsWith("{").endsWith("}");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
        assertThat(json).doesNotContain(",\n}").doesNotContain(",\n  }");
    }

    @Test
    void thePlotIsOneSelfContainedPageWithACurvePerSeries() throws IOException
    {
        ReportFiles.write(out, report());

        final String html = Files.readString(out.resolve(ReportFiles.PLOT), StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("</svg>")
            .contains("99.99%").contains("answer (Result)").contains("Accepted")
            .doesNotContain("<script").doesNotContain("src=").doesNotContain("https:");
        assertThat(html.split("<polyline", -1)).hasSize(3);
    }

    @Test
    void aSteppedRunGetsACurvePerStep() throws IOException
    {
        final RunReport stepped = new RunReport(Instant.parse("2026-05-01T10:00:00Z"), 5, Map.of(), Map.of(),
            List.of(phase("step 1", 1000, 1000), phase("step 2", 2000, 3000)));

        ReportFiles.write(out, stepped);

        final String html = Files.readString(out.resolve(ReportFiles.PLOT), StandardCharsets.UTF_8);
        assertThat(html).contains("answer, step 1 (1000/s)").contains("answer, step 2 (2000/s)");
        assertThat(html.split("<polyline", -1)).hasSize(5);
    }

    @Test
    void percentileLabelsAreTheNinesOfTheLogAxis()
    {
        assertThat(PercentilePlot.percentileLabel(0)).isEqualTo("0%");
        assertThat(PercentilePlot.percentileLabel(1)).isEqualTo("90%");
        assertThat(PercentilePlot.percentileLabel(2)).isEqualTo("99%");
        assertThat(PercentilePlot.percentileLabel(4)).isEqualTo("99.99%");
    }

    private static RunReport report()
    {
        final Histogram answer = PhaseRecorders.newHistogram();
        answer.recordValueWithCount(1000, 9_900);
        answer.recordValue(50_000);
        final Histogram accepted = PhaseRecorders.newHistogram();
        accepted.recordValueWithCount(300, 9_990);
        final OutcomeCounts outcomes = new OutcomeCounts(10_000, 9_940, 10,
            Map.of("RATE_LIMITED", 40L, "DEADLINE_EXCEEDED (local)", 10L), 0, 0);
        final Map<String, String> machine = new LinkedHashMap<>();
        machine.put("availableProcessors", "2");
        return new RunReport(Instant.parse("2026-05-01T10:00:00Z"), 5, Map.of("schedule", "constant 1000/s for PT10S"), machine,
            List.of(new PhaseReport("constant", 1000, 10, 10_000, outcomes, accepted, answer, new PhaseCpu(10.0, 4.0, 6.0))));
    }

    private static PhaseReport phase(final String name, final long rate, final long micros)
    {
        final Histogram answer = PhaseRecorders.newHistogram();
        answer.recordValueWithCount(micros, 100);
        final Histogram accepted = PhaseRecorders.newHistogram();
        accepted.recordValueWithCount(micros / 2, 100);
        return new PhaseReport(name, rate, 1, rate, new OutcomeCounts(100, 100, 0, Map.of(), 0, 0), accepted, answer,
            PhaseCpu.UNMEASURED);
    }
}
