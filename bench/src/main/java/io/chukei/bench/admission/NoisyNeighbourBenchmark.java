package io.chukei.bench.admission;

import io.chukei.bench.loadgen.Connections;
import io.chukei.bench.loadgen.DurationConverter;
import io.chukei.bench.loadgen.EmbeddedNode;
import io.chukei.bench.loadgen.MachineInfo;
import io.chukei.bench.loadgen.Municipalities;
import io.chukei.bench.loadgen.OperationMix;
import io.chukei.bench.loadgen.RequestFactory;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
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

/**
 * The noisy-neighbour benchmark (design brief, promise 5): normal municipalities' final-answer
 * latency without (A) and with (B) one municipality sending 20x its rate limit, and interactive
 * against batch latency while batch floods (C), open loop over real TLS against a relay node
 * whose card-management simulator has a limited capacity. See bench/README.md, "Noisy neighbour".
 *
 * <pre>
 * java &lt;chukei.jvm.flags&gt; -cp bench/target/chukei-bench.jar io.chukei.bench.admission.NoisyNeighbourBenchmark \
 *     --municipalities 300 --duration 20s
 * </pre>
 */
@Command(
    name = "noisy-neighbour",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs scenarios A (quiet), B (one noisy municipality at 20x its limit) and C (batch flood) back to back against one relay node,",
        "open loop over TLS, and reports the normal municipalities' latency B/A, the noisy one's RATE_LIMITED fraction and",
        "interactive vs batch latency. Writes OUT/summary.json. Goals are reported, not enforced.",
        "Exit codes: 0 done, 1 errors above --max-error-rate, 2 bad command line, 3 could not connect."
    })
public final class NoisyNeighbourBenchmark implements Callable<Integer>
{
    static final int EXIT_OK = 0;
    static final int EXIT_TOO_MANY_ERRORS = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NOT_CONNECTED = 3;
    static final String SUMMARY_FILE = "summary.json";
    private static final String SERVICE_TIME_KEY = "cardsim.serviceTimeMs";

    @Option(names = "--municipalities", paramLabel = "N", defaultValue = "1741",
        description = "Normal municipalities (default: ${DEFAULT-VALUE}); one noisy one and the batch flooders come on top.")
    private int municipalities;

