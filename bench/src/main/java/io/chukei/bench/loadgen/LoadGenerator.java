package io.chukei.bench.loadgen;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.protocol.client.ClusterNode;
import io.chukei.protocol.client.outbox.ConnectorOutbox;
import io.chukei.protocol.client.outbox.OutboxConfig;
import io.chukei.protocol.client.outbox.OutboxDurability;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code chukei loadgen}: open-loop load against a relay node or a whole cluster over real TLS, with many
 * municipalities' connectors, then an HdrHistogram log, a JSON summary and an HTML plot.
 * See bench/README.md, "Load generator".
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Open-loop load generator: sends requests at their scheduled times (never waiting for answers) over TLS,",
        "one connection per municipality (on its home node of the cluster, moving when that node fails, as the SDK does),",
        "and measures latency from each request's intended start.",
        "Writes OUT/latency.hlog, OUT/summary.json and OUT/latency.html.",
        "Exit codes: 0 done, 1 error rate above --max-error-rate, 2 bad command line, 3 could not connect."
    })
public final class LoadGenerator implements Callable<Integer>
{
    static final int EXIT_OK = 0;
    static final int EXIT_TOO_MANY_ERRORS = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NOT_CONNECTED = 3;

    private static final long DEFAULT_RATE = 1000;
    private static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    private static final Duration DEFAULT_STEP_DURATION = Duration.ofSeconds(10);
    private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--embedded", description = "Start a relay node (with its card-management simulator) in this process on free loopback ports.")
    private boolean embedded;

    @Option(names = "--embedded-set", paramLabel = "KEY=VALUE",
        description = "Node configuration for --embedded (keys in gateway/README.md), e.g. journal.durability=SYNC. Repeatable.")
    private Map<String, String> embeddedSettings = new LinkedHashMap<>();

    @Option(names = "--data", paramLabel = "DIR",
        description = {"Data directory of a running `chukei run` (node.properties; pki/, else ../pki), or of a cluster whose nodes'",
            "data directories are its subdirectories (DIR/*/node.properties, DIR/pki), as ops/examples/cluster.",
            "With --embedded: the node's data directory (default: a temporary one, deleted after)."})
    private Path data;

    @Option(names = "--node", paramLabel = "HOST:PORT", split = ",",
        description = {"A node's connector address (default: from --data). Repeatable, or comma-separated, for the nodes of a cluster;",
            "with --discover (the default) one is enough."})
    private List<String> nodes = new ArrayList<>();

    @Option(names = "--discover", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = {"Learn the cluster's nodes from the first node's Welcome and load them all, each municipality on its home node",
            "as the SDK chooses it (default: on). --no-discover: only the nodes given."})
    private boolean discover;

    @Option(names = "--pki", paramLabel = "DIR", description = "Dev PKI directory that issues connector certificates (default: from --data).")
    private Path pki;

    @Option(names = "--rate", paramLabel = "N[/s]", converter = RateConverter.class,
        description = "Constant target rate, requests per second (default: " + DEFAULT_RATE + ").")
    private Long rate;

    @Option(names = "--steps", paramLabel = "N,N,...", split = ",", converter = RateConverter.class,
        description = "Stepped target rates instead of --rate, each held for --step-duration, e.g. 1000,2000,4000.")
    private List<Long> steps;

    @Option(names = "--step-duration", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long each of --steps lasts (default: 10s).")
    private Duration stepDuration;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Recorded duration of a constant-rate run (default: 30s).")
    private Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
        description = "Unrecorded lead-in at the first rate (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--municipalities", paramLabel = "N", defaultValue = "1741",
        description = "Municipalities (valid JIS X 0402 codes, traffic Zipf-skewed by rank) (default: ${DEFAULT-VALUE}).")
    private int municipalityCount;

    @Option(names = "--connections-limit", paramLabel = "N",
        description = "Only the N busiest municipalities get traffic and a connection (default: all).")
    private Integer connectionsLimit;

    @Option(names = "--zipf-exponent", paramLabel = "S", defaultValue = "1.0",
        description = "Skew of traffic over municipalities: rank k gets a share ~ 1/k^S; 0 is uniform (default: ${DEFAULT-VALUE}).")
    private double zipfExponent;

