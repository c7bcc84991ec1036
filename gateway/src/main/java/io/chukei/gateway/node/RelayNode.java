package io.chukei.gateway.node;

import io.chukei.gateway.admin.AdminRoutes;
import io.chukei.gateway.admin.ClusterAdmin;
import io.chukei.gateway.admission.ConnectionLimiter;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.admin.AdminServer;
import io.chukei.gateway.admin.RateLimitAdmin;
import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cluster.ClusterMember;
import io.chukei.gateway.cluster.ClusterView;
import io.chukei.gateway.cluster.NodeStatus;
import io.chukei.gateway.cluster.SelfIsolation;
import io.chukei.gateway.cluster.OperatorActions;
import io.chukei.gateway.cluster.PeerProber;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.health.HealthLog;
import io.chukei.gateway.health.HealthMonitor;
import io.chukei.gateway.journal.AcceptedView;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalDurability;
import io.chukei.gateway.journal.PendingRequest;
import io.chukei.gateway.journal.RecoveredState;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.gateway.relay.ConnectorSession;
import io.chukei.gateway.relay.ConnectorSessions;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.gateway.relay.RelayCore;
import io.chukei.gateway.relay.RelayServer;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.MunicipalityIdentity;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.gateway.upstream.FairForwarding;
import io.chukei.gateway.upstream.UpstreamPool;
import io.chukei.gateway.admission.FairScheduler;
import io.chukei.gateway.admission.UpstreamLimiter;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.validation.Repertoire;
import io.chukei.protocol.validation.ValidationConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One relay node, started in the order that keeps the promises: the journal is recovered
 * first and every accepted-but-unfinished request is re-forwarded (flagged possible
 * duplicate) before the connector listener opens; stopped in reverse.
 */