    @Option(names = "--normal-rate-per-municipality", paramLabel = "R[/s]", defaultValue = "0.5", converter = RateConverter.class,
        description = "Each normal municipality's rate (default: ${DEFAULT-VALUE}/s).")
    private double normalRate;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "5",
        description = "admission.rate.default of the embedded node, requests/s per municipality (default: ${DEFAULT-VALUE}).")
    private int rateLimit;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "10", description = "admission.burst.default of the embedded node (default: ${DEFAULT-VALUE}).")
    private int burst;

    @Option(names = "--noisy-factor", paramLabel = "F", defaultValue = "20",
        description = "The noisy municipality sends F x --rate-limit (default: ${DEFAULT-VALUE}).")
    private double noisyFactor;

    @Option(names = "--noisy-rate", paramLabel = "R[/s]", converter = RateConverter.class,
        description = "The noisy municipality's rate instead of --noisy-factor.")
    private Double noisyRate;

    @Option(names = "--upstream-capacity", paramLabel = "R[/s]", converter = RateConverter.class,
        description = "Card-management capacity to simulate (default: 1.25 x the normal municipalities' total rate); sets cardsim.serviceTimeMs.")
    private Double upstreamCapacity;

    @Option(names = "--service-time-ms", paramLabel = "MS", description = "cardsim.serviceTimeMs directly, instead of --upstream-capacity.")
    private Long serviceTimeMs;

    @Option(names = "--batch-flooders", paramLabel = "N", defaultValue = "4",
        description = "Municipalities flooding PREISSUE_SETUP at BATCH priority in C, rate limits raised (default: ${DEFAULT-VALUE}).")
    private int batchFlooders;

    @Option(names = "--batch-flood-rate", paramLabel = "R[/s]", converter = RateConverter.class,
        description = "The flooders' rate together (default: the upstream capacity, so C offers ~1.8x what card management can serve).")
    private Double batchFloodRate;

    @Option(names = "--mix", paramLabel = "OP[:PRIO]=W,...", defaultValue = NoisyNeighbourPlan.DEFAULT_NORMAL_MIX,
        description = "Normal and noisy traffic's operations (default: ${DEFAULT-VALUE}, all interactive).")
    private String mixText;

    @Option(names = "--scenarios", paramLabel = "A,B,C", split = ",", defaultValue = "A,B,C",
        description = "Which scenarios, in order (default: ${DEFAULT-VALUE}).")
    private List<String> scenarioNames;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30s",
        description = "Measured length of each scenario (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
        description = "Unrecorded lead-in of each scenario, same traffic (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
        description = "Each request's deadline (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--embedded-set", paramLabel = "KEY=VALUE",
        description = "More embedded node settings (gateway/README.md); they win over the benchmark's own. Repeatable.")
    private Map<String, String> embeddedSettings = new LinkedHashMap<>();

    @Option(names = "--data", paramLabel = "DIR", description = "The embedded node's data directory (default: a temporary one, deleted after).")
    private Path data;

    @Option(names = "--node", paramLabel = "HOST:PORT",
        description = "Use a running node instead of an embedded one (its admission.* and simulator must be configured to match; needs --pki).")
    private String node;

    @Option(names = "--pki", paramLabel = "DIR", description = "With --node: the dev PKI directory of that node.")
    private Path pki;

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "With --node: its plain listener (admin.plainListen), to sample the admission gauges from /metrics (optional).")
    private String admin;

    @Option(names = "--io-threads", paramLabel = "N", description = "Client event loop threads (default: min(2, processors)).")
    private Integer ioThreads;

    @Option(names = "--max-error-rate", paramLabel = "R", defaultValue = "1%",
        description = "Exit 1 when errors / sent exceed this (1% or 0.01) (default: ${DEFAULT-VALUE}).")
    private String maxErrorRateText;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of traffic and field values (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "noisy-neighbour-results",
        description = "Directory for " + SUMMARY_FILE + " (default: ${DEFAULT-VALUE}).")
    private Path out;

    private final PrintStream progress;
    private final PrintStream stdout;
    private NoisyNeighbourReport lastReport;

    public NoisyNeighbourBenchmark()
    {
        this(System.err, System.out);
    }

    NoisyNeighbourBenchmark(final PrintStream progress, final PrintStream stdout)
    {
        this.progress = progress;
        this.stdout = stdout;
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new NoisyNeighbourBenchmark()).execute(args));
    }

    /** The report of the last completed run, for tests. */
    NoisyNeighbourReport lastReport()
    {
        return lastReport;
    }

    @Override
    public Integer call() throws Exception
    {
        final NoisyNeighbourPlan plan;
        final double maxErrorRate;
        try
        {
            plan = plan();
            maxErrorRate = io.chukei.bench.loadgen.LoadGenerator.errorRate(maxErrorRateText);
        }
        catch (final IllegalArgumentException ex)
        {
            progress.println("noisy-neighbour: " + ex.getMessage());
            return EXIT_USAGE;
        }
        final List<String> codes = Municipalities.generate(plan.municipalityCount(), 0).codes();
        final Map<String, String> nodeSettings = new LinkedHashMap<>(plan.nodeSettings(codes));
        nodeSettings.putAll(embeddedSettings);
        Files.createDirectories(out);
        try (EmbeddedNode embeddedNode = node == null ? EmbeddedNode.start(data, nodeSettings) : null)
        {
            final InetSocketAddress target;
            final Path pkiDir;
            AdmissionGauges gauges = admin != null ? new AdmissionGauges(HostPort.parse("--admin", admin).toSocketAddress()) : null;
            if (embeddedNode != null)
            {
                progress.println("noisy-neighbour: " + embeddedNode.description());
                target = embeddedNode.connectorAddress();
                pkiDir = embeddedNode.dataDir().resolve("pki");
                gauges = new AdmissionGauges(embeddedNode.metricsAddress());
            }
            else
            {
                target = HostPort.parse("--node", node).toSocketAddress();
                pkiDir = pki;
                progress.println("noisy-neighbour: external node " + target + "; it must run with " + nodeSettings);
            }
            return run(plan, nodeSettings, target, DevPki.openOrCreate(pkiDir, MunicipalityCodes::isValid), codes, gauges, maxErrorRate);
        }
    }

    private int run(final NoisyNeighbourPlan plan, final Map<String, String> nodeSettings, final InetSocketAddress target,
        final DevPki devPki, final List<String> codes, final AdmissionGauges gauges, final double maxErrorRate) throws IOException
    {
        final int threads = ioThreads != null ? ioThreads : Math.min(2, Runtime.getRuntime().availableProcessors());
        progress.println(String.format(Locale.ROOT,
            "noisy-neighbour: %d normal municipalities x %.2f/s = %.1f/s; noisy %.1f/s (limit %d/s, burst %d); upstream capacity %.1f/s " +
                "(simulator concurrency %d x service time %d ms); batch flood %.1f/s from %d municipalities (limit %d/s each)",
            plan.normalMunicipalities(), plan.normalRatePerMunicipality(), plan.normalRate(), plan.noisyRate(), plan.rateLimit(),
            plan.burst(), plan.upstreamCapacityPerSecond(), plan.simulatorConcurrency(), plan.serviceTimeMs(), plan.batchFloodRate(),
            plan.batchFlooders(), plan.flooderRateLimit()));
        try (Connections connections = Connections.open(target, devPki, codes, threads, timeout, progress))
        {
            final Duration connectTimeout = Duration.ofSeconds(30).plusMillis(20L * codes.size());
            if (!connections.awaitSessions(connectTimeout))
            {
                progress.println("noisy-neighbour: only " + connections.openSessions() + " of " + connections.size() +
                    " sessions open after " + connectTimeout.toSeconds() + " s (expected: all); is the node at " + target + " up?");
                return EXIT_NOT_CONNECTED;
            }
            final Map<String, String> machine = new LinkedHashMap<>(MachineInfo.describe());
            final RequestFactory requests = new RequestFactory(seed, timeout, codes.size(), 0, Instant.now().toEpochMilli() * 1000);
            final List<ScenarioResult> results = new ArrayList<>();
            for (final Scenario scenario : plan.scenarios())
            {
                progress.println("noisy-neighbour: scenario " + scenario.name() + " (" + scenario.description() + "), " +
                    String.format(Locale.ROOT, "%.1f/s", scenario.totalRatePerSecond()));
                results.add(new ScenarioRun(scenario, connections.clients(), requests, seed + results.size(), progress, gauges)
                    .run(warmup, duration, timeout.plusSeconds(5)));
            }
            machine.put("loadAverageAtEnd", MachineInfo.loadAverage());
            final NoisyNeighbourReport report = new NoisyNeighbourReport(results, settings(plan, nodeSettings, target, threads), machine);
            lastReport = report;
            final Path summary = out.resolve(SUMMARY_FILE);
            Files.writeString(summary, report.json(), StandardCharsets.UTF_8);
            stdout.print(report.table());
            stdout.println("noisy-neighbour: wrote " + summary);
            if (report.errorRate() > maxErrorRate)
            {
                stdout.printf(Locale.ROOT, "noisy-neighbour: error rate %.3f%% above --max-error-rate %.3f%% (exit %d)%n",
                    report.errorRate() * 100, maxErrorRate * 100, EXIT_TOO_MANY_ERRORS);
                return EXIT_TOO_MANY_ERRORS;
            }
            return EXIT_OK;
        }
    }

    private NoisyNeighbourPlan plan()
    {
        if (node != null && pki == null)
        {
            throw new IllegalArgumentException("--node without --pki (expected: the node's dev PKI directory, e.g. DATA/pki)");
        }
        if (upstreamCapacity != null && serviceTimeMs != null)
        {
            throw new IllegalArgumentException("--upstream-capacity and --service-time-ms both given (expected: one of them)");
        }
        positive("--duration", duration);
        positive("--timeout", timeout);
        if (warmup.isNegative())
        {
            throw new IllegalArgumentException("--warmup: " + warmup + " (expected: >= 0)");
        }
        if (municipalities < 1 || municipalities > 10_000)
        {
            throw new IllegalArgumentException("--municipalities: " + municipalities + " (expected: 1..10000)");
        }
        final int concurrency = embeddedSimulatorConcurrency();
        final long serviceTime;
        if (embeddedSettings.containsKey(SERVICE_TIME_KEY))
        {
            serviceTime = Long.parseLong(embeddedSettings.get(SERVICE_TIME_KEY).trim());
        }
        else if (serviceTimeMs != null)
        {
            serviceTime = serviceTimeMs;
        }
        else
        {
            serviceTime = NoisyNeighbourPlan.serviceTimeMsFor(
                upstreamCapacity != null ? upstreamCapacity : NoisyNeighbourPlan.DEFAULT_CAPACITY_HEADROOM * municipalities * normalRate,
                concurrency);
        }
        final double capacity = serviceTime == 0 ? Double.MAX_VALUE : concurrency * 1000.0 / serviceTime;
        return new NoisyNeighbourPlan(municipalities, normalRate, rateLimit, burst, noisyRate != null ? noisyRate : noisyFactor * rateLimit,
            concurrency, serviceTime, batchFlooders, batchFloodRate != null ? batchFloodRate : capacity, OperationMix.parse(mixText),
            scenarioNames.stream().map(name -> name.trim().toUpperCase(Locale.ROOT)).toList());
    }

    private Map<String, String> settings(final NoisyNeighbourPlan plan, final Map<String, String> nodeSettings,
        final InetSocketAddress target, final int threads)
    {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node", (node == null ? "embedded " : "") + target.getHostString() + ":" + target.getPort());
        settings.put("nodeSettings", nodeSettings.toString());
        settings.put("normalMunicipalities", String.valueOf(plan.normalMunicipalities()));
        settings.put("normalRatePerMunicipality", String.valueOf(plan.normalRatePerMunicipality()));
        settings.put("rateLimit", String.valueOf(plan.rateLimit()));
        settings.put("burst", String.valueOf(plan.burst()));
        settings.put("noisyRate", String.valueOf(plan.noisyRate()));
        settings.put("simulatorConcurrency", String.valueOf(plan.simulatorConcurrency()));
        settings.put("serviceTimeMs", String.valueOf(plan.serviceTimeMs()));
        settings.put("upstreamCapacityPerSecond", String.format(Locale.ROOT, "%.1f", plan.upstreamCapacityPerSecond()));
        settings.put("batchFlooders", String.valueOf(plan.batchFlooders()));
        settings.put("batchFloodRate", String.valueOf(plan.batchFloodRate()));
        settings.put("flooderRateLimit", String.valueOf(plan.flooderRateLimit()));
        settings.put("mix", plan.normalMix().toString());
        settings.put("scenarios", plan.scenarioNames().toString());
        settings.put("sameNodeForAllScenarios", "true");
        settings.put("warmup", warmup.toString());
        settings.put("duration", duration.toString());
        settings.put("timeout", timeout.toString());
        settings.put("ioThreads", String.valueOf(threads));
        settings.put("seed", String.valueOf(seed));
        return settings;
    }

    /**
     * How many requests the embedded simulator serves at once: not a node key today, so the
     * simulator's own default, read from its config builder rather than copied here.
     */
    static int embeddedSimulatorConcurrency()
    {
        return CardSimulatorConfig.builder().dataDirectory(Path.of(".")).build().concurrency();
    }

    private static void positive(final String option, final Duration value)
    {
        if (value.isNegative() || value.isZero())
        {
            throw new IllegalArgumentException(option + ": " + value + " (expected: > 0)");
        }
    }

    /** "0.5", "100" or "100/s": requests per second, > 0. */
    static final class RateConverter implements ITypeConverter<Double>
    {
        @Override
        public Double convert(final String text)
        {
            final String trimmed = text.trim();
            final String number = trimmed.endsWith("/s") ? trimmed.substring(0, trimmed.length() - 2) : trimmed;
            try
            {
                final double value = Double.parseDouble(number);
                if (value > 0 && !Double.isInfinite(value))
                {
                    return value;
                }
            }
            catch (final NumberFormatException ex)
            {
                // reported below
            }
            throw new TypeConversionException("'" + text + "' (expected: requests per second > 0, e.g. 0.5, 100 or 100/s)");
        }
    }
}
