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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Issue 18, item 6, the reconnect storm: the load generator's municipalities (1,741), each its own connector, on one
 * node under steady load; the node is killed -9 and started again, so every connector reconnects at once (with the
 * SDK's jittered back-off). Pre-Hello admission bounds the handshakes in progress (512 in all; the per-address bound
 * is raised to that too, as the connectors here share one source address where real municipalities have their own).
 * Passes (exit 0) when every connector has a session and a Result again within {@code --served-within} of the node
 * being ready, the node's admin API answered every probe through the storm, and the consistency check finds nothing
 * lost, duplicated, unexpected or unfinished. Several minutes with 1,741 connectors on two cores: outside
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
        final LocalCluster.Settings settings = new LocalCluster.Settings(1, 2, 20, 10, 64,
            Map.of("admission.connections.preHelloPerAddress", "512"), "512m", null);
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
                "admin probes during the storm: %d, failed %d, slowest %d ms%n", municipalities, shown(sessionsMs),
                shown(answeredMs), probe.sent(), probe.failed(), probe.slowestMs());
            final ConsistencyCheck.Report report = run.finish(wait, Set.<ErrorCode>of());
            out.printf("storm: %d requests, the last unresolved at the kill answered %d ms after it%n%s", report.submitted(),
                run.lastAffectedMs(fault), report.table());
            final boolean served = answeredMs >= 0 && answeredMs < servedWithin.toMillis();
            out.printf("storm: every connector served within %s: %s; admin API answered throughout: %s; consistency: %s%n",
                servedWithin, served ? "yes" : "NO", probe.failed() == 0 ? "yes" : "NO", report.ok() ? "OK" : "FAILED");
            return served && probe.failed() == 0 && report.ok();
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
