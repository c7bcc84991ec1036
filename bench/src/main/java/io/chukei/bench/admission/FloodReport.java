package io.chukei.bench.admission;

import io.chukei.bench.loadgen.JsonWriter;
import io.chukei.bench.loadgen.OutcomeCounts;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The flood benchmark's verdict: the normal connectors' outcomes and latency per phase, the
 * median of the flood phases' p99 over the median of the quiet phases' (goal
 * {@link #P99_GOAL_RATIO}), what the flooder sent and got, how the connectors got in, and the
 * node's worst event-loop lag per phase.
 */
final class FloodReport
{
    /** Goal (issue 11): normal connectors' p99 during the flood at most 1.5 times the quiet one. */
    static final double P99_GOAL_RATIO = 1.5;
    private static final String LAG_GAUGE = FloodBenchmark.LAG_GAUGE;

    /** What the flooder did during the flood phases (their lead-ins and drains included). */
    record FlooderCounts(double seconds, long sent, long accepted, long rejected, long rateLimited)
    {
        double perSecond(final long count)
        {
            return seconds <= 0 ? 0 : count / seconds;
        }
    }

    /**
     * How the connectors got in: all started within a moment, the node's pre-Hello refusals and deadlines meanwhile
     * (a reconnect storm in small; with --connectors 1741, the size of issue 18's).
     */
    record Connect(int sessions, double seconds, double eventLoopLagMaxMs, Map<String, Double> nodeCounters)
    {
        Connect
        {
            nodeCounters = Map.copyOf(nodeCounters);
        }

        String describe()
        {
            return String.format(Locale.ROOT, "%d sessions open %.2f s after the first connect; event-loop lag up to %.0f ms; " +
                "the node meanwhile: %s", sessions, seconds, eventLoopLagMaxMs, nodeCounters);
        }
    }

    private final List<ScenarioResult> phases;
    private final FlooderCounts flooder;
    private final Connect connect;
    private final Map<String, String> settings;
    private final Map<String, String> machine;

    FloodReport(final List<ScenarioResult> phases, final FlooderCounts flooder, final Connect connect,
        final Map<String, String> settings, final Map<String, String> machine)
    {
        this.phases = List.copyOf(phases);
        this.flooder = flooder;
        this.connect = connect;
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

    /** The normal connectors' p99 in each phase whose name starts with {@code kind}, in microseconds. */
    List<Long> p99s(final String kind)
    {
        return phases.stream().filter(phase -> phase.scenario().name().startsWith(kind))
            .map(phase -> phase.group(TrafficGroup.NORMAL).latency().p99Micros()).toList();
    }

    /** Median flood-phase p99 over median quiet-phase p99; NaN when the quiet ones recorded nothing. */
    double floodOverQuiet()
    {
        return NoisyNeighbourReport.ratio(median(p99s(FloodBenchmark.FLOOD)), median(p99s(FloodBenchmark.QUIET)));
    }

    static long median(final List<Long> values)
    {
        if (values.isEmpty())
        {
            return 0;
        }
        final List<Long> sorted = values.stream().sorted().toList();
        final int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
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
        out.append("connect: ").append(connect.describe()).append(System.lineSeparator());
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
        final double ratio = floodOverQuiet();
        out.append(String.format(Locale.ROOT, "normal p99, median flood/median quiet: %.2f (goal: <= %.2f: %s); p99s ms: quiet %s, flood %s%n",
            ratio, P99_GOAL_RATIO, ratio <= P99_GOAL_RATIO ? "met" : "MISSED", millisList(p99s(FloodBenchmark.QUIET)),
            millisList(p99s(FloodBenchmark.FLOOD))));
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
        json.name("connect").beginObject().name("sessions").value(connect.sessions()).name("seconds").value(connect.seconds())
            .name("eventLoopLagMaxMs").value(connect.eventLoopLagMaxMs());
        connect.nodeCounters().forEach((name, value) -> json.name(name).value(value));
        json.endObject();
        json.name("p99MedianFloodOverMedianQuiet").value(floodOverQuiet())
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
        return sample == null ? Double.NaN : sample.max() * 1000.0;
    }

    private static List<String> millisList(final List<Long> micros)
    {
        return micros.stream().map(FloodReport::millis).toList();
    }

    private static String millis(final long micros)
    {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }
}
