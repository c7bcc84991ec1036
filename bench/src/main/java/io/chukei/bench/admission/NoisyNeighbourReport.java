package io.chukei.bench.admission;

import io.chukei.bench.loadgen.JsonWriter;
import io.chukei.bench.loadgen.OutcomeCounts;
import io.chukei.protocol.sbe.ErrorCode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run's verdict: per scenario and traffic group the outcomes and final-answer latency, the
 * normal municipalities' latency with the noisy one (B) over without it (A), the noisy one's
 * rejection rate, and interactive against batch latency under the flood (C). Goals are
 * reported, never enforced; only errors decide the exit code.
 */
final class NoisyNeighbourReport
{
    /** Goal: the normal municipalities' p99 with the noisy one at most 10% above the quiet run's. */
    static final double P99_GOAL_RATIO = 1.10;
    private static final String GAUGE_PREFIX = "chukei_admission_";

    /** Scenario B's normal latency over scenario A's, per percentile; NaN where A recorded nothing. */
    record Comparison(LatencySummary quiet, LatencySummary noisy, double p50Ratio, double p99Ratio, double p999Ratio, double maxRatio)
    {
        static Comparison of(final LatencySummary quiet, final LatencySummary noisy)
        {
            return new Comparison(quiet, noisy, ratio(noisy.p50Micros(), quiet.p50Micros()), ratio(noisy.p99Micros(), quiet.p99Micros()),
                ratio(noisy.p999Micros(), quiet.p999Micros()), ratio(noisy.maxMicros(), quiet.maxMicros()));
        }

        /** True when B's p99 is within {@link #P99_GOAL_RATIO} of A's. */
        boolean p99GoalMet()
        {
            return p99Ratio <= P99_GOAL_RATIO;
        }
    }

    private final List<ScenarioResult> scenarios;
    private final Map<String, String> settings;
    private final Map<String, String> machine;

    NoisyNeighbourReport(final List<ScenarioResult> scenarios, final Map<String, String> settings, final Map<String, String> machine)
    {
        this.scenarios = List.copyOf(scenarios);
        this.settings = Map.copyOf(settings);
        this.machine = Map.copyOf(machine);
    }

    /** {@code value / base}; NaN when the base is 0 (nothing to compare with). */
    static double ratio(final long value, final long base)
    {
        return base == 0 ? Double.NaN : (double)value / base;
    }

    List<ScenarioResult> scenarios()
    {
        return scenarios;
    }

    Optional<ScenarioResult> scenario(final String name)
    {
        return scenarios.stream().filter(result -> result.scenario().name().equals(name)).findFirst();
    }

    /** B over A for the normal municipalities, when both ran. */
    Optional<Comparison> normalLatencyComparison()
    {
        final Optional<ScenarioResult> quiet = scenario(NoisyNeighbourPlan.QUIET);
        final Optional<ScenarioResult> noisy = scenario(NoisyNeighbourPlan.NOISY);
        if (quiet.isEmpty() || noisy.isEmpty())
        {
            return Optional.empty();
        }
        return Optional.of(Comparison.of(quiet.get().group(TrafficGroup.NORMAL).latency(), noisy.get().group(TrafficGroup.NORMAL).latency()));
    }

    /** The noisy municipality's RATE_LIMITED fraction in B, when B ran. */
    Optional<Double> noisyRateLimitedFraction()
    {
        return scenario(NoisyNeighbourPlan.NOISY).map(result -> result.group(TrafficGroup.NOISY).rejectionRate(ErrorCode.RATE_LIMITED));
    }

    long errors()
    {
        return scenarios.stream().mapToLong(ScenarioResult::errors).sum();
    }

    long sent()
    {
        return scenarios.stream().mapToLong(ScenarioResult::sent).sum();
    }

    /** Errors over requests sent in all measured parts; 0 when nothing was sent. */
    double errorRate()
    {
        return sent() == 0 ? 0 : (double)errors() / sent();
    }

    /** The table printed on stdout. */
    String table()
    {
        final StringBuilder out = new StringBuilder(2048);
        out.append(String.format(Locale.ROOT, "%-14s %-11s %9s %9s %9s %8s %9s %9s %9s %9s  %s%n", "scenario", "group", "sent", "results",
            "expected", "errors", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "rejected by code"));
        for (final ScenarioResult scenario : scenarios)
        {
            for (final TrafficGroup group : TrafficGroup.values())
            {
                final GroupResult result = scenario.group(group);
                if (result == null)
                {
                    continue;
                }
                final OutcomeCounts outcomes = result.outcomes();
                final LatencySummary latency = result.latency();
                out.append(String.format(Locale.ROOT, "%-14s %-11s %9d %9d %9d %8d %9s %9s %9s %9s  %s%n",
                    scenario.scenario().name() + " " + scenario.scenario().description(), groupLabel(scenario, group), outcomes.sent(),
                    outcomes.results(), result.expectedRejections(), result.errors(), millis(latency.count(), latency.p50Micros()),
                    millis(latency.count(), latency.p99Micros()), millis(latency.count(), latency.p999Micros()),
                    millis(latency.count(), latency.maxMicros()), outcomes.rejectedByCode().isEmpty() ? "-" : outcomes.rejectedByCode()));
            }
        }
        for (final ScenarioResult scenario : scenarios)
        {
            if (!scenario.nodeGauges().isEmpty())
            {
                out.append(scenario.scenario().name()).append(" node (last/max while measured):");
                scenario.nodeGauges().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(gauge -> out.append(String.format(
                    Locale.ROOT, "  %s %.0f/%.0f", gauge.getKey().substring(GAUGE_PREFIX.length()), gauge.getValue().last(),
                    gauge.getValue().max())));
                out.append(System.lineSeparator());
            }
        }
        normalLatencyComparison().ifPresent(comparison -> out.append(String.format(Locale.ROOT,
            "normal municipalities, B/A: p50 %s  p99 %s  p99.9 %s  max %s  (goal: p99 <= %.2f: %s)%n",
            ratioText(comparison.p50Ratio()), ratioText(comparison.p99Ratio()), ratioText(comparison.p999Ratio()),
            ratioText(comparison.maxRatio()), P99_GOAL_RATIO, comparison.p99GoalMet() ? "met" : "MISSED")));
        noisyRateLimitedFraction().ifPresent(fraction -> out.append(String.format(Locale.ROOT,
            "noisy municipality in B: %.1f%% RATE_LIMITED%n", fraction * 100)));
        scenario(NoisyNeighbourPlan.BATCH_FLOOD).ifPresent(flood -> out.append(String.format(Locale.ROOT,
            "batch flood C: interactive p99 %s ms vs batch p99 %s ms%n",
            millis(flood.group(TrafficGroup.NORMAL).latency().count(), flood.group(TrafficGroup.NORMAL).latency().p99Micros()),
            millis(flood.group(TrafficGroup.BATCH_FLOOD).latency().count(), flood.group(TrafficGroup.BATCH_FLOOD).latency().p99Micros()))));
        out.append(String.format(Locale.ROOT, "errors: %d of %d sent (%.3f%%)%n", errors(), sent(), errorRate() * 100));
        return out.toString();
    }

