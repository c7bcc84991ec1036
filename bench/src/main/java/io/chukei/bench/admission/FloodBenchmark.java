package io.chukei.bench.admission;

import io.chukei.bench.loadgen.Connections;
import io.chukei.bench.loadgen.DurationConverter;
import io.chukei.bench.loadgen.EmbeddedNode;
import io.chukei.bench.loadgen.MachineInfo;
import io.chukei.bench.loadgen.Municipalities;
import io.chukei.bench.loadgen.OperationMix;
import io.chukei.bench.loadgen.RequestFactory;
import io.chukei.gateway.transport.Transport;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.sbe.ErrorCode;
import io.netty.channel.EventLoopGroup;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The flood benchmark (issue 11, per-connection fairness): what one connector sending Submits
 * as fast as its connection takes them — far above its rate limit, each refused RATE_LIMITED and
 * answered — costs the other connectors on the node. Normal connectors send steadily, open loop,
 * through the SDK; their final-answer latency is measured in quiet and flood phases that
 * alternate, in one run on one node and the same connections, and compared as median p99 over
 * median p99, so the machine's own drifting load (these are shared 2-core boxes) falls on both
 * sides. See bench/README.md, "Flood".
 *
 * <pre>
 * java &lt;chukei.jvm.flags&gt; -cp bench/target/chukei-bench.jar io.chukei.bench.admission.FloodBenchmark \
 *     --connectors 100 --duration 20s
 * </pre>
 */
@Command(
    name = "flood",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Measures normal connectors' latency in quiet phases (Q) and phases where one connector floods Submits (F), alternating,",
        "against one embedded relay node over TLS, and reports the median flood p99 over the median quiet p99.",
        "Writes OUT/summary.json. The goal is reported, not enforced.",
        "Exit codes: 0 done, 1 errors above --max-error-rate, 2 bad command line, 3 could not connect."
    })
public final class FloodBenchmark implements Callable<Integer>
{
    static final int EXIT_OK = 0;
    static final int EXIT_TOO_MANY_ERRORS = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NOT_CONNECTED = 3;
    static final String SUMMARY_FILE = "summary.json";
    /** Seconds (renamed from the _ms gauge with the metric hygiene; the reports print milliseconds). */
    static final String LAG_GAUGE = "chukei_health_eventloop_lag_seconds";
    /** Phase names: Q1, F1, Q2, F2, ... Q(rounds + 1). */
    static final String QUIET = "Q";
    static final String FLOOD = "F";
    /** Unrecorded lead-in of every phase after the first: the flood's start or end settles. */
    private static final Duration PHASE_LEAD = Duration.ofSeconds(2);

    @Option(names = "--connectors", paramLabel = "N", defaultValue = "100", description = "Normal connectors (default: ${DEFAULT-VALUE}).")
    private int connectors;

