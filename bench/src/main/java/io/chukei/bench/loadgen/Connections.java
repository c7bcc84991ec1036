package io.chukei.bench.loadgen;

import io.chukei.gateway.transport.Transport;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.ConnectorClientBuilder;
import io.chukei.protocol.client.outbox.ConnectorOutbox;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@link ConnectorClient} (one TLS session) per municipality that gets traffic, each with
 * its own certificate from the dev PKI, all on one shared event loop group so a thousand
 * connections cost a thread or two rather than a thousand. Given a cluster's nodes, each client
 * chooses its home node and fails over as the SDK does by default ({@link TrackingNodeSelector});
 * nothing here pins a municipality to a node.
 */
public final class Connections implements AutoCloseable
{
    private static final String CONNECTOR_NAME = "chukei-loadgen/0.1";
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final EventLoopGroup group;
    private final List<InetSocketAddress> nodes;
    private final List<ConnectorClient> clients;
    private final List<TrackingNodeSelector> selectors = new ArrayList<>();
    /** Shared by every client, closed after them; null without one. */
    private final ConnectorOutbox outbox;

    private Connections(final EventLoopGroup group, final List<InetSocketAddress> nodes, final List<ConnectorClient> clients,
        final ConnectorOutbox outbox)
    {
        this.group = group;
        this.nodes = List.copyOf(nodes);
        this.clients = clients;
        this.outbox = outbox;
    }

    /** Issues (or reuses) each municipality's certificate and starts its client; connecting goes on in the background. */
    public static Connections open(
        final InetSocketAddress node,
        final DevPki pki,
        final List<String> municipalityCodes,
        final int ioThreads,
        final Duration requestTimeout,
        final PrintStream progress)
    {
        return open(List.of(node), pki, municipalityCodes, ioThreads, requestTimeout, progress);
    }

    /** As {@link #open(InetSocketAddress, DevPki, List, int, Duration, PrintStream)}, each client knowing every node of a cluster. */
    public static Connections open(
        final List<InetSocketAddress> nodes,
        final DevPki pki,
        final List<String> municipalityCodes,
        final int ioThreads,
        final Duration requestTimeout,
        final PrintStream progress)
    {
        return open(nodes, pki, municipalityCodes, ioThreads, requestTimeout, null, progress);
    }

    /**
     * As {@link #open(List, DevPki, List, int, Duration, PrintStream)}, every client recording its requests in
     * {@code outbox} (null: none), which these connections own and close after the clients. Requests an earlier run
     * left unresolved there are sent again; their answers are only counted in the outbox.
     */
    public static Connections open(
        final List<InetSocketAddress> nodes,
        final DevPki pki,
        final List<String> municipalityCodes,
        final int ioThreads,
        final Duration requestTimeout,
        final ConnectorOutbox outbox,
        final PrintStream progress)
    {
        return open(nodes, pki, municipalityCodes, ioThreads, requestTimeout, outbox, ConnectorThreads.normal("connectors"),
            progress);
    }

    /**
     * As {@link #open(List, DevPki, List, int, Duration, ConnectorOutbox, PrintStream)}, the clients' I/O on threads from
     * {@code threads} (e.g. {@link ConnectorThreads#background}, for connectors played beside the nodes under test).
     */
    public static Connections open(
        final List<InetSocketAddress> nodes,
        final DevPki pki,
        final List<String> municipalityCodes,
        final int ioThreads,
        final Duration requestTimeout,
        final ConnectorOutbox outbox,
        final ThreadFactory threads,
        final PrintStream progress)
    {
        // Native epoll where it loads, as the node under test uses: NIO costs the generator more CPU per request.
        final Transport transport = Transport.best();
        final EventLoopGroup group = transport.newGroup(ioThreads, threads);
        final List<ConnectorClient> clients = new ArrayList<>(municipalityCodes.size());
        final Connections connections = new Connections(group, nodes, clients, outbox);
        try
        {
            for (final String code : municipalityCodes)
            {
                final TrackingNodeSelector selector = new TrackingNodeSelector(code, nodes);
                connections.selectors.add(selector);
                final ConnectorClientBuilder builder = ConnectorClient.builder()
                    .nodes(nodes)
                    .nodeSelector(selector)
                    .sslContext(TlsContexts.client(pki.issueConnector(code), PeerPolicy.relayClient()))
                    .municipalityCode(code)
                    .connectorName(CONNECTOR_NAME)
                    .defaultTimeout(requestTimeout)
                    .eventLoopGroup(group, transport.channelType());
                if (outbox != null)
                {
                    builder.outbox(outbox, recovered -> { });
                }
                clients.add(builder.build());
                if (clients.size() % 200 == 0)
                {
                    progress.println("loadgen: " + clients.size() + "/" + municipalityCodes.size() + " connectors started");
                }
            }
            return connections;
        }
        catch (final RuntimeException ex)
        {
            connections.close();
            throw ex;
        }
    }

    /** Waits until every client has an open session; false when {@code timeout} passes first. */
    public boolean awaitSessions(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (openSessions() < clients.size())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            LockSupport.parkNanos(POLL_NS);
        }
        return true;
    }

    public int openSessions()
    {
        int open = 0;
        for (final ConnectorClient client : clients)
        {
            if (client.stats().sessionOpen())
            {
                open++;
            }
        }
        return open;
    }

    /** Municipalities by the node they prefer when all are usable (rendezvous), in the order of the nodes given. */
    public Map<String, Integer> homesByNode()
    {
        final Map<String, Integer> homes = emptyByNode();
        for (final TrackingNodeSelector selector : selectors)
        {
            homes.merge(name(selector.firstChoice()), 1, Integer::sum);
        }
        return homes;
    }

    /** Connectors by the node they are connected to (or trying) now. */
    public Map<String, Integer> connectorsByNode()
    {
        final Map<String, Integer> connected = emptyByNode();
        for (final TrackingNodeSelector selector : selectors)
        {
            final InetSocketAddress current = selector.current();
            if (current != null)
            {
                connected.merge(name(current), 1, Integer::sum);
            }
        }
        return connected;
    }

    /** Times a connector went to another node, summed over all of them. */
    public long moves()
    {
        long moves = 0;
        for (final TrackingNodeSelector selector : selectors)
        {
            moves += selector.moves();
        }
        return moves;
    }

    public List<InetSocketAddress> nodes()
    {
        return nodes;
    }

    private Map<String, Integer> emptyByNode()
    {
        final Map<String, Integer> byNode = new LinkedHashMap<>();
        for (final InetSocketAddress node : nodes)
        {
            byNode.put(name(node), 0);
        }
        return byNode;
    }

    static String name(final InetSocketAddress node)
    {
        return node.getHostString() + ":" + node.getPort();
    }

    /** Clients by municipality rank, in the order of the codes given to {@link #open}. */
    public List<ConnectorClient> clients()
    {
        return List.copyOf(clients);
    }

    public int size()
    {
        return clients.size();
    }

    @Override
    public void close()
    {
        for (final ConnectorClient client : clients)
        {
            client.close();
        }
        final Future<?> terminated = group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        terminated.awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (outbox != null)
        {
            outbox.close();
        }
    }
}
