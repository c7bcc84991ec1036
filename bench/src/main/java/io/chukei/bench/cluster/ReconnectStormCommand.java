package io.chukei.bench.cluster;

import io.chukei.bench.loadgen.DurationConverter;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.sbe.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Issue 18, item 6, the reconnect storm: the load generator's municipalities (1,741), each its own connector, on one
 * node under steady load; the node is killed -9 and started again, so every connector reconnects at once (with the
 * SDK's jittered back-off). Pre-Hello admission bounds the connections before Hello (512 in all; the per-address bound
 * is raised to that too, as the connectors here share one source address where real municipalities have their own),
 * and handshake pacing the TLS handshakes each event loop works on at once. Passes (exit 0) when every connector has a
 * session and a Result again within {@code --served-within} of the node being ready, the node stayed responsive (its
 * admin API answered every probe through the storm, and the event-loop lag it reported stayed under
 * {@code --max-lag-ms}, the bound its own health check isolates at), and the consistency check finds nothing lost,
 * duplicated, unexpected or unfinished. Several minutes with 1,741 connectors on two cores: outside
 * {@code mvn verify} (bench/README.md).
 */
@Command(
    name = "storm",
    mixinStandardHelpOptions = true,
    description = "Reconnect storm: every connector of a restarted node back within a stated time, nothing lost (bench/README.md).")
public final class ReconnectStormCommand implements Callable<Integer>
{
    @Option(names = "--municipalities", defaultValue = "1741", description = "Connectors, one municipality each (default: ${DEFAULT-VALUE}).")
    private int municipalities;

    @Option(names = "--rate", defaultValue = "200", description = "Steady load, requests/s over all connectors (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "120s",
        description = "Each request's deadline (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--served-within", converter = DurationConverter.class, defaultValue = "60s",
        description = "The stated bound: every connector in session and answered again this long after the node is ready " +
            "(default: ${DEFAULT-VALUE}).")
    private Duration servedWithin;

    @Option(names = "--wait", converter = DurationConverter.class, defaultValue = "180s",
        description = "How long to wait for each step before giving up (default: ${DEFAULT-VALUE}).")
    private Duration wait;

    @Option(names = "--handshake-loop-share", paramLabel = "SHARE",
        description = "The node's admission.connections.handshakeLoopShare (default: the node's own default); 1 leaves " +
            "handshakes unpaced, as before issue 18's pacing, for a baseline in the same session.")
    private Double handshakeLoopShare;

    @Option(names = "--max-lag-ms", defaultValue = "500",
        description = "Responsive means the worst event-loop lag the node reports stays below this; the node's own " +
            "health bound, health.maxEventLoopLagMs, is 500 (default: ${DEFAULT-VALUE}).")
    private long maxLagMs;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the node keeps its files (default: a new temporary directory, kept).")
    private Path data;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ReconnectStormCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        return run(data != null ? data : Files.createTempDirectory("chukei-storm"), System.out, System.err) ? 0 : 1;
    }

    /** The storm; true when it met every bound and the check found nothing. */
    boolean run(final Path directory, final PrintStream out, final PrintStream progress)
        throws IOException, InterruptedException
    {
        final Map<String, String> nodeSettings = new HashMap<>(Map.of("admission.connections.preHelloPerAddress", "512"));
        if (handshakeLoopShare != null)
        {
            nodeSettings.put("admission.connections.handshakeLoopShare", handshakeLoopShare.toString());
        }
        final LocalCluster.Settings settings = new LocalCluster.Settings(1, 2, 20, 10, 64, nodeSettings, "512m", null);
        progress.printf("storm: node in %s, %d connectors at %.0f/s%n", directory, municipalities, rate);
        try (FailoverRun run = FailoverRun.start(directory, settings, municipalities, rate, timeout, progress))
        {
            final ClusterNode node = run.cluster().node(1);
            if (!run.awaitAnswered(400, wait))
            {
                out.println("storm: FAILED, no 400 warm-up answers within " + wait);
                return false;
            }
            final long fault = System.nanoTime();
            node.kill();
            if (!Waits.within(wait, () -> run.connections().openSessions() == 0))
            {
                out.println("storm: FAILED, connectors still in session " + wait + " after the kill");
                return false;
            }
            node.start();
            final long ready = System.nanoTime();
            final AdminProbe probe = AdminProbe.start(node);
            final long sessionsMs = Waits.msUntil(ready, wait, () -> run.connections().openSessions() == municipalities);
            final long answeredMs = Waits.msUntil(ready, wait, () -> everyMunicipalityAnsweredSince(run, ready));
            probe.stop();
            out.printf("storm: %d connectors; after the node was ready: all in session in %s, each with a Result in %s; " +
                "admin probes during the storm: %d, failed %d, slowest %d ms; worst event-loop lag the node reported: %d ms%n",
                municipalities, shown(sessionsMs), shown(answeredMs), probe.sent(), probe.failed(), probe.slowestMs(),
                probe.worstEventLoopLagMs());
            if (!probe.failures().isEmpty())
            {
                out.println("storm: admin probes that failed, from the node's ready: " + probe.failures());
            }
            if (!probe.notedLags().isEmpty())
            {
                out.println("storm: event-loop lags of 100 ms or more the node reported, from its ready: " + probe.notedLags());
            }
            final ConsistencyCheck.Report report = run.finish(wait, Set.<ErrorCode>of());
            out.printf("storm: %d requests, the last unresolved at the kill answered %d ms after it%n%s", report.submitted(),
                run.lastAffectedMs(fault), report.table());
            final boolean served = answeredMs >= 0 && answeredMs < servedWithin.toMillis();
            final boolean responsive = probe.failed() == 0 && probe.worstEventLoopLagMs() < maxLagMs;
            out.printf("storm: every connector served within %s: %s; node responsive throughout (every admin probe " +
                    "answered, event-loop lag under %d ms): %s; consistency: %s%n",
                servedWithin, served ? "yes" : "NO", maxLagMs, responsive ? "yes" : "NO", report.ok() ? "OK" : "FAILED");
            return served && responsive && report.ok();
        }
    }

    private static String shown(final long ms)
    {
        return ms < 0 ? "(not within the wait)" : ms + " ms";
    }

    private static boolean everyMunicipalityAnsweredSince(final FailoverRun run, final long since)
    {
        final Set<String> served = new HashSet<>();
        for (final SentRequest request : run.load().sent())
        {
            if (request.answered() && request.answeredNanos() > since && request.answer() instanceof Answer.Result)
            {
                served.add(request.municipality());
            }
        }
        return served.size() == run.connections().size();
    }
}
