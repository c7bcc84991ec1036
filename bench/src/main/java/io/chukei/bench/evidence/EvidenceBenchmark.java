package io.chukei.bench.evidence;

import io.chukei.bench.loadgen.EmbeddedNode;
import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.evidence.EvidenceBundles;
import io.chukei.gateway.evidence.EvidenceRecorder;
import io.chukei.gateway.evidence.Trigger;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from trigger to complete evidence bundle (issue 14: goal ≤ 5 s), over N triggers of one embedded node under
 * steady load, with the continuous recording running since the start: each bundle's own manifest says how long it
 * took, and how long each part took. See bench/README.md, "Evidence bundles".
 */
@Command(name = "evidence-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Triggers N evidence bundles on an embedded node under load and reports trigger -> complete bundle.",
        "Exit codes: 0 done, 1 a bundle failed, 2 bad command line."})
public final class EvidenceBenchmark implements Callable<Integer>
{
    private static final Pattern PART_MS = Pattern.compile("in (\\d+) ms");

    @Option(names = "--triggers", defaultValue = "20", description = "Bundles to write (default: ${DEFAULT-VALUE}).")
    int triggers;

    @Option(names = "--interval", defaultValue = "PT3S", description = "Pause between bundles (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--warmup", defaultValue = "PT20S", description = "Load before the first trigger, so the recording has minutes to copy (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--rate", defaultValue = "500", description = "Background requests per second (default: ${DEFAULT-VALUE}).")
    int rate;

    private final PrintStream out = System.out;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new EvidenceBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final Map<String, String> settings = Map.of("evidence.minIntervalSeconds", "0",
            "evidence.retainBundles", Integer.toString(triggers + 1));
        try (EmbeddedNode embedded = EmbeddedNode.start(null, settings))
        {
            out.println("evidence-bench: " + embedded.description());
            final DevPki pki = DevPki.openOrCreate(embedded.dataDir().resolve("pki"), MunicipalityCodes::isValid);
            final AtomicBoolean loading = new AtomicBoolean(true);
            final ConnectorClient client = ConnectorClient.builder().nodes(List.of(embedded.connectorAddress()))
                .sslContext(TlsContexts.client(pki.issueConnector("131016"), PeerPolicy.relayClient()))
                .municipalityCode("131016").connectorName("evidence-bench").defaultTimeout(Duration.ofSeconds(30)).build();
            final Thread load = new Thread(() -> load(client, loading), "evidence-bench-load");
            load.start();
            try
            {
                LockSupport.parkNanos(warmup.toNanos());
                return trigger(embedded.node().evidence());
            }
            finally
            {
                loading.set(false);
                load.join(10_000);
                client.close();
            }
        }
    }

    private int trigger(final EvidenceRecorder recorder) throws Exception
    {
        final Histogram total = new Histogram(TimeUnit.MINUTES.toMillis(5), 3);
        final Map<String, Histogram> parts = new LinkedHashMap<>();
        final List<Long> bytes = new ArrayList<>();
        out.printf("%4s %10s %10s  %s%n", "#", "total ms", "bytes", "slowest part");
        for (int i = 1; i <= triggers; i++)
        {
            final EvidenceRecorder.Outcome outcome = recorder.trigger(Trigger.OPERATOR, "evidence-bench " + i);
            if (!outcome.accepted())
            {
                out.println("evidence-bench: trigger " + i + " not accepted: " + outcome.why());
                return 1;
            }
            final Path bundle = outcome.bundle().get(2, TimeUnit.MINUTES);
            final var manifest = Json.tree(Files.readString(bundle.resolve("manifest.json")));
            final long ms = manifest.path("durationMs").asLong();
            total.recordValue(ms);
            bytes.add(EvidenceBundles.size(bundle));
            String slowest = "";
            long slowestMs = -1;
            for (final var part : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                manifest.path("parts")::fields)
            {
                final String status = part.getValue().asText();
                if (!status.startsWith("ok"))
                {
                    out.println("evidence-bench: " + bundle + " part " + part.getKey() + " " + status);
                    return 1;
                }
                final Matcher matcher = PART_MS.matcher(status);
                final long partMs = matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
                parts.computeIfAbsent(part.getKey(), key -> new Histogram(TimeUnit.MINUTES.toMillis(5), 3)).recordValue(partMs);
                if (partMs > slowestMs)
                {
                    slowestMs = partMs;
                    slowest = part.getKey() + " " + partMs + " ms";
                }
            }
            out.printf("%4d %10d %10d  %s%n", i, ms, bytes.get(bytes.size() - 1), slowest);
            LockSupport.parkNanos(interval.toNanos());
        }
        out.printf("trigger -> complete bundle, %d bundles: p50 %d ms, p90 %d ms, max %d ms (goal: <= 5000 ms: %s)%n",
            total.getTotalCount(), total.getValueAtPercentile(50), total.getValueAtPercentile(90), total.getMaxValue(),
            total.getMaxValue() <= 5000 ? "met" : "NOT met");
        out.printf("%-20s %8s %8s%n", "part", "p50 ms", "max ms");
        parts.forEach((name, h) -> out.printf("%-20s %8d %8d%n", name, h.getValueAtPercentile(50), h.getMaxValue()));
        out.printf("bundle size: median %d bytes%n", bytes.stream().sorted().toList().get(bytes.size() / 2));
        out.printf("load average: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        return 0;
    }

    private void load(final ConnectorClient client, final AtomicBoolean loading)
    {
        final long periodNs = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
        long next = System.nanoTime();
        int i = 0;
        while (loading.get())
        {
            client.submit(SubmitRequest.builder(Operation.CARD_STATUS).cardId(String.format("1234%08d", i++ % 100_000_000))
                .build());
            next += periodNs;
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
            }
        }
    }
}
