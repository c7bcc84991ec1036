package io.chukei.bench.loadgen;

import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.ClusterNode;
import io.chukei.protocol.client.ConnectorClient;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Learns a cluster's connector addresses from the view a node sends in Welcome, through one
 * short-lived connector session, so {@code --node A} loads every node of A's cluster. The
 * addresses are taken as the view writes them (the cluster list's {@code host:port}): the SDK's
 * rendezvous score is over that text, so the generator's connectors choose the same home nodes
 * as any connector configured with the cluster list.
 */
final class ClusterDiscovery
{
    private static final String PROBE_NAME = "chukei-loadgen-probe/0.1";
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private ClusterDiscovery()
    {
    }

    /**
     * The cluster view in the Welcome of one of {@code seeds} (the first usable by rendezvous, failing over as the
     * SDK does); empty when none sent a Welcome within {@code timeout}.
     *
     * @param municipalityCode the probe connects as this municipality (its certificate from {@code pki})
     */
    static Optional<List<ClusterNode>> discover(final List<InetSocketAddress> seeds, final DevPki pki, final String municipalityCode,
        final Duration timeout)
    {
        final TrackingNodeSelector selector = new TrackingNodeSelector(municipalityCode, seeds);
        try (ConnectorClient probe = ConnectorClient.builder()
            .nodes(seeds)
            .nodeSelector(selector)
            .sslContext(TlsContexts.client(pki.issueConnector(municipalityCode), PeerPolicy.relayClient()))
            .municipalityCode(municipalityCode)
            .connectorName(PROBE_NAME)
            .build())
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (selector.lastView() == null)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    return Optional.empty();
                }
                LockSupport.parkNanos(POLL_NS);
            }
            return Optional.of(selector.lastView());
        }
    }

    /**
     * The addresses a view names, in node-id order; {@code seeds} when it names fewer than two nodes (a single node's
     * view may name its listen address, e.g. 0.0.0.0, rather than the one dialled).
     */
    static List<InetSocketAddress> nodesOf(final List<ClusterNode> view, final List<InetSocketAddress> seeds)
    {
        if (view.size() < 2)
        {
            return seeds;
        }
        final List<ClusterNode> byId = new ArrayList<>(view);
        byId.sort(Comparator.comparingInt(ClusterNode::nodeId));
        final List<InetSocketAddress> nodes = new ArrayList<>(byId.size());
        for (final ClusterNode node : byId)
        {
            nodes.add(HostPort.parse("address of node " + node.nodeId() + " in the cluster view", node.address()).toSocketAddress());
        }
        return nodes;
    }
}
