package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/** {@code summary.json}: the run's figures for machines (CI checks, comparison scripts). Latencies in microseconds. */
final class SummaryJson
{
    /** Percentiles reported, with the JSON names they get. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "p99.99"};

    private SummaryJson()
    {
    }

    static String render(final RunReport report)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        json.name("tool").value("chukei loadgen");
        json.name("startedAt").value(report.startedAt().toString());
        json.name("durationSeconds").value(report.durationSeconds());
        json.name("warmupSeconds").value(report.warmupSeconds());
        json.name("offeredRatePerSecond").value(report.offeredRatePerSecond());
        json.name("achievedRatePerSecond").value(report.achievedRatePerSecond());
        json.name("scheduled").value(report.scheduled());
        outcomes(json.name("outcomes"), report.outcomes());
        latency(json.name("latencyMicros"), report.accepted(), report.answer());
        json.name("phases").beginArray();
        for (final PhaseReport phase : report.phases())
        {
            json.beginObject();
            json.name("name").value(phase.name());
            json.name("targetRatePerSecond").value(phase.targetRatePerSecond());
            json.name("durationSeconds").value(phase.durationSeconds());
            json.name("offeredRatePerSecond").value(phase.offeredRatePerSecond());
            json.name("achievedRatePerSecond").value(phase.achievedRatePerSecond());
            json.name("scheduled").value(phase.scheduled());
            outcomes(json.name("outcomes"), phase.outcomes());
            latency(json.name("latencyMicros"), phase.accepted(), phase.answer());
            cpu(json, phase.cpu(), phase.outcomes().results());
            json.endObject();
        }
        json.endArray();
        strings(json.name("settings"), report.settings());
        strings(json.name("machine"), report.machine());
        return json.endObject().toJson();
    }

    private static void outcomes(final JsonWriter json, final OutcomeCounts counts)
    {
        json.beginObject();
        json.name("sent").value(counts.sent());
        json.name("resultsOk").value(counts.resultsOk());
        json.name("resultsRefused").value(counts.resultsRefused());
        json.name("rejected").value(counts.rejected());
        json.name("unanswered").value(counts.unanswered());
        json.name("failed").value(counts.failed());
        json.name("errors").value(counts.errors());
        json.name("errorRate").value(counts.errorRate());
        json.name("rejectedByCode").beginObject();
        new TreeMap<>(counts.rejectedByCode()).forEach((code, count) -> json.name(code).value(count));
        json.endObject();
        json.endObject();
    }

    /** Present only where the target's CPU was watched ({@code --target-pid}). */
    private static void cpu(final JsonWriter json, final PhaseCpu cpu, final long results)
    {
        if (!cpu.hasTarget())
        {
            return;
        }
        json.name("cpu").beginObject();
        json.name("wallSeconds").value(cpu.wallSeconds());
        json.name("targetSeconds").value(cpu.targetSeconds());
        json.name("targetCores").value(cpu.targetCores());
        json.name("loadgenSeconds").value(cpu.loadgenSeconds());
        if (results > 0)
        {
            json.name("targetMicrosPerResult").value(cpu.targetMicrosPer(results));
            json.name("loadgenMicrosPerResult").value(cpu.loadgenMicrosPer(results));
        }
        json.endObject();
    }

    private static void latency(final JsonWriter json, final Histogram accepted, final Histogram answer)
    {
        json.beginObject();
        percentiles(json.name("accepted"), accepted);
        percentiles(json.name("answer"), answer);
        json.endObject();
    }

    private static void percentiles(final JsonWriter json, final Histogram histogram)
    {
        json.beginObject();
        json.name("count").value(histogram.getTotalCount());
        if (histogram.getTotalCount() > 0)
        {
            json.name("min").value(histogram.getMinValue());
            json.name("mean").value(histogram.getMean());
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                json.name(PERCENTILE_NAMES[i]).value(histogram.getValueAtPercentile(PERCENTILES[i]));
            }
            json.name("max").value(histogram.getMaxValue());
        }
        json.endObject();
    }

    private static void strings(final JsonWriter json, final Map<String, String> values)
    {
        json.beginObject();
        values.forEach((key, value) -> json.name(key).value(value));
        json.endObject();
    }
}
