package io.chukei.gateway.cluster;

import io.chukei.gateway.tls.AdminHttpClients;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.PeerRecheck;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.protocol.sbe.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks every peer {@code GET /cluster/self} (over mutual TLS, with this node's certificate) each {@code probeIntervalMs}; an answer within
 * {@code probeTimeoutMs} with the peer's own state is a good probe, anything else a miss
 * ({@link ClusterView} turns misses into SUSPECT).
 *
 * <p>Why the JDK's {@link HttpClient} and not a Netty client on the node's event loops: the
 * probes then never touch the threads that serve connectors, so a peer that hangs (a SIGSTOPped
 * JVM still completes TCP handshakes) cannot delay this node's own traffic; the client parses
 * HTTP, keeps one connection per peer alive and enforces the timeout, which a hand-built Netty
 * client would have to re-implement. A probe tick only starts asynchronous requests; a probe
 * still outstanding at the next tick is not waited for (a new one starts, and each result is
 * counted as it arrives), so a hung peer costs at most timeout/interval + 1 open requests.
 */
public final class PeerProber implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PeerProber.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ClusterView view;
    private final int probeIntervalMs;
    private final Duration probeTimeout;
    private final ScheduledExecutorService ticks;
    private final ExecutorService responses;
    private final HttpClient http;
    private final PeerPolicy peerPolicy;
    private final List<ClusterMember> peers;
    private final Map<Integer, Received> reports = new ConcurrentHashMap<>();

    /** A peer's answer to a probe, kept for the status page. */
    public record Received(SelfReport report, long epochMs)
    {
    }

    /**
     * {@code nodeCertificate}: this node's own certificate, which peers' admin listeners accept for probes;
     * {@code peerPolicy}: what a peer's certificate must pass (a relay node's, not revoked), in the handshake and
     * again at every answer, since the client keeps its connection alive and resumes its TLS sessions, and neither
     * calls the trust manager again.
     */
    public PeerProber(final ClusterView view, final int probeIntervalMs, final int probeTimeoutMs,
        final CertificateFiles nodeCertificate, final PeerPolicy peerPolicy)
    {
        this.peerPolicy = peerPolicy;
        this.view = view;
        this.probeIntervalMs = probeIntervalMs;
        this.probeTimeout = Duration.ofMillis(probeTimeoutMs);
        this.peers = view.peers();
        final String name = "chukei-probe-" + view.selfId() + "-" + INSTANCES.incrementAndGet();
        this.ticks = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, name + "-tick"));
        this.responses = Executors.newCachedThreadPool(runnable -> daemon(runnable, name));
        this.http = AdminHttpClients.builder(nodeCertificate, peerPolicy)
            .connectTimeout(probeTimeout)
            .executor(responses)
            .build();
    }

    /** Starts probing; with no peers there is nothing to do. */
    public PeerProber start()
    {
        if (!peers.isEmpty())
        {
            ticks.scheduleAtFixedRate(this::probeAll, 0, probeIntervalMs, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void probeAll()
    {
        for (final ClusterMember peer : peers)
        {
            try
            {
                probe(peer);
            }
            catch (final RuntimeException ex)
            {
                // A bad address must not end the schedule (an exception would cancel it).
                view.probeMissed(peer.id(), ex.toString());
            }
        }
    }

    private void probe(final ClusterMember peer)
    {
        final HttpRequest request = HttpRequest.newBuilder(AdminHttpClients.uri(peer.admin(), "/cluster/self"))
            .timeout(probeTimeout)
            .GET()
            .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) ->
        {
            if (failure != null)
            {
                view.probeMissed(peer.id(), describe(failure));
                return;
            }
            final String refusal = response.sslSession()
                .map(session -> PeerRecheck.refusal(peerPolicy, session, peer.admin() + " (probe answer)"))
                .orElse(null);
            if (refusal != null)
            {
                view.probeMissed(peer.id(), "its certificate is refused (" + refusal + ")");
                return;
            }
            if (response.statusCode() != 200)
            {
                view.probeMissed(peer.id(), "HTTP " + response.statusCode());
                return;
            }
            answered(peer, response.body());
        });
    }

    private void answered(final ClusterMember peer, final String body)
    {
        final SelfReport report;
        try
        {
            report = Json.read(body, SelfReport.class);
        }
        catch (final IllegalArgumentException ex)
        {
            view.probeMissed(peer.id(), peer.admin() + " answered no readable /cluster/self: " + ex.getMessage());
            return;
        }
        if (report.id() != peer.id())
        {
            view.probeMissed(peer.id(), peer.admin() + " answered as node " + report.id() + " (expected: node " +
                peer.id() + ")");
            return;
        }
        final NodeState state;
        try
        {
            state = NodeState.valueOf(report.state());
        }
        catch (final IllegalArgumentException | NullPointerException ex)
        {
            view.probeMissed(peer.id(), "state: '" + report.state() + "' (expected: ACTIVE, DRAINING or ISOLATED)");
            return;
        }
        reports.put(peer.id(), new Received(report, System.currentTimeMillis()));
        view.probeAnswered(peer.id(), state, report.reason());
    }

    /** The peer's latest answer and when it arrived (epoch ms); null when it never answered. */
    public Received lastReport(final int nodeId)
    {
        return reports.get(nodeId);
    }

    private String describe(final Throwable failure)
    {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
            failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException)
        {
            return "no answer within " + probeTimeout.toMillis() + " ms";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static Thread daemon(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close()
    {
        ticks.shutdownNow();
        responses.shutdownNow();
        LOG.debug("Probes of node {} stopped", view.selfId());
    }
}
