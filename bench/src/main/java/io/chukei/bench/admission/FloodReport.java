package io.chukei.bench.admission;

import io.chukei.bench.loadgen.JsonWriter;
import io.chukei.bench.loadgen.OutcomeCounts;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The flood benchmark's verdict: the normal connectors' outcomes and latency per phase, the
 * flood's p99 over the quiet one's (goal {@link #P99_GOAL_RATIO}), the quiet-again phase as a
 * check that the machine itself did not change under the run, what the flooder sent and got,
 * and the node's worst event-loop lag per phase.
 */
final class FloodReport
{
    /** Goal (issue 11): normal connectors' p99 during the flood at most 1.5 times the quiet one. */
    static final double P99_GOAL_RATIO = 1.5;
    private static final String LAG_GAUGE = "chukei_health_eventloop_lag_ms";

    /** What the flooder did during the flood phase (its lead-in included). */
    record FlooderCounts(double seconds, long sent, long accepted, long rejected, long rateLimited)
    {
        double perSecond(final long count)
        {
            return seconds <= 0 ? 0 : count / seconds;
        }
    }

    private final List<ScenarioResult> phases;
    private final FlooderCounts flooder;
    private final Map<String, String> settings;
    private final Map<String, String> machine;

    FloodReport(final List<ScenarioResult> phases, final FlooderCounts flooder, final Map<String, String> settings,
        final Map<String, String> machine)
    {
        this.phases = List.copyOf(phases);
        this.flooder = flooder;
        this.settings = Map.copyOf(settings);
        this.machine = Map.copyOf(machine);
    }

    Optional<ScenarioResult> phase(final String name)
    {
        return phases.stream().filter(result -> result.scenario().name().equals(name)).findFirst();
    }

    FlooderCounts flooder()
    {
        return flooder;
    }

    /** Normal p99 in {@code phase} over the quiet phase's; NaN when either recorded nothing. */
    double p99OverQuiet(final String phase)
    {
        final LatencySummary quiet = phase(FloodBenchmark.QUIET).orElseThrow().group(TrafficGroup.NORMAL).latency();
        final LatencySummary other = phase(phase).orElseThrow().group(TrafficGroup.NORMAL).latency();
        return other.count() == 0 ? Double.NaN : NoisyNeighbourReport.ratio(other.p99Micros(), quiet.p99Micros());
    }

    long errors()
    {
        return phases.stream().mapToLong(ScenarioResult::errors).sum();
    }

    long sent()
    {
        return phases.stream().mapToLong(ScenarioResult::sent).sum();
    }

    double errorRate()
    {
        return sent() == 0 ? 0 : (double)errors() / sent();
    }

    String table()
    {
        final StringBuilder out = new StringBuilder(1024);
        out.append(String.format(Locale.ROOT, "%-14s %8s %8s %7s %9s %9s %9s %9s %12s %10s  %s%n", "phase", "sent", "results", "errors",
            "p50 ms", "p99 ms", "p99.9 ms", "max ms", "loop lag ms", "load avg", "rejected by code"));
        for (final ScenarioResult phase : phases)
        {
            final GroupResult normal = phase.group(TrafficGroup.NORMAL);
            final OutcomeCounts outcomes = normal.outcomes();
            final LatencySummary latency = normal.latency();
            out.append(String.format(Locale.ROOT, "%-14s %8d %8d %7d %9s %9s %9s %9s %12s %10s  %s%n",
                phase.scenario().name() + " " + phase.scenario().description(), outcomes.sent(), outcomes.results(), normal.errors(),
                millis(latency.p50Micros()), millis(latency.p99Micros()), millis(latency.p999Micros()), millis(latency.maxMicros()),
                lag(phase), phase.loadAverageAtStart() + "-" + phase.loadAverageAtEnd(),
                outcomes.rejectedByCode().isEmpty() ? "-" : outcomes.rejectedByCode()));
        }
        out.append(String.format(Locale.ROOT, "flooder: %.0f Submits/s sent, %.0f/s refused (RATE_LIMITED %.0f/s), %.0f/s accepted%n",
            flooder.perSecond(flooder.sent()), flooder.perSecond(flooder.rejected()), flooder.perSecond(flooder.rateLimited()),
            flooder.perSecond(flooder.accepted())));
        final double ratio = p99OverQuiet(FloodBenchmark.FLOOD);
        out.append(String.format(Locale.ROOT, "normal p99, flood/quiet: %.2f (goal: <= %.2f: %s); quiet again/quiet: %.2f%n", ratio,
            P99_GOAL_RATIO, ratio <= P99_GOAL_RATIO ? "met" : "MISSED", p99OverQuiet(FloodBenchmark.QUIET_AGAIN)));
        out.append(String.format(Locale.ROOT, "errors: %d of %d sent (%.3f%%)%n", errors(), sent(), errorRate() * 100));
        return out.toString();
    }

    String json()
    {
        final JsonWriter json = new JsonWriter().beginObject();
        json.name("phases").beginArray();
        for (final ScenarioResult phase : phases)
        {
            final GroupResult normal = phase.group(TrafficGroup.NORMAL);
            final LatencySummary latency = normal.latency();
            json.beginObject().name("name").value(phase.scenario().name()).name("description").value(phase.scenario().description())
                .name("measuredSeconds").value(phase.measuredSeconds())
                .name("sent").value(normal.outcomes().sent()).name("results").value(normal.outcomes().results())
                .name("errors").value(normal.errors())
                .name("p50Micros").value(latency.p50Micros()).name("p99Micros").value(latency.p99Micros())
                .name("p999Micros").value(latency.p999Micros()).name("maxMicros").value(latency.maxMicros())
                .name("eventLoopLagMaxMs").value(lagMax(phase))
                .name("loadAverageAtStart").value(phase.loadAverageAtStart()).name("loadAverageAtEnd").value(phase.loadAverageAtEnd())
                .endObject();
        }
        json.endArray();
        json.name("flooder").beginObject().name("seconds").value(flooder.seconds()).name("sent").value(flooder.sent())
            .name("accepted").value(flooder.accepted()).name("rejected").value(flooder.rejected())
            .name("rateLimited").value(flooder.rateLimited()).endObject();
        json.name("p99FloodOverQuiet").value(p99OverQuiet(FloodBenchmark.FLOOD))
            .name("p99QuietAgainOverQuiet").value(p99OverQuiet(FloodBenchmark.QUIET_AGAIN))
            .name("p99Goal").value(P99_GOAL_RATIO)
            .name("errors").value(errors()).name("sent").value(sent());
        json.name("settings").beginObject();
        settings.forEach((key, value) -> json.name(key).value(value));
        json.endObject().name("machine").beginObject();
        machine.forEach((key, value) -> json.name(key).value(value));
        return json.endObject().endObject().toJson();
    }

    private static String lag(final ScenarioResult phase)
    {
        final double max = lagMax(phase);
        return Double.isNaN(max) ? "-" : String.format(Locale.ROOT, "%.0f", max);
    }

    private static double lagMax(final ScenarioResult phase)
    {
        final AdmissionGauges.Sample sample = phase.nodeGauges().get(LAG_GAUGE);
        return sample == null ? Double.NaN : sample.max();
    }

    private static String millis(final long micros)
    {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }
}