    @Option(names = "--rate-per-connector", paramLabel = "R[/s]", defaultValue = "5", converter = NoisyNeighbourBenchmark.RateConverter.class,
        description = "Each normal connector's steady rate (default: ${DEFAULT-VALUE}/s).")
    private double ratePerConnector;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "20",
        description = "admission.rate.default of the embedded node, for everyone (default: ${DEFAULT-VALUE}, the node's own default).")
    private int rateLimit;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "40", description = "admission.burst.default (default: ${DEFAULT-VALUE}).")
    private int burst;

    @Option(names = "--flood-rate", paramLabel = "R[/s]", defaultValue = "0", converter = FloodRateConverter.class,
        description = "The flooder's Submits per second; 0: as fast as its connection takes them (default: ${DEFAULT-VALUE}).")
    private double floodRate;

    @Option(names = "--flooder-rate-limit", paramLabel = "N",
        description = "The flooder's own admission rate (and burst): raise it to flood with accepted requests (default: --rate-limit).")
    private Integer flooderRateLimit;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
        description = "Flood phases, each between two quiet ones: Q1 F1 Q2 ... F(N) Q(N+1) (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
        description = "Measured length of each phase (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
        description = "Unrecorded lead-in of the first phase (JIT, pools); the others get 2 s (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
        description = "Each normal request's deadline (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--embedded-set", paramLabel = "KEY=VALUE",
        description = "More embedded node settings (gateway/README.md); they win over the benchmark's own. Repeatable.")
    private Map<String, String> embeddedSettings = new LinkedHashMap<>();

    @Option(names = "--io-threads", paramLabel = "N", description = "Normal connectors' event loop threads (default: 1).")
    private Integer ioThreads;

    @Option(names = "--max-error-rate", paramLabel = "R", defaultValue = "1%",
        description = "Exit 1 when the normal connectors' errors / sent exceed this (default: ${DEFAULT-VALUE}).")
    private String maxErrorRateText;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of traffic and field values (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "flood-results",
        description = "Directory for " + SUMMARY_FILE + " (default: ${DEFAULT-VALUE}).")
    private Path out;

    private final PrintStream progress;
    private final PrintStream stdout;
    private FloodReport lastReport;

    public FloodBenchmark()
    {
        this(System.err, System.out);
    }

    FloodBenchmark(final PrintStream progress, final PrintStream stdout)
    {
        this.progress = progress;
        this.stdout = stdout;
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new FloodBenchmark()).execute(args));
    }

    FloodReport lastReport()
    {
        return lastReport;
    }

    @Override
    public Integer call() throws Exception
    {
        final double maxErrorRate;
        try
        {
            validate();
            maxErrorRate = io.chukei.bench.loadgen.LoadGenerator.errorRate(maxErrorRateText);
        }
        catch (final IllegalArgumentException ex)
        {
            progress.println("flood: " + ex.getMessage());
            return EXIT_USAGE;
        }
        final List<String> codes = Municipalities.generate(connectors + 1, 0).codes();
        final String flooderCode = codes.get(connectors);
        final List<String> normalCodes = codes.subList(0, connectors);
        final Map<String, String> nodeSettings = nodeSettings(flooderCode);
        Files.createDirectories(out);
        try (EmbeddedNode node = EmbeddedNode.start(null, nodeSettings))
        {
            progress.println("flood: " + node.description());
            final DevPki pki = DevPki.openOrCreate(node.dataDir().resolve("pki"), MunicipalityCodes::isValid);
            // Certificates first, so the connectors start within a moment of each other: a reconnect storm in small.
            for (final String code : codes)
            {
                pki.issueConnector(code);
            }
            final Transport transport = Transport.best();
            final AdmissionGauges connectLag = new AdmissionGauges(node.metricsAddress(), LAG_GAUGE);
            final java.util.concurrent.ScheduledExecutorService lagSampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            lagSampler.scheduleAtFixedRate(connectLag::sample, 0, 100, TimeUnit.MILLISECONDS);
            final long connectStart = System.nanoTime();
            final EventLoopGroup flooderLoop = transport.newGroup(1);
            try (Connections normal = Connections.open(node.connectorAddress(), pki, normalCodes, ioThreads != null ? ioThreads : 1,
                timeout, progress);
                 Flooder flooder = Flooder.open(node.connectorAddress(), TlsContexts.client(pki.issueConnector(flooderCode), PeerPolicy.relayClient()),
                     flooderCode, flooderLoop, transport.channelType()))
            {
                flooder.welcomed().get(30, TimeUnit.SECONDS);
                if (!normal.awaitSessions(Duration.ofSeconds(30).plusMillis(20L * connectors)))
                {
                    progress.println("flood: only " + normal.openSessions() + " of " + connectors + " sessions open");
                    return EXIT_NOT_CONNECTED;
                }
                final double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                lagSampler.shutdownNow();
                final AdmissionGauges.Sample lag = connectLag.takeSamples().get(LAG_GAUGE);
                final FloodReport.Connect connect = new FloodReport.Connect(connectors + 1, connectSeconds,
                    lag == null ? Double.NaN : lag.max() * 1000.0, NodeMetrics.scrape(node.metricsAddress()));
                progress.println("flood: " + connect.describe());
                final FloodReport report = run(normal, flooder, node, nodeSettings, connect);
                lastReport = report;
                final Path summary = out.resolve(SUMMARY_FILE);
                Files.writeString(summary, report.json(), StandardCharsets.UTF_8);
                stdout.print(report.table());
                stdout.println("flood: wrote " + summary);
                if (report.errorRate() > maxErrorRate)
                {
                    stdout.printf(Locale.ROOT, "flood: error rate %.3f%% above --max-error-rate %.3f%% (exit %d)%n",
                        report.errorRate() * 100, maxErrorRate * 100, EXIT_TOO_MANY_ERRORS);
                    return EXIT_TOO_MANY_ERRORS;
                }
                return EXIT_OK;
            }
            finally
            {
                lagSampler.shutdownNow();
                flooderLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private FloodReport run(final Connections normal, final Flooder flooder, final EmbeddedNode node,
        final Map<String, String> nodeSettings, final FloodReport.Connect connect)
    {
        final Map<String, String> machine = new LinkedHashMap<>(MachineInfo.describe());
        final RequestFactory requests = new RequestFactory(seed, timeout, connectors, 0, Instant.now().toEpochMilli() * 1000);
        final Stream steady = new Stream(TrafficGroup.NORMAL, 0, connectors, connectors * ratePerConnector,
            OperationMix.parse(NoisyNeighbourPlan.DEFAULT_NORMAL_MIX));
        final AdmissionGauges health = new AdmissionGauges(node.metricsAddress(), "chukei_health_");
        final List<ScenarioResult> phases = new ArrayList<>();
        final long sentBefore = flooder.sent();
        final long refusedBefore = flooder.rejectedAll();
        final long rateLimitedBefore = flooder.rejected(ErrorCode.RATE_LIMITED);
        final long acceptedBefore = flooder.accepted();
        long floodNanos = 0;
        phases.add(phase(QUIET + 1, "quiet", steady, normal, requests, health, warmup));
        for (int round = 1; round <= rounds; round++)
        {
            final long floodStart = System.nanoTime();
            flooder.start(floodRate);
            try
            {
                // Drained while the flood goes on: the requests sent in the flood are answered under it.
                phases.add(phase(FLOOD + round, "flood", steady, normal, requests, health, PHASE_LEAD));
            }
            finally
            {
                flooder.stop();
                floodNanos += System.nanoTime() - floodStart;
            }
            phases.add(phase(QUIET + (round + 1), "quiet", steady, normal, requests, health, PHASE_LEAD));
        }
        final FloodReport.FlooderCounts flooderCounts = new FloodReport.FlooderCounts(floodNanos / 1e9, flooder.sent() - sentBefore,
            flooder.accepted() - acceptedBefore, flooder.rejectedAll() - refusedBefore,
            flooder.rejected(ErrorCode.RATE_LIMITED) - rateLimitedBefore);
        machine.put("loadAverageAtEnd", MachineInfo.loadAverage());
        return new FloodReport(phases, flooderCounts, connect, settings(nodeSettings), machine);
    }

    private ScenarioResult phase(final String name, final String description, final Stream steady, final Connections normal,
        final RequestFactory requests, final AdmissionGauges health, final Duration lead)
    {
        final Scenario scenario = new Scenario(name, description, List.of(steady));
        progress.println("flood: phase " + name + " (" + description + "), " +
            String.format(Locale.ROOT, "%.1f/s", scenario.totalRatePerSecond()));
        return new ScenarioRun(scenario, normal.clients(), requests, seed + name.hashCode(), progress, health)
            .run(lead, duration, timeout.plusSeconds(5));
    }

    private Map<String, String> nodeSettings(final String flooderCode)
    {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("admission.rate.default", String.valueOf(rateLimit));
        settings.put("admission.burst.default", String.valueOf(burst));
        if (flooderRateLimit != null)
        {
            settings.put("admission.rate." + flooderCode, String.valueOf(flooderRateLimit));
            settings.put("admission.burst." + flooderCode, String.valueOf(flooderRateLimit));
        }
        settings.putAll(embeddedSettings);
        return settings;
    }

    private Map<String, String> settings(final Map<String, String> nodeSettings)
    {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("nodeSettings", nodeSettings.toString());
        settings.put("connectors", String.valueOf(connectors));
        settings.put("ratePerConnector", String.valueOf(ratePerConnector));
        settings.put("rounds", String.valueOf(rounds));
        settings.put("floodRate", floodRate == 0 ? "as fast as the connection takes them" : String.valueOf(floodRate));
        settings.put("warmup", warmup.toString());
        settings.put("duration", duration.toString());
        settings.put("timeout", timeout.toString());
        settings.put("seed", String.valueOf(seed));
        return settings;
    }

    private void validate()
    {
        if (rounds < 1 || rounds > 20)
        {
            throw new IllegalArgumentException("--rounds: " + rounds + " (expected: 1..20)");
        }
        if (connectors < 1 || connectors > 10_000)
        {
            throw new IllegalArgumentException("--connectors: " + connectors + " (expected: 1..10000)");
        }
        if (duration.isNegative() || duration.isZero())
        {
            throw new IllegalArgumentException("--duration: " + duration + " (expected: > 0)");
        }
        if (warmup.isNegative())
        {
            throw new IllegalArgumentException("--warmup: " + warmup + " (expected: >= 0)");
        }
        if (rateLimit < 1 || burst < 1)
        {
            throw new IllegalArgumentException("--rate-limit/--burst: " + rateLimit + "/" + burst + " (expected: >= 1)");
        }
        if (flooderRateLimit != null && flooderRateLimit < 1)
        {
            throw new IllegalArgumentException("--flooder-rate-limit: " + flooderRateLimit + " (expected: >= 1)");
        }
    }

    /** Like {@link NoisyNeighbourBenchmark.RateConverter}, but 0 is allowed: as fast as possible. */
    static final class FloodRateConverter implements CommandLine.ITypeConverter<Double>
    {
        @Override
        public Double convert(final String text)
        {
            return "0".equals(text.trim()) ? 0.0 : new NoisyNeighbourBenchmark.RateConverter().convert(text);
        }
    }
}
