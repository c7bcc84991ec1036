package io.chukei.bench.cluster;

import io.chukei.bench.loadgen.DurationConverter;
import io.chukei.bench.loadgen.JsonWriter;
import io.chukei.bench.loadgen.MachineInfo;
import io.chukei.bench.netlab.NetworkLab;
import io.chukei.protocol.sbe.ErrorCode;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Failover latency: a three-node cluster under steady load, each fault injected several times
 * into node 2 (endpoint 0 for an upstream stall), with an HdrHistogram per fault of the extra
 * latency the requests caught in it saw, detection times, and how long after detection they
 * completed; then the consistency check over the whole run.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = "Failover latency of a local 3-node cluster under load (bench/README.md).")
public final class FailoverBenchmark implements Callable<Integer>
{
    static final int EXIT_OK = 0;
    static final int EXIT_INCONSISTENT = 1;

    @Option(names = "--repetitions", defaultValue = "3", description = "Times each fault is injected (default: ${DEFAULT-VALUE}).")
    private int repetitions;

    @Option(names = "--settle", converter = DurationConverter.class, defaultValue = "5s",
        description = "Quiet time before each fault; its median latency is the baseline (default: ${DEFAULT-VALUE}).")
    private Duration settle;

    @Option(names = "--warmup", converter = DurationConverter.class, defaultValue = "10s",
        description = "Load before the first fault, not measured (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "failover-results", description = "Where summary.json goes (default: ${DEFAULT-VALUE}).")
    private Path out;

    @CommandLine.Mixin
    private ClusterRunOptions cluster = new ClusterRunOptions();

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new FailoverBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintStream progress = System.err;
        final Path directory = cluster.directory("failover");
        progress.printf("failover: cluster in %s, %d municipalities at %.0f/s, faults %s x %d, hold %s%n", directory,
            cluster.municipalities, cluster.rate, cluster.faults, repetitions, cluster.hold);
        final Map<Fault, FaultImpact> impacts = new LinkedHashMap<>();
        final ConsistencyCheck.Report report;
        try (NetworkLab lab = cluster.faults.stream().anyMatch(Fault::needsNetworkLab) ? NetworkLab.create(3) : null;
            FailoverRun run = cluster.start(directory, lab, null, progress))
        {
            final FaultCycle cycle = new FaultCycle(run.cluster());
            TimeUnit.NANOSECONDS.sleep(warmup.toNanos());
            final List<Pending> pending = new ArrayList<>();
            for (final Fault fault : cluster.faults)
            {
                impacts.put(fault, new FaultImpact(fault));
                for (int i = 1; i <= repetitions; i++)
                {
                    TimeUnit.NANOSECONDS.sleep(settle.toNanos());
                    final long quietMedian = medianLatencyNanos(run.load().sent(), System.nanoTime() - settle.toNanos());
                    final FaultEvent event = cycle.run(fault, fault.targetsEndpoint() ? 0 : 2, cluster.hold);
                    pending.add(new Pending(event, quietMedian));
                    progress.printf("failover: %s #%d: detected after %s, quiet median %d ms, %d answered so far%n", fault, i,
                        event.detectedMs() < 0 ? "n/a" : event.detectedMs() + " ms",
                        TimeUnit.NANOSECONDS.toMillis(quietMedian), run.answered());
                }
            }
            report = run.finish(cluster.timeout.plusSeconds(30), Set.<ErrorCode>of());
            // Caught requests are judged once every answer is in.
            for (final Pending p : pending)
            {
                impacts.get(p.event().fault()).add(p.event(), run.load().sent(), p.quietMedianNanos());
            }
        }
        final String table = table(impacts);
        System.out.print(table);
        System.out.print(report.table());
        writeSummary(impacts, report);
        return report.ok() ? EXIT_OK : EXIT_INCONSISTENT;
    }

    /** A fault whose caught requests are counted once every answer is in. */
    private record Pending(FaultEvent event, long quietMedianNanos)
    {
    }

    private static long medianLatencyNanos(final List<SentRequest> sent, final long sinceNanos)
    {
        final Histogram histogram = new Histogram(3);
        for (final SentRequest request : sent)
        {
            if (request.intendedNanos() >= sinceNanos && request.answered())
            {
                histogram.recordValue(Math.max(0, request.latencyNanos()));
            }
        }
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(50);
    }

    private static String table(final Map<Fault, FaultImpact> impacts)
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.format("%-15s %6s %9s %12s %12s %12s %12s %14s%n", "fault", "caught", "unanswered",
            "detect max", "extra p50", "extra p99", "extra max", "after detect max"));
        for (final FaultImpact impact : impacts.values())
        {
            final Histogram extra = impact.extraLatencyMs();
            out.append(String.format("%-15s %6d %9d %12s %9d ms %9d ms %9d ms %11d ms%n", impact.fault(), impact.caught(),
                impact.unanswered(), impact.maxDetectionMs() < 0 ? "n/a" : impact.maxDetectionMs() + " ms",
                extra.getValueAtPercentile(50), extra.getValueAtPercentile(99), extra.getMaxValue(),
                impact.afterDetectionMs().getMaxValue()));
        }
        out.append("caught: unresolved when the fault took effect, or sent before it was detected (on any node: read p99/max)\n");
        out.append("goals: a stopped node (PAUSE) detected within 1500 ms; caught requests complete within 1000 ms of detection\n");
        return out.toString();
    }

    private void writeSummary(final Map<Fault, FaultImpact> impacts, final ConsistencyCheck.Report report) throws Exception
    {
        Files.createDirectories(out);
        final JsonWriter json = new JsonWriter();
        json.beginObject().name("benchmark").value("failover").name("date").value(Instant.now().toString())
            .name("machine").beginObject();
        MachineInfo.describe().forEach((key, value) -> json.name(key).value(value));
        json.endObject()
            .name("municipalities").value(cluster.municipalities).name("rate").value(cluster.rate).name("repetitions").value(repetitions)
            .name("holdMs").value(cluster.hold.toMillis()).name("faults").beginArray();
        for (final FaultImpact impact : impacts.values())
        {
            final Histogram extra = impact.extraLatencyMs();
            json.beginObject().name("fault").value(impact.fault().name()).name("caught").value(impact.caught())
                .name("unanswered").value(impact.unanswered()).name("detectionMs").beginArray();
            for (final long ms : impact.detectionMs())
            {
                json.value(ms);
            }
            json.endArray().name("extraLatencyMs").beginObject()
                .name("p50").value(extra.getValueAtPercentile(50)).name("p99").value(extra.getValueAtPercentile(99))
                .name("p999").value(extra.getValueAtPercentile(99.9)).name("max").value(extra.getMaxValue()).endObject()
                .name("afterDetectionMaxMs").value(impact.afterDetectionMs().getMaxValue()).endObject();
        }
        json.endArray().name("consistency").beginObject().name("submitted").value(report.submitted())
            .name("lost").value(report.lost()).name("duplicated").value(report.duplicated())
            .name("unexpected").value(report.unexpected()).name("unfinished").value(report.unfinishedInJournals())
            .endObject().endObject();
        Files.writeString(out.resolve("summary.json"), json.toJson(), StandardCharsets.UTF_8);
        System.err.println("failover: wrote " + out.resolve("summary.json"));
    }
}