public final class RelayNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayNode.class);

    private final RelayConfig config;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final MunicipalityRateLimiter rateLimiter;
    private EventLoopGroup group;
    private Journal journal;
    private CardSimulator simulator;
    private UpstreamPool pool;
    private RelayServer server;
    private AdminServer admin;
    private RelayCore core;
    private HealthMonitor health;
    private RateLimitAdmin rateLimitAdmin;
    private NodeStatus nodeStatus;
    private ClusterView clusterView;
    private ClusterAdmin clusterAdmin;
    private PeerProber prober;
    private final ConnectorSessions sessions = new ConnectorSessions();
    private InetSocketAddress connectorAddress;
    private InetSocketAddress adminAddress;
    private RecoveredState recovered;
    private String tlsProvider;
    private volatile boolean ready;

    public RelayNode(final RelayConfig config, final Clock clock)
    {
        this.config = config;
        this.clock = clock;
        this.metrics = new RelayMetrics(config.nodeId(), config.admission().metricsTopK());
        this.rateLimiter = new MunicipalityRateLimiter(config.admission());
    }


    public synchronized RelayNode start() throws IOException, InterruptedException
    {
        // First: an operator's repertoire file with a malformed line stops the start before anything opens.
        final Repertoire repertoire = config.validation().buildRepertoire();
        LOG.info("Text repertoire {}: {} code points, {} sequences", repertoire.name(), repertoire.size(),
            repertoire.sequenceCount());
        Files.createDirectories(config.dataDir());
        final DevPki pki = DevPki.openOrCreate(config.pkiDir(), MunicipalityCodes::isValid);
        final CertificateFiles nodeFiles = pki.issueNode("node-" + config.nodeId(), DevPki.DEFAULT_DNS_NAMES,
            DevPki.DEFAULT_IP_ADDRESSES);
        final SslProvider provider = switch (config.connector().tlsProvider())
        {
            case OPENSSL -> SslProvider.OPENSSL;
            case JDK -> SslProvider.JDK;
            case AUTO -> TlsContexts.provider();
        };
        tlsProvider = TlsContexts.providerName(provider);

        // The config's and the journal's durability enums carry the same names (RelayConfigTest checks).
        journal = Journal.open(JournalConfig.builder()
            .directory(config.dataDir().resolve("journal"))
            .durability(JournalDurability.valueOf(config.journal().durability().name()))
            .nodeId(config.nodeId())
            .retentionDays(config.journal().retentionDays())
            .build());
        if (journal.durability() == JournalDurability.OFF)
        {
            LOG.warn("journal off: accepted requests are not journaled; benchmarks only");
        }
        journal.onSync(metrics::journalSyncNanos);
        recovered = journal.recover();

        if (config.upstream().embedded())
        {
            simulator = new CardSimulator(CardSimulatorConfig.builder()
                .host(config.simulator().listen().host())
                .port(config.simulator().listen().port())
                .adminPort(config.simulator().adminListen().port())
                .sslContext(config.upstream().tls() ? TlsContexts.server(pki.issueUpstream("cardsim"), provider) : null)
                .serviceTimeMs(config.simulator().serviceTimeMs())
                .dataDirectory(config.dataDir().resolve("cardsim"))
                .build()).start();
        }

        final Transport transport = Transport.best();
        group = transport.newGroup(Runtime.getRuntime().availableProcessors());
        final Durability durability = journal.durability().toWire();
        core = new RelayCore(config.nodeId(), journal, durability, metrics, clock,
            ValidationConfig.builder().clock(clock).repertoire(repertoire).build(), recovered.requests(), rateLimiter);
        // Idle municipalities' buckets go, so 1,741+ municipalities cost little memory.
        group.next().scheduleAtFixedRate(rateLimiter::evictIdle, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
        // The embedded simulator may have been given port 0: connect to where it actually listens.
        final List<HostPort> endpoints = simulator != null ?
            List.of(new HostPort(config.simulator().listen().host(), simulator.port())) : config.upstream().endpoints();
        pool = new UpstreamPool(config.nodeId(), endpoints,
            config.upstream().tls() ? TlsContexts.client(nodeFiles, provider) : null,
            UpstreamPool.Settings.from(config.upstream(), Runtime.getRuntime().availableProcessors()),
            config.connector().maxFrameLength() + 256, core, journal, metrics, clock, group, transport.channelType());
        final FairForwarding forwarding = new FairForwarding(new FairScheduler<>(config.admission()),
            new UpstreamLimiter(config.admission()), pool, metrics);
        core.forwarding(forwarding);
        pool.start();
        adoptRecovered();

        startCluster();
        // With every card-management endpoint down, requests wait on every node alike: that says
        // nothing about this node, so the forward-age check is off until an endpoint is back.
        health = new HealthMonitor(config.health(), System::nanoTime,
            now -> pool.healthyCount() == 0 ? 0 : forwarding.oldestUnforwardedAgeNanos(now),
            journal::takeRecentAppendMaxNanos, new HealthLog(pool::flagPossibleDuplicatesAcceptedBeforeNow,
                new SelfIsolation(nodeStatus, clusterView)));
        health.bind(metrics);
        health.start(group);
        final SslContext serverTls = TlsContexts.server(nodeFiles, provider);
        final ConnectorSession.Context context = new ConnectorSession.Context(core, metrics, clock,
            config.connector().heartbeatIntervalMs(), config.connector().maxFrameLength(), config.connector().maxInFlight(),
            durability, clusterView::snapshot, nodeStatus::state, RelayNode::municipalityOf,
            new ConnectionLimiter(config.admission()), sessions);
        server = new RelayServer(config.connector().listen(), serverTls, context, config.connector().handshakeTimeoutMs(),
            config.connector().missedHeartbeats());
        connectorAddress = server.start(group, transport.serverChannelType());
        rateLimitAdmin = new RateLimitAdmin(rateLimiter, journal);
        clusterAdmin = new ClusterAdmin(clusterView, nodeStatus, journal, core::inFlightCount);
        admin = new AdminServer(config.adminListen(), this::adminRoute);
        adminAddress = admin.start(group, transport.serverChannelType());
        clusterView.selfBound(connectorAddress.getPort(), adminAddress.getPort());
        prober = new PeerProber(clusterView, config.cluster().probeIntervalMs(), config.cluster().probeTimeoutMs()).start();
        ready = true;
        LOG.info("Node {} started: {} recovered requests re-forwarded, transport {}, TLS {}", config.nodeId(),
            recovered.pending().size(), transport.name(), tlsProvider);
        return this;
    }

    /**
     * The own state as persisted (an isolation survives a restart until release) and the view, before
     * the listener opens: the first Welcome already tells the truth.
     */
    private void startCluster() throws IOException
    {
        final OperatorActions actions = OperatorActions.load(config.dataDir());
        nodeStatus = new NodeStatus(config.nodeId(), actions);
        final List<ClusterMember> members = config.cluster().nodes().isEmpty() ?
            List.of(new ClusterMember(config.nodeId(), config.connector().listen(), config.adminListen())) :
            config.cluster().nodes();
        clusterView = new ClusterView(members, nodeStatus, actions, config.cluster().suspectAfterMissed(), clock);
        clusterView.addListener(this::onViewChanged);
        metrics.gauge("chukei.cluster.state", "This node's own state: 1 active, 3 draining, 4 isolated",
            () -> nodeStatus.state().value());
        if (nodeStatus.state() != NodeState.ACTIVE)
        {
            LOG.warn("Node {} starts {} ({}): new Submits are redirected until `chukei admin release {}`",
                config.nodeId(), nodeStatus.state(), nodeStatus.reason(), config.nodeId());
        }
    }

    /** Leaving ACTIVE sends every session away (GoAway carries the view); any other change is pushed. */
    private void onViewChanged(final ClusterSnapshot view, final NodeState ownBefore, final NodeState ownAfter,
        final String ownReason)
    {
        if (ownAfter != ownBefore)
        {
            LOG.info("Node {}: {} -> {} {}", config.nodeId(), ownBefore, ownAfter, ownReason);
        }
        if (ownAfter != ownBefore && ownAfter != NodeState.ACTIVE)
        {
            sessions.goAwayAll(ErrorCode.NODE_UNAVAILABLE, "node " + config.nodeId() + " is " + ownAfter + " (" +
                ownReason + "): resubmit unresolved requests to an ACTIVE node of the view", view);
        }
        else
        {
            sessions.pushView(view);
        }
    }

    /** Accepted-but-unfinished requests from before the restart go out again, as possible duplicates. */
    private void adoptRecovered()
    {
        final List<PendingRequest> pending = recovered.pending();
        if (pending.isEmpty())
        {
            return;
        }
        final AcceptedView view = new AcceptedView();
        int adopted = 0;
        for (final PendingRequest p : pending)
        {
            if (!journal.readAccepted(p.acceptedIndex(), view))
            {
                LOG.warn("Recovered request {} has no readable ACCEPTED entry at index {}; skipped", p.requestId(),
                    p.acceptedIndex());
                continue;
            }
            final ByteBuf submit = Unpooled.directBuffer(view.submitLength());
            submit.writeBytes(view.submit().byteArray(), 0, view.submitLength());
            final InFlightRequest request = InFlightRequest.of(p.idHi(), p.idLo(), submit,
                p.fingerprint(), p.deadlineEpochMs(), System.nanoTime(), null, true);
            core.adoptRecovered(request, p.acceptedIndex(), group.next());
            adopted++;
        }
        metrics.recovered(adopted);
    }

    private static String municipalityOf(final io.netty.channel.Channel channel)
    {
        final SslHandler ssl = channel.pipeline().get(SslHandler.class);
        final MunicipalityIdentity identity = MunicipalityIdentity.of(ssl);
        if (!identity.isPresent() || !MunicipalityCodes.isValid(identity.municipalityCode()))
        {
            return null;
        }
        return identity.municipalityCode();
    }

    private AdminRoutes.Response adminRoute(
        final io.netty.handler.codec.http.HttpMethod method, final String path,
        final java.util.Map<String, List<String>> query)
    {
        if (path.equals("/cluster") || path.startsWith("/cluster/"))
        {
            return clusterAdmin.handle(method, path, query);
        }
        switch (path)
        {
            case "/health/live":
                return AdminRoutes.Response.json(HttpResponseStatus.OK, "{\"live\":true}\n");
            case "/health/ready":
            {
                final int healthy = pool.healthyCount();
                final boolean isReady = ready && healthy > 0;
                return AdminRoutes.Response.json(isReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "{\"ready\":" + isReady + ",\"node\":" + config.nodeId() + ",\"upstreamHealthy\":" + healthy +
                        ",\"inFlight\":" + core.inFlightCount() + "}\n");
            }
            case "/admission/limits":
                return rateLimitAdmin.handle(method, query);
            case "/metrics":
                return new AdminRoutes.Response(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape());
            default:
                return AdminRoutes.Response.text(HttpResponseStatus.NOT_FOUND,
                    "no such path: " + path + " (expected: /health/live, /health/ready, /metrics, /admission/limits, " +
                        "/cluster, /cluster/self, /cluster/isolate, /cluster/drain, /cluster/release)\n");
        }
    }

    public InetSocketAddress connectorAddress()
    {
        return connectorAddress;
    }

    public InetSocketAddress adminAddress()
    {
        return adminAddress;
    }

    public CardSimulator simulator()
    {
        return simulator;
    }

    /** This node's own state; the health monitor's hook is {@link NodeStatus#selfIsolate}. */
    public NodeStatus nodeStatus()
    {
        return nodeStatus;
    }

    public ClusterView clusterView()
    {
        return clusterView;
    }

    /** The open connector sessions. */
    public ConnectorSessions sessions()
    {
        return sessions;
    }

    public RelayMetrics metrics()
    {
        return metrics;
    }

    public RecoveredState recovered()
    {
        return recovered;
    }

    public Journal journal()
    {
        return journal;
    }

    public String tlsProvider()
    {
        return tlsProvider;
    }

    public RelayConfig config()
    {
        return config;
    }

    /** The one line `chukei run` prints when the node takes traffic. */
    public String readyLine()
    {
        return "chukei ready: node " + config.nodeId() +
            ", connectors " + config.connector().listen().host() + ":" + connectorAddress.getPort() +
            " (TLS 1.3, " + tlsProvider + ")" +
            ", admin http://" + config.adminListen().host() + ":" + adminAddress.getPort() +
            (journal.durability() == JournalDurability.OFF ? ", journal off" :
                ", journal " + config.dataDir().resolve("journal") + " (" + config.journal().durability().name().toLowerCase() +
                ", " + recovered.pending().size() + " recovered)") +
            ", upstream " + (simulator != null ? "embedded simulator " + simulator.upstreamAddress() :
                config.upstream().endpoints().toString());
    }

    @Override
    public synchronized void close()
    {
        ready = false;
        if (health != null)
        {
            health.close();
        }
        if (prober != null)
        {
            prober.close();
        }
        if (server != null)
        {
            server.stop();
        }
        if (admin != null)
        {
            admin.stop();
        }
        if (pool != null)
        {
            pool.close();
        }
        if (group != null)
        {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (core != null)
        {
            core.releasePending();
        }
        if (simulator != null)
        {
            simulator.close();
        }
        if (journal != null)
        {
            journal.close();
        }
    }
}
