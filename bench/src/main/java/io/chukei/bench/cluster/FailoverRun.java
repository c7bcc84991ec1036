package io.chukei.bench.cluster;

import io.chukei.bench.loadgen.Connections;
import io.chukei.bench.loadgen.ConnectorThreads;
import io.chukei.bench.loadgen.Municipalities;
import io.chukei.bench.netlab.NetworkLab;
import io.chukei.gateway.cardsim.Ledger;
import io.chukei.protocol.client.outbox.ConnectorOutbox;
import io.chukei.protocol.sbe.ErrorCode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A cluster under steady connector load, ready for faults: starts the cluster and the
 * connectors, keeps the load going, and at the end stops the load, waits for every answer,
 * lets the cluster go idle, stops it and runs the {@link ConsistencyCheck}.
 */
public final class FailoverRun implements AutoCloseable
{
    private final LocalCluster cluster;
    private final Connections connections;
    private final List<String> codes;
    private final Duration requestTimeout;
    private final double ratePerSecond;
    /** The load since the last {@link #checkpoint} (or the start). */
    private SteadyLoad load;
    /** Every request of the loads before the last checkpoint: the checks cover them too. */
    private final List<SentRequest> earlier = new java.util.ArrayList<>();
    private boolean stopped;

    private FailoverRun(final LocalCluster cluster, final Connections connections, final List<String> codes,
        final Duration requestTimeout, final double ratePerSecond, final SteadyLoad load)
    {
        this.cluster = cluster;
        this.connections = connections;
        this.codes = codes;
        this.requestTimeout = requestTimeout;
        this.ratePerSecond = ratePerSecond;
        this.load = load;
    }

    /**
     * @param municipalities how many connectors (one municipality each)
     * @param ratePerSecond the steady load, spread round-robin over them
     * @param requestTimeout each request's deadline
     */
    public static FailoverRun start(final Path directory, final LocalCluster.Settings settings, final int municipalities,
        final double ratePerSecond, final Duration requestTimeout, final PrintStream progress)
        throws IOException, InterruptedException
    {
        return start(directory, settings, null, municipalities, ratePerSecond, requestTimeout, null, progress);
    }

    /** As above, the nodes in {@code lab}'s namespaces (null: on loopback); see {@link LocalCluster#start(Path, LocalCluster.Settings, NetworkLab)}. */
    public static FailoverRun start(final Path directory, final LocalCluster.Settings settings, final NetworkLab lab,
        final int municipalities, final double ratePerSecond, final Duration requestTimeout, final PrintStream progress)
        throws IOException, InterruptedException
    {
        return start(directory, settings, lab, municipalities, ratePerSecond, requestTimeout, null, progress);
    }

    /** As above, every connector recording its requests in an outbox in {@code outboxDir} (null: none). */
    public static FailoverRun start(final Path directory, final LocalCluster.Settings settings, final NetworkLab lab,
        final int municipalities, final double ratePerSecond, final Duration requestTimeout, final Path outboxDir,
        final PrintStream progress) throws IOException, InterruptedException
    {
        final LocalCluster cluster = LocalCluster.start(directory, settings, lab);
        Connections connections = null;
        try
        {
            final List<String> codes = Municipalities.generate(municipalities, 0).codes();
            final ConnectorOutbox outbox = outboxDir == null ? null : ConnectorOutbox.open(outboxDir);
            connections = Connections.open(cluster.connectorAddresses(), cluster.pki(), codes, 1, requestTimeout, outbox,
                ConnectorThreads.background("load-connectors"), progress);
            if (!connections.awaitSessions(Duration.ofSeconds(60)))
            {
                throw new IllegalStateException("connectors: " + connections.openSessions() + " of " + municipalities +
                    " sessions open after 60 s");
            }
            final SteadyLoad load = new SteadyLoad(connections.clients(), codes, requestTimeout, SteadyLoad.cardStatus());
            load.start(ratePerSecond);
            return new FailoverRun(cluster, connections, codes, requestTimeout, ratePerSecond, load);
        }
        catch (final RuntimeException ex)
        {
            if (connections != null)
            {
                connections.close();
            }
            cluster.close();
            throw ex;
        }
    }

    public LocalCluster cluster()
    {
        return cluster;
    }

    public SteadyLoad load()
    {
        return load;
    }

    public Connections connections()
    {
        return connections;
    }

    /** Waits until at least {@code count} requests have their final answer; false after the timeout. */
    public boolean awaitAnswered(final int count, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            if (load.sent().stream().filter(SentRequest::answered).count() >= count)
            {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return false;
    }

    /** How many requests have their final answer now. */
    public long answered()
    {
        return load.sent().stream().filter(SentRequest::answered).count();
    }

    /**
     * Stops the load, waits for every answer, waits until the cluster is idle, stops every node
     * and the simulator, and checks connectors vs journals vs ledger.
     */
    public ConsistencyCheck.Report finish(final Duration answerTimeout, final Set<ErrorCode> allowed)
        throws InterruptedException
    {
        return finish(answerTimeout, allowed, List.of());
    }

    /** As {@link #finish(Duration, Set)}, the check also covering {@code others}: requests sent beside the load. */
    public ConsistencyCheck.Report finish(final Duration answerTimeout, final Set<ErrorCode> allowed,
        final List<? extends RequestRecord> others) throws InterruptedException
    {
        load.stopSending();
        load.awaitAnswers(answerTimeout);
        cluster.awaitIdle(Duration.ofSeconds(30));
        stopEverything();
        return check(allowed, others);
    }

    /**
     * The check without stopping the cluster, so that one cluster serves several fault cases: stops the load, waits
     * for every answer and for the cluster to go idle, checks every request sent since the start (journals read
     * while the nodes run), then starts a new load at the same rate over the same connectors.
     */
    public ConsistencyCheck.Report checkpoint(final Duration answerTimeout, final Set<ErrorCode> allowed)
        throws InterruptedException
    {
        load.stopSending();
        load.awaitAnswers(answerTimeout);
        cluster.awaitIdle(Duration.ofSeconds(30));
        final ConsistencyCheck.Report report = check(allowed, List.of());
        earlier.addAll(load.sent());
        load = new SteadyLoad(connections.clients(), codes, requestTimeout, SteadyLoad.cardStatus());
        load.start(ratePerSecond);
        return report;
    }

    private ConsistencyCheck.Report check(final Set<ErrorCode> allowed, final List<? extends RequestRecord> others)
    {
        final List<RequestRecord> all = new java.util.ArrayList<>(earlier);
        all.addAll(load.sent());
        all.addAll(others);
        // Requests of the faults' own connectors (the stuck reader, the reconnect storm).
        all.addAll(cluster.faultTraffic().records());
        return ConsistencyCheck.check(all, Ledger.appliedCounts(cluster.simulator().ledgerFile()),
            cluster.nodes().stream().map(ClusterNode::journalDir).toList(), allowed);
    }

    /**
     * Milliseconds from {@code faultNanos} to the last answer of a request that was unresolved at
     * that moment; 0 when none was.
     */
    public long lastAffectedMs(final long faultNanos)
    {
        long last = faultNanos;
        for (final SentRequest request : load.sent())
        {
            if (request.unresolvedAt(faultNanos) && request.answered())
            {
                last = Math.max(last, request.answeredNanos());
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(last - faultNanos);
    }

    private void stopEverything()
    {
        if (!stopped)
        {
            stopped = true;
            connections.close();
            cluster.close();
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        load.close();
        stopEverything();
    }
}
