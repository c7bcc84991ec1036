package io.chukei.bench.cluster;

import io.chukei.bench.loadgen.Connections;
import io.chukei.bench.loadgen.ConnectorThreads;
import io.chukei.bench.loadgen.Municipalities;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak's reconnect storm (issue 18, item 6): a group of connectors (1,741 by default, the municipalities of
 * Japan) connected to the target node only, the node killed -9 and started again, so all of them reconnect at once
 * (with the SDK's jittered back-off) while the soak's own load goes on. Bound: every connector of the group is in
 * session again, and has a Result for a request sent after that, within {@link #SERVED_WITHIN} of the node being
 * ready; otherwise a problem of the run. The group's requests join the consistency check. Needs pre-Hello admission
 * per address raised (the group shares one source address where real municipalities have their own):
 * {@code SoakCommand} raises it to 128 when the storm is in its schedule.
 */
final class ReconnectStormFault implements AutoCloseable
{
    static final int DEFAULT_CONNECTORS = 1741;
    /** The stated bound (the storm command measured 22.5 s at load 19 on two cores). */
    static final Duration SERVED_WITHIN = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Connections group;
    private final List<String> codes;

    private ReconnectStormFault(final Connections group, final List<String> codes)
    {
        this.group = group;
        this.codes = codes;
    }

    static void inject(final LocalCluster cluster, final int target) throws InterruptedException
    {
        final PrintStream progress = System.err;
        // From the end of the code space, beside the stuck reader's code: no load connector shares a municipality.
        final List<String> codes = Municipalities.fromEnd(cluster.faultTraffic().stormConnectors() + 1)
            .subList(0, cluster.faultTraffic().stormConnectors());
        final long opening = System.nanoTime();
        final Connections group = Connections.open(List.of(cluster.node(target).connector()), cluster.pki(), codes, 1,
            REQUEST_TIMEOUT, null, ConnectorThreads.background("storm-connectors"), progress);
        final ReconnectStormFault storm = new ReconnectStormFault(group, codes);
        cluster.faultTraffic().hold(target, storm);
        if (!group.awaitSessions(WAIT))
        {
            throw new IllegalStateException("storm: " + group.openSessions() + " of " + codes.size() +
                " connectors in session with node " + target + " after " + WAIT);
        }
        progress.printf("soak: storm: %d connectors in session with node %d (%d s to open them); kill -9%n", codes.size(),
            target, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - opening));
        cluster.node(target).kill();
        if (!Waits.within(WAIT, () -> group.openSessions() == 0))
        {
            throw new IllegalStateException("storm: connectors still in session " + WAIT + " after the kill of node " + target);
        }
    }

    static void heal(final LocalCluster cluster, final int target) throws IOException, InterruptedException
    {
        try (ReconnectStormFault storm = cluster.faultTraffic().take(target, ReconnectStormFault.class))
        {
            storm.restartAndServe(cluster, target, System.err);
        }
    }

    private void restartAndServe(final LocalCluster cluster, final int target, final PrintStream progress)
        throws IOException, InterruptedException
    {
        cluster.node(target).start();
        final long ready = System.nanoTime();
        final long sessionsMs = Waits.msUntil(ready, WAIT, () -> group.openSessions() == codes.size());
        final List<SentRequest> served = new ArrayList<>(codes.size());
        for (int i = 0; i < codes.size(); i++)
        {
            final ConnectorClient client = group.clients().get(i);
            final long n = i + 1;
            served.add(new SentRequest(client.send(request(n).build()), codes.get(i), System.nanoTime(),
                id -> client.send(request(n).requestId(id).build())));
        }
        final long answeredMs = Waits.msUntil(ready, WAIT, () -> served.stream().allMatch(SentRequest::answered));
        cluster.faultTraffic().addRecords(served);
        final long results = served.stream().filter(r -> r.answer() instanceof Answer.Result).count();
        progress.printf("soak: storm: %d connectors; after node %d was ready: all in session in %s, each answered in %s " +
            "(%d Results)%n", codes.size(), target, shown(sessionsMs), shown(answeredMs), results);
        if (answeredMs < 0 || answeredMs > SERVED_WITHIN.toMillis() || results < codes.size())
        {
            cluster.faultTraffic().problem("storm on node " + target + ": " + codes.size() + " connectors, in session in " +
                shown(sessionsMs) + ", answered in " + shown(answeredMs) + " with " + results + " Results (bound: every one " +
                "within " + SERVED_WITHIN.toSeconds() + " s of ready)");
        }
    }

    private static SubmitRequest.Builder request(final long n)
    {
        return SteadyLoad.cardStatus().apply(n).timeout(REQUEST_TIMEOUT);
    }

    private static String shown(final long ms)
    {
        return ms < 0 ? "(not within " + WAIT.toSeconds() + " s)" : ms + " ms";
    }

    @Override
    public void close()
    {
        group.close();
    }
}