    /** The JSON summary file's content. */
    String json()
    {
        final JsonWriter json = new JsonWriter().beginObject();
        json.name("scenarios").beginArray();
        for (final ScenarioResult scenario : scenarios)
        {
            json.beginObject().name("name").value(scenario.scenario().name()).name("description").value(scenario.scenario().description())
                .name("offeredRatePerSecond").value(scenario.scenario().totalRatePerSecond())
                .name("measuredSeconds").value(scenario.measuredSeconds())
                .name("loadAverageAtStart").value(scenario.loadAverageAtStart())
                .name("loadAverageAtEnd").value(scenario.loadAverageAtEnd());
            json.name("groups").beginObject();
            for (final TrafficGroup group : TrafficGroup.values())
            {
                final GroupResult result = scenario.group(group);
                if (result != null)
                {
                    json.name(groupLabel(scenario, group));
                    writeGroup(json, scenario, result);
                }
            }
            json.endObject();
            json.name("nodeGauges").beginObject();
            scenario.nodeGauges().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(gauge -> json.name(gauge.getKey())
                .beginObject().name("last").value(gauge.getValue().last()).name("max").value(gauge.getValue().max()).endObject());
            json.endObject().endObject();
        }
        json.endArray();
        normalLatencyComparison().ifPresent(comparison -> json.name("normalLatencyNoisyOverQuiet").beginObject()
            .name("p50").value(comparison.p50Ratio()).name("p99").value(comparison.p99Ratio())
            .name("p99.9").value(comparison.p999Ratio()).name("max").value(comparison.maxRatio())
            .name("p99Goal").value(P99_GOAL_RATIO).name("p99GoalMet").value(comparison.p99GoalMet()).endObject());
        noisyRateLimitedFraction().ifPresent(fraction -> json.name("noisyRateLimitedFraction").value(fraction));
        json.name("errors").value(errors()).name("sent").value(sent()).name("errorRate").value(errorRate());
        writeMap(json.name("settings"), settings);
        writeMap(json.name("machine"), machine);
        return json.endObject().toJson();
    }

    private static void writeGroup(final JsonWriter json, final ScenarioResult scenario, final GroupResult result)
    {
        final OutcomeCounts outcomes = result.outcomes();
        final Stream stream = scenario.scenario().stream(result.group());
        json.beginObject()
            .name("municipalities").value(stream.municipalities())
            .name("offeredRatePerSecond").value(stream.ratePerSecond())
            .name("sent").value(outcomes.sent())
            .name("resultsOk").value(outcomes.resultsOk())
            .name("resultsRefused").value(outcomes.resultsRefused())
            .name("expectedRejections").value(result.expectedRejections())
            .name("errors").value(result.errors())
            .name("unanswered").value(outcomes.unanswered())
            .name("rateLimitedFraction").value(result.rejectionRate(ErrorCode.RATE_LIMITED));
        writeMap(json.name("rejectedByCode"), outcomes.rejectedByCode());
        final LatencySummary latency = result.latency();
        json.name("answerLatencyMicros").beginObject()
            .name("count").value(latency.count()).name("p50").value(latency.p50Micros()).name("p99").value(latency.p99Micros())
            .name("p99.9").value(latency.p999Micros()).name("max").value(latency.maxMicros()).endObject();
        json.endObject();
    }

    private static void writeMap(final JsonWriter json, final Map<String, ?> map)
    {
        json.beginObject();
        map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
        {
            json.name(entry.getKey());
            if (entry.getValue() instanceof Long number)
            {
                json.value(number.longValue());
            }
            else
            {
                json.value(String.valueOf(entry.getValue()));
            }
        });
        json.endObject();
    }

    /** In scenario C the normal municipalities are the interactive traffic. */
    private static String groupLabel(final ScenarioResult scenario, final TrafficGroup group)
    {
        return group == TrafficGroup.NORMAL && scenario.scenario().stream(TrafficGroup.BATCH_FLOOD) != null ? "interactive" : group.label();
    }

    private static String millis(final long count, final long micros)
    {
        return count == 0 ? "-" : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static String ratioText(final double ratio)
    {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
    }
}
