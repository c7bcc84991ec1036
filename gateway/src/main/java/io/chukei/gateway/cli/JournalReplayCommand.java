package io.chukei.gateway.cli;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cardsim.UpstreamTestClient;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.files.PrivateFiles;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.latency.StageLogReader;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.replay.JournalReplay;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chukei journal replay}: a window of a node's accepted requests, again, against card management. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Re-send the requests a node accepted in a window, with their original spacing, to a fresh simulator " +
        "or a card-management test endpoint; report outcomes that differ from the journal's and the latency beside " +
        "the node's own per-stage histograms.")
final class JournalReplayCommand implements Callable<Integer>
{
    static final int EXIT_DIFFERENT = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Node data directory (journal in DIR/journal).")
    Path data;

    @Option(names = "--from", required = true, paramLabel = "TIME",
        description = "Window start: an ISO instant (2026-12-04T14:00:00Z; without zone: UTC), or relative to now (-30s, -10m, -2h).")
    String from;

    @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", description = "Window end, as --from, or now. Default: ${DEFAULT-VALUE}.")
    String to;

    @Option(names = "--speed", defaultValue = "1x", paramLabel = "1x|Nx|max",
        description = "1x: the original spacing; 10x: ten times faster; max: as fast as possible. Default: ${DEFAULT-VALUE}.")
    String speed;

    @Option(names = "--upstream", defaultValue = "embedded", paramLabel = "embedded|HOST:PORT",
        description = "embedded: a fresh simulator in this process (empty ledger); HOST:PORT: a card-management test endpoint. Default: ${DEFAULT-VALUE}.")
    String upstream;

    @Option(names = "--plain", description = "No TLS to HOST:PORT (a simulator started with --plain).")
    boolean plain;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The journal's key file (journal.keyFile); " +
        "default DIR/keys/journal.keys. Sealed Submits are opened with it; without it they cannot be replayed.")
    Path keyFile;

    @Option(names = "--pki", paramLabel = "DIR", description = "Dev PKI to take a node certificate from for TLS to HOST:PORT. Default: DIR/pki.")
    Path pki;

    @Option(names = "--answer-within", defaultValue = "PT60S", paramLabel = "DURATION",
        description = "How long answers may take after the last send. Default: ${DEFAULT-VALUE}.")
    Duration answerWithin;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(JournalCommand.journalDirectory(data)))
        {
            spec.commandLine().getErr().println("journal replay: no journal at " + JournalCommand.journalDirectory(data));
            return JournalCommand.EXIT_USAGE;
        }
        final Instant start = CliTimes.parse("--from", from, clock);
        final Instant end = CliTimes.parse("--to", to, clock);
        if (end.isBefore(start))
        {
            throw new IllegalArgumentException("--to: " + end + " (expected: not before --from, " + start + ")");
        }
        final JournalReplay.Settings settings = new JournalReplay.Settings(start.toEpochMilli(), end.toEpochMilli(),
            speed(speed), answerWithin);
        // The embedded simulator's ledger holds what the replay changed: scratch, removed when the replay ends.
        final Path scratch = upstream.equals("embedded") ? Files.createTempDirectory("chukei-replay") : null;
        try (Journal journal = JournalCommand.openReadOnly(data, keyFile);
             CardSimulator simulator = scratch != null ?
                 new CardSimulator(CardSimulatorConfig.builder().port(0).dataDirectory(scratch).build()).start() : null;
             UpstreamTestClient target = connect(simulator))
        {
            out.printf("replay of %s, %s .. %s, speed %s, upstream %s%n", JournalCommand.journalDirectory(data), start, end,
                speed, simulator == null ? upstream : "embedded simulator 127.0.0.1:" + simulator.port() +
                    " (scratch ledger " + simulator.ledgerFile() + ", removed when the replay ends)");
            out.flush();
            final JournalReplay.Report report = new JournalReplay(journal).run(settings, target, sent ->
            {
                out.println("  sent " + sent);
                out.flush();
            });
            print(out, report, StageLogReader.sum(data, start.toEpochMilli(), end.toEpochMilli(), null));
            return report.differCount() == 0 && report.unanswered() == 0 && report.unreadable() == 0 ?
                JournalCommand.EXIT_OK : EXIT_DIFFERENT;
        }
        finally
        {
            if (scratch != null)
            {
                PrivateFiles.deleteTree(scratch);
            }
        }
    }

    private UpstreamTestClient connect(final CardSimulator simulator) throws IOException
    {
        if (simulator != null)
        {
            return UpstreamTestClient.connect("127.0.0.1", simulator.port());
        }
        final HostPort target = HostPort.parse("--upstream", upstream);
        if (plain)
        {
            return UpstreamTestClient.connect(target.host(), target.port());
        }
        final DevPki dev = DevPki.openOrCreate(pki != null ? pki : data.resolve("pki"), MunicipalityCodes::isValid);
        return UpstreamTestClient.connect(target.host(), target.port(),
            TlsContexts.client(dev.issueNode("replay", DevPki.DEFAULT_DNS_NAMES, DevPki.DEFAULT_IP_ADDRESSES),
                PeerPolicy.upstreamClient()));
    }

    static double speed(final String text)
    {
        if (text.equalsIgnoreCase("max"))
        {
            return 0;
        }
        try
        {
            final double factor = Double.parseDouble(text.endsWith("x") ? text.substring(0, text.length() - 1) : text);
            if (factor > 0 && factor <= 1_000_000)
            {
                return factor;
            }
        }
        catch (final NumberFormatException ex)
        {
            // Reported below.
        }
        throw new IllegalArgumentException("--speed: '" + text + "' (expected: 1x, a factor such as 10x, or max)");
    }

    private static void print(final PrintWriter out, final JournalReplay.Report report,
        final Map<Stage, StageLogReader.Sum> original)
    {
        out.printf("accepted in window %d; replayed %d; same outcome %d; different %d; no recorded outcome %d; unanswered %d%n",
            report.accepted() + report.unreadable(), report.accepted(), report.same(), report.differCount(),
            report.withoutOriginal(), report.unanswered());
        if (report.unreadable() > 0)
        {
            out.printf("not replayed: %d accepted entries could not be read (sealed with a key not given: --key-file " +
                "FILE, default DIR/keys/journal.keys; or damaged: chukei journal verify)%n", report.unreadable());
        }
        if (!report.differing().isEmpty())
        {
            out.println("different outcomes (request, operation, journal -> replay)" +
                (report.differCount() > report.differing().size() ? ", first " + report.differing().size() : "") + ":");
            for (final JournalReplay.Difference difference : report.differing())
            {
                out.printf("  %s %-14s %s -> %s%n", difference.requestId(), difference.operation(), difference.original(),
                    difference.replayed());
            }
        }
        out.printf("latency, ms                %10s %9s %9s %9s %9s%n", "count", "p50", "p90", "p99", "max");
        for (final Map.Entry<Stage, StageLogReader.Sum> stage : original.entrySet())
        {
            row(out, "original " + stage.getKey().tag(), stage.getValue().histogram());
        }
        row(out, "replay upstream", report.replayNanos());
        out.flush();
    }

    private static void row(final PrintWriter out, final String name, final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            out.printf("  %-24s %10d %9s %9s %9s %9s%n", name, 0, "-", "-", "-", "-");
            return;
        }
        out.printf("  %-24s %10d %9.3f %9.3f %9.3f %9.3f%n", name, histogram.getTotalCount(),
            histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(90) / 1e6,
            histogram.getValueAtPercentile(99) / 1e6, histogram.getMaxValue() / 1e6);
    }
}