    @Option(names = "--mix", paramLabel = "OP[:PRIO]=W,...", defaultValue = OperationMix.DEFAULT,
        description = "Operations and priorities by weight (default: ${DEFAULT-VALUE}).")
    private String mixText;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "0",
        description = "Declare each municipality's BATCH-priority requests as batches of N (default: 0, no batches).")
    private int batchSize;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
        description = "Each request's deadline, from its send (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--io-threads", paramLabel = "N", description = "Event loop threads shared by all connections (default: min(2, processors)).")
    private Integer ioThreads;

    @Option(names = "--max-error-rate", paramLabel = "R", defaultValue = "1%",
        description = "Exit 1 when errors / sent exceed this, as a percentage (1%%) or a fraction (0.01) (default: ${DEFAULT-VALUE}).")
    private String maxErrorRateText;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the request mix and field values (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "loadgen-results",
        description = "Directory for latency.hlog, summary.json and latency.html (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--target-pid", paramLabel = "PID", split = ",",
        description = "Processes under test whose CPU time to account per phase (Linux /proc), e.g. the node's and a proxy's; " +
            "adds CPU seconds and CPU microseconds per result to the progress line and summary.json. Repeatable.")
    private List<Long> targetPids = new ArrayList<>();

    @Option(names = "--outbox", paramLabel = "DIR",
        description = "Every connector records its requests in a durable outbox in DIR before sending them (protocol/README.md, " +
            "\"Outbox\"); requests a killed earlier run left unresolved there are sent again. Default: no outbox.")
    private Path outboxDir;

    @Option(names = "--outbox-durability", paramLabel = "MODE", defaultValue = "PROCESS",
        description = "PROCESS (survives kill -9) or SYNC (fsync, group-committed, before each send) (default: ${DEFAULT-VALUE}).")
    private OutboxDurability outboxDurability;

    @Option(names = "--raw",
        description = {"Send pre-encoded frames on hand-made sessions instead of through the SDK: the least CPU per request, to saturate",
            "a fast target (bench/README.md, \"Raw sender\"). One target only; no failover, resends, batches or outbox."})
    private boolean raw;

    private final PrintStream progress;
    private RunReport lastReport;

    public LoadGenerator()
    {
        this(System.err);
    }

    LoadGenerator(final PrintStream progress)
    {
        this.progress = progress;
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    /** Whether the run learns the cluster from a Welcome ({@code --[no-]discover}), for tests. */
    boolean discovers()
    {
        return discover;
    }

    /** The report of the last completed run, for tests. */
    RunReport lastReport()
    {
        return lastReport;
    }

    @Override
    public Integer call() throws Exception
    {
        final Plan plan;
        try
        {
            plan = plan();
        }
        catch (final IllegalArgumentException ex)
        {
            progress.println("loadgen: " + ex.getMessage());
            return EXIT_USAGE;
        }
        Files.createDirectories(out);
        try (EmbeddedNode embeddedNode = embedded ? EmbeddedNode.start(data, embeddedSettings) : null)
        {
            final List<InetSocketAddress> targets;
            final DevPki devPki;
            if (embeddedNode != null)
            {
                progress.println("loadgen: " + embeddedNode.description());
                targets = List.of(embeddedNode.connectorAddress());
                devPki = DevPki.openOrCreate(embeddedNode.dataDir().resolve("pki"), MunicipalityCodes::isValid);
            }
            else
            {
                final TargetNodes given = TargetNodes.resolve(nodes, data, pki);
                devPki = DevPki.openOrCreate(given.pki(), MunicipalityCodes::isValid);
                if (!discover)
                {
                    targets = given.seeds();
                }
                else
                {
                    final Optional<List<ClusterNode>> view = ClusterDiscovery.discover(given.seeds(), devPki,
                        plan.municipalities().codes().get(0), DISCOVERY_TIMEOUT);
                    if (view.isEmpty())
                    {
                        progress.println("loadgen: no Welcome from " + names(given.seeds()) + " within " + DISCOVERY_TIMEOUT.toSeconds() +
                            " s (expected: a running node whose CA is " + given.pki() + ")");
                        return EXIT_NOT_CONNECTED;
                    }
                    targets = ClusterDiscovery.nodesOf(view.get(), given.seeds());
                    progress.println("loadgen: nodes " + names(targets) + (view.get().size() < 2 ? " (" + given.source() +
                        "; its Welcome names no other node)" : " (the cluster view in the Welcome of a node from " + given.source() + ")"));
                }
            }
            return run(plan, targets, devPki);
        }
        catch (final IllegalArgumentException ex)
        {
            progress.println("loadgen: " + ex.getMessage());
            return EXIT_USAGE;
        }
    }

    private static List<String> names(final List<InetSocketAddress> nodes)
    {
        return nodes.stream().map(Connections::name).toList();
    }

    private int run(final Plan plan, final List<InetSocketAddress> targets, final DevPki devPki) throws IOException
    {
        final List<String> codes = plan.municipalities().codes();
        progress.println("loadgen: " + codes.size() + (raw ? " raw sessions" : " connectors") + " to " + names(targets) +
            " (certificates from " + devPki.directory() + ")");
        final Duration connectTimeout = Duration.ofSeconds(30).plusMillis(20L * codes.size());
        final RequestFactory requests = new RequestFactory(seed, timeout, codes.size(), batchSize, System.currentTimeMillis() * 1000);
        final RunRecorders recorders = new RunRecorders(plan.schedule());
        if (raw)
        {
            return runRaw(plan, targets, devPki, connectTimeout, requests, recorders);
        }
        final ConnectorOutbox outbox = outboxDir == null ? null :
            ConnectorOutbox.open(OutboxConfig.builder(outboxDir).durability(outboxDurability).build());
        if (outbox != null)
        {
            progress.println("loadgen: outbox " + outboxDir + " (" + outboxDurability + "), " + outbox.recoveredAtOpen() +
                " unresolved requests of an earlier run to send again");
        }
        try (Connections connections = Connections.open(targets, devPki, codes, plan.ioThreads(), timeout, outbox, progress))
        {
            if (targets.size() > 1)
            {
                progress.println("loadgen: municipalities by home node " + connections.homesByNode());
            }
            if (!connections.awaitSessions(connectTimeout))
            {
                progress.println("loadgen: only " + connections.openSessions() + " of " + connections.size() +
                    " sessions open after " + connectTimeout.toSeconds() + " s (expected: all); are the nodes " + names(targets) + " up?");
                return EXIT_NOT_CONNECTED;
            }
            final Map<String, String> settings = settings(plan, targets);
            final Measured measured = measure(plan, recorders, new SdkSender(connections.clients(), plan.municipalities().size(), requests, recorders));
            if (targets.size() > 1)
            {
                // Where the connectors ended: after a node failed, its municipalities are on the others.
                settings.put("homesByNode", connections.homesByNode().toString());
                settings.put("connectorsByNodeAtEnd", connections.connectorsByNode().toString());
                settings.put("connectorMoves", Long.toString(connections.moves()));
                progress.println("loadgen: connectors by node at the end " + settings.get("connectorsByNodeAtEnd") + ", " +
                    settings.get("connectorMoves") + " moves to another node");
            }
            return finish(measured, settings, plan);
        }
    }

    private int runRaw(final Plan plan, final List<InetSocketAddress> targets, final DevPki devPki, final Duration connectTimeout,
        final RequestFactory requests, final RunRecorders recorders) throws IOException
    {
        if (targets.size() != 1)
        {
            throw new IllegalArgumentException("--raw with " + targets.size() + " nodes " + names(targets) +
                " (expected: one target; the raw sender has no failover. Load a cluster without --raw, or name one node with --no-discover)");
        }
        final RawSender sender;
        try
        {
            sender = RawSender.connect(targets.get(0), devPki, plan.municipalities().codes(), plan.ioThreads(), timeout, plan.mix(),
                requests, recorders, seed, connectTimeout, progress);
        }
        catch (final IllegalStateException ex)
        {
            progress.println("loadgen: " + ex.getMessage() + " (expected: every session open; is " + names(targets) + " up?)");
            return EXIT_NOT_CONNECTED;
        }
        try (sender)
        {
            final Map<String, String> settings = settings(plan, targets);
            final Measured measured = measure(plan, recorders, sender);
            final List<String> closed = sender.closedSessions();
            settings.put("rawSessionsClosed", Integer.toString(closed.size()));
            settings.put("rawForeignAnswers", Long.toString(sender.foreignAnswers()));
            if (!closed.isEmpty())
            {
                progress.println("loadgen: " + closed.size() + " raw sessions ended during the run (their later requests failed), e.g. " +
                    closed.subList(0, Math.min(5, closed.size())));
            }
            return finish(measured, settings, plan);
        }
    }

    /** What one run through a sender measured, before the sender's own settings are added to the report. */
    private record Measured(Instant startedAt, Map<String, String> machine, List<PhaseReport> phases)
    {
    }

    /** Runs the schedule through {@code sender}: the open-loop sends, the interval log, the drain. */
    private Measured measure(final Plan plan, final RunRecorders recorders, final RequestSender sender) throws IOException
    {
        final Map<String, String> machine = new LinkedHashMap<>(MachineInfo.describe());
        final Instant startedAt = Instant.now();
        final LoadRun loadRun = new LoadRun(plan.municipalities(), plan.mix(), recorders, sender, progress, seed, timeout.plusSeconds(5),
            plan.cpu());
        final List<PhaseReport> phases;
        try (IntervalLog log = new IntervalLog(out.resolve(ReportFiles.LOG), startedAt.toEpochMilli()))
        {
            phases = loadRun.run(log);
        }
        machine.put("loadAverageAtEnd", MachineInfo.loadAverage());
        return new Measured(startedAt, machine, phases);
    }

    /** Writes the report files and gives the exit code. */
    private int finish(final Measured measured, final Map<String, String> settings, final Plan plan) throws IOException
    {
        final RunReport report = new RunReport(measured.startedAt(), warmup.toMillis() / 1000.0, settings, measured.machine(),
            measured.phases());
        lastReport = report;
        ReportFiles.write(out, report);
        return verdict(report, plan.maxErrorRate());
    }

    private int verdict(final RunReport report, final double maxErrorRate)
    {
        final OutcomeCounts outcomes = report.outcomes();
        final PrintStream stdout = System.out;
        stdout.printf(Locale.ROOT, "loadgen: offered %.0f/s, achieved %.0f/s over %.1f s; %d results (%d refused), %d errors (%.3f%%)%s%n",
            report.offeredRatePerSecond(), report.achievedRatePerSecond(), report.durationSeconds(), outcomes.results(),
            outcomes.resultsRefused(), outcomes.errors(), outcomes.errorRate() * 100,
            outcomes.rejectedByCode().isEmpty() ? "" : " " + outcomes.rejectedByCode());
        final var answer = report.answer();
        if (answer.getTotalCount() > 0)
        {
            stdout.printf(Locale.ROOT, "loadgen: answer latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  p99.99 %.2f  max %.2f%n",
                answer.getValueAtPercentile(50) / 1000.0, answer.getValueAtPercentile(90) / 1000.0,
                answer.getValueAtPercentile(99) / 1000.0, answer.getValueAtPercentile(99.9) / 1000.0,
                answer.getValueAtPercentile(99.99) / 1000.0, answer.getMaxValue() / 1000.0);
        }
        for (final PhaseReport phase : report.phases())
        {
            if (phase.cpu().hasTarget())
            {
                stdout.printf(Locale.ROOT, "loadgen: %s: target cpu %.2f cores, %.1f us per result; loadgen %.1f us per result%n",
                    phase.name(), phase.cpu().targetCores(), phase.cpu().targetMicrosPer(phase.outcomes().results()),
                    phase.cpu().loadgenMicrosPer(phase.outcomes().results()));
            }
        }
        stdout.println("loadgen: wrote " + out.resolve(ReportFiles.LOG) + ", " + out.resolve(ReportFiles.SUMMARY) + ", " +
            out.resolve(ReportFiles.PLOT));
        if (outcomes.errorRate() > maxErrorRate)
        {
            stdout.printf(Locale.ROOT, "loadgen: error rate %.3f%% above --max-error-rate %.3f%% (exit %d)%n",
                outcomes.errorRate() * 100, maxErrorRate * 100, EXIT_TOO_MANY_ERRORS);
            return EXIT_TOO_MANY_ERRORS;
        }
        return EXIT_OK;
    }

    /** The validated shape of the run. */
    private record Plan(RateSchedule schedule, Municipalities municipalities, OperationMix mix, int ioThreads, double maxErrorRate,
        ProcessCpu cpu)
    {
    }

    private Plan plan()
    {
        if (steps != null && rate != null)
        {
            throw new IllegalArgumentException("--rate and --steps both given (expected: one of them)");
        }
        if (steps != null && duration != null)
        {
            throw new IllegalArgumentException("--duration with --steps (expected: --step-duration for stepped runs)");
        }
        if (warmup.isNegative())
        {
            throw new IllegalArgumentException("--warmup: " + warmup + " (expected: >= 0)");
        }
        final RateSchedule schedule = steps != null
            ? RateSchedule.stepped(steps, positive("--step-duration", stepDuration != null ? stepDuration : DEFAULT_STEP_DURATION).toNanos(),
                warmup.toNanos())
            : RateSchedule.constant(rate != null ? rate : DEFAULT_RATE,
                positive("--duration", duration != null ? duration : DEFAULT_DURATION).toNanos(), warmup.toNanos());
        if (connectionsLimit != null && connectionsLimit < 1)
        {
            throw new IllegalArgumentException("--connections-limit: " + connectionsLimit + " (expected: >= 1)");
        }
        if (municipalityCount < 1)
        {
            throw new IllegalArgumentException("--municipalities: " + municipalityCount + " (expected: >= 1)");
        }
        final int used = connectionsLimit == null ? municipalityCount : Math.min(municipalityCount, connectionsLimit);
        final int threads = ioThreads != null ? ioThreads : Math.min(2, Runtime.getRuntime().availableProcessors());
        if (threads < 1)
        {
            throw new IllegalArgumentException("--io-threads: " + threads + " (expected: >= 1)");
        }
        positive("--timeout", timeout);
        if (batchSize < 0)
        {
            throw new IllegalArgumentException("--batch-size: " + batchSize + " (expected: >= 0)");
        }
        if (raw && batchSize > 0)
        {
            throw new IllegalArgumentException("--raw with --batch-size " + batchSize +
                " (expected: 0; the raw sender encodes its frames once, before the run, and declares no batches)");
        }
        if (raw && outboxDir != null)
        {
            throw new IllegalArgumentException("--raw with --outbox (expected: one of them; the raw sender keeps no outbox)");
        }
        return new Plan(schedule, Municipalities.generate(used, zipfExponent), OperationMix.parse(mixText), threads,
            errorRate(maxErrorRateText), ProcessCpu.watching(targetPids));
    }

    private Map<String, String> settings(final Plan plan, final List<InetSocketAddress> targets)
    {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node", (embedded ? "embedded " : "") + String.join(",", names(targets)));
        settings.put("sender", raw ? "raw" : "sdk");
        if (embedded && !embeddedSettings.isEmpty())
        {
            settings.put("embeddedSettings", embeddedSettings.toString());
        }
        settings.put("schedule", steps != null ? "steps " + steps + " x " + stepDuration() : "constant " + plan.schedule().phases()
            .get(plan.schedule().phases().size() - 1).ratePerSecond() + "/s for " + (duration != null ? duration : DEFAULT_DURATION));
        settings.put("warmup", warmup.toString());
        settings.put("municipalities", String.valueOf(municipalityCount));
        settings.put("connections", String.valueOf(plan.municipalities().size()));
        settings.put("zipfExponent", String.valueOf(zipfExponent));
        settings.put("mix", plan.mix().toString());
        settings.put("batchSize", String.valueOf(batchSize));
        settings.put("timeout", timeout.toString());
        settings.put("ioThreads", String.valueOf(plan.ioThreads()));
        settings.put("maxErrorRate", maxErrorRateText);
        settings.put("seed", String.valueOf(seed));
        settings.put("outbox", outboxDir == null ? "off" : outboxDir + " " + outboxDurability);
        if (!targetPids.isEmpty())
        {
            settings.put("targetPids", targetPids.toString());
        }
        return settings;
    }

    private Duration stepDuration()
    {
        return stepDuration != null ? stepDuration : DEFAULT_STEP_DURATION;
    }

    private static Duration positive(final String option, final Duration value)
    {
        if (value.isNegative() || value.isZero())
        {
            throw new IllegalArgumentException(option + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    /** "1%" or "0.01"; shared by the benchmarks' --max-error-rate options. */
    public static double errorRate(final String text)
    {
        final String trimmed = text.trim();
        try
        {
            final double value = trimmed.endsWith("%")
                ? Double.parseDouble(trimmed.substring(0, trimmed.length() - 1)) / 100
                : Double.parseDouble(trimmed);
            if (value >= 0 && value <= 1)
            {
                return value;
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        throw new IllegalArgumentException("--max-error-rate: '" + text + "' (expected: a percentage like 1% or a fraction like 0.01, 0..1)");
    }

    /** "2000" or "2000/s". */
    static final class RateConverter implements ITypeConverter<Long>
    {
        @Override
        public Long convert(final String text)
        {
            final String digits = text.trim().endsWith("/s") ? text.trim().substring(0, text.trim().length() - 2) : text.trim();
            try
            {
                final long value = Long.parseLong(digits);
                if (value >= 1)
                {
                    return value;
                }
            }
            catch (final NumberFormatException ex)
            {
                // reported below
            }
            throw new TypeConversionException("'" + text + "' (expected: requests per second >= 1, e.g. 2000 or 2000/s)");
        }
    }
}
