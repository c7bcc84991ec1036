package io.chukei.gateway.node;

import io.chukei.gateway.admin.AdminAccess;
import io.chukei.gateway.admin.AdminCaller;
import io.chukei.gateway.admin.AdminRoutes;
import io.chukei.gateway.admin.ActionAudit;
import io.chukei.gateway.admin.ClusterAdmin;
import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.ConnectionLimiter;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.admission.RefusalRecord;
import io.chukei.gateway.admission.PreHelloLimiter;
import io.chukei.gateway.admission.PreHelloMetrics;
import io.chukei.gateway.admin.AdminServer;
import io.chukei.gateway.admin.RateLimitAdmin;
import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cluster.ClusterMember;
import io.chukei.gateway.cluster.ClusterView;
import io.chukei.gateway.cluster.NodeStatus;
import io.chukei.gateway.cluster.NodeVitals;
import io.chukei.gateway.cluster.SelfIsolation;
import io.chukei.gateway.cluster.SelfIsolationAudit;
import io.chukei.gateway.cluster.OperatorActions;
import io.chukei.gateway.cluster.PeerProber;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.health.HealthLog;
import io.chukei.gateway.admin.EvidenceAdmin;
import io.chukei.gateway.evidence.NodeEvidence;
import io.chukei.gateway.health.HealthMonitor;
import io.chukei.gateway.files.PrivateFiles;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalDurability;
import io.chukei.gateway.journal.JournalKeys;
import io.chukei.gateway.journal.RecoveredState;
import io.chukei.gateway.latency.StageLogWriter;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.NodeAddresses;
import io.chukei.gateway.pki.PeerRole;
import io.chukei.gateway.pki.IssuedCertificate;
import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.gateway.relay.ConnectorSession;
import io.chukei.gateway.relay.ConnectorSessions;
import io.chukei.gateway.relay.RelayCore;
import io.chukei.gateway.relay.HandshakePacing;
import io.chukei.gateway.relay.RelayServer;
import io.chukei.gateway.status.RecentEvents;
import io.chukei.gateway.status.StatusPage;
import io.chukei.gateway.status.StatusSampler;
import io.chukei.gateway.status.StatusTicker;
import io.chukei.gateway.status.ViewEvents;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.MunicipalityIdentity;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.Revocation;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.gateway.transport.Transport;
import io.chukei.gateway.upstream.FairForwarding;
import io.chukei.gateway.upstream.UpstreamPool;
import io.chukei.gateway.upstream.UpstreamTls;
import io.chukei.gateway.upstream.UpstreamWait;
import io.chukei.gateway.admission.FairScheduler;
import io.chukei.gateway.admission.UpstreamLimiter;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.text.SafeText;
import io.chukei.protocol.validation.Repertoire;
import io.chukei.protocol.validation.ValidationConfig;
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
import java.util.concurrent.CompletableFuture;

/**
 * One relay node, started in the order that keeps the promises: the journal is recovered
 * first and every accepted-but-unfinished request is known in flight before the connector
 * listener opens (a resend is never accepted twice); their re-forwarding (flagged possible
 * duplicate), the batch accounts' rebuild and the status page's events follow after ready.
 * Stopped in reverse.
 */
public final class RelayNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayNode.class);
    /** Events the status page lists; the journal's latest actions fill them at start. */
    private static final int RECENT_EVENTS = 50;
    /** Journal entries looked at, back from its end, for those actions: ~100 s of a node at 7,000 requests/s. */
    private static final long RECENT_EVENTS_SCAN = 2_000_000;
    /** And for no longer than this: a start is never held up long by it, whatever the host's load. */
    private static final java.time.Duration RECENT_EVENTS_SCAN_TIME = java.time.Duration.ofSeconds(1);
    /** How often the CRL files are looked at: a revocation takes effect within about this. */
    private static final long REVOCATION_POLL_MS = 1000;

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
    private AdminServer plainAdmin;
    private RelayCore core;
    private HealthMonitor health;
    private NodeEvidence evidence;
    private RateLimitAdmin rateLimitAdmin;
    private NodeStatus nodeStatus;
    private ClusterView clusterView;
    private ClusterAdmin clusterAdmin;
    private volatile PeerProber prober;
    private StatusPage statusPage;
    private StatusTicker statusTicker;
    private final RecentEvents events;
    private StageLogWriter stageLog;
    private final ConnectorSessions sessions = new ConnectorSessions();
    /** Connector listener: connector certificates only. */
    private final PeerPolicy connectorPeers = PeerPolicy.connectorListener();
    /** Upstream client: card-management servers only. */
    private final PeerPolicy upstreamPeers = PeerPolicy.upstreamClient();
    /** This node's probes of its peers' admin listeners: the server must be a relay node. */
    private final PeerPolicy probePeers = PeerPolicy.accepting("probe-client", PeerRole.RELAY_NODE);
    /** The CRLs of {@code tls.crl}, or null when revocation is off. */
    private Revocation revocation;
    /** Admin listener: operators, viewers and peer nodes; AdminAccess decides what each may do. */
    private final PeerPolicy adminPeers = PeerPolicy.adminListener();
    private InetSocketAddress connectorAddress;
    private InetSocketAddress adminAddress;
    private InetSocketAddress plainAdminAddress;
    private RecoveredState recovered;
    private RecoveredRequests recoveredRequests;
    /** Threads of the work done after ready (peer prober, status page events, batch accounts). */
    private final List<Thread> afterStart = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closing;
    /** What recovery did with the requests the journal left pending, for the log and the ready line. */
    private String recovery = "0 recovered requests";
    private String tlsProvider;
    private volatile boolean ready;
    /** Held from the start of {@link #start} to the end of {@link #close}. */
    private DataDirectoryLock dataDirectoryLock;
    /** Set by the first {@link #close}. */
    private volatile boolean closed;

    public RelayNode(final RelayConfig config, final Clock clock)
    {
        this.config = config;
        this.clock = clock;
        this.metrics = new RelayMetrics(config.nodeId(), config.admission().metricsTopK(), config.stages());
        this.rateLimiter = new MunicipalityRateLimiter(config.admission());
        this.events = new RecentEvents(clock, RECENT_EVENTS);
    }


    public synchronized RelayNode start() throws IOException, InterruptedException
    {
        final StartupPhases phases = new StartupPhases();
        // Before anything writes there: a second node on this directory stops here.
        PrivateFiles.createDirectories(config.dataDir());
        dataDirectoryLock = DataDirectoryLock.acquire(config.dataDir(), config.nodeId());
        // The repertoire's tables take about a second to build (parsing the IVD and JIS X 0213 tables, bench/README.md
        // "Restart time"): built beside the PKI, TLS and journal work, awaited before anything validates text. An
        // operator's repertoire file with a malformed line still stops the start before any listener opens.
        final CompletableFuture<Repertoire> repertoireBuilt = StartStep.start("chukei-repertoire",
            config.validation()::buildRepertoire);
        if (config.connector().tlsProvider() != RelayConfig.TlsProvider.JDK)
        {
            // Beside the dev PKI and the journal, which do not need it; TlsContexts.provider() below waits for it if need be.
            // The journal opened beside them too was measured no faster (bench/README.md, "Restart time").
            StartStep.start("chukei-openssl-load", TlsContexts::openSslAvailable);
        }
        protectDataDirectories();
        final DevPki pki = DevPki.openOrCreate(config.pkiDir(), MunicipalityCodes::isValid);
        // Named for every address it listens on: connectors and peers verify the node by the address they dial.
        final CertificateFiles nodeFiles = logIfReissued(pki.ensureNode("node-" + config.nodeId(),
            DevPki.DEFAULT_DNS_NAMES, NodeAddresses.forListenHosts(List.of(config.connector().listen().host(),
                config.adminListen().host()))));
        connectorPeers.bindTo(metrics.registry());
        upstreamPeers.bindTo(metrics.registry());
        probePeers.bindTo(metrics.registry());
        loadRevocation(nodeFiles);
        adminPeers.bindTo(metrics.registry());
        phases.lap("PKI and revocation");

        // The config's and the journal's durability enums carry the same names (RelayConfigTest checks).
        journal = Journal.open(JournalConfig.builder()
            .directory(config.dataDir().resolve("journal"))
            .durability(JournalDurability.valueOf(config.journal().durability().name()))
            .nodeId(config.nodeId())
            .retentionDays(config.journal().retentionDays())
            .preallocateBytes(config.journal().preallocateBytes())
            .writebackCheckInterval(java.time.Duration.ofMillis(config.journal().writebackCheckMs()))
            .keys(journalKeys())
            .build());
        phases.lap("journal keys and open");
        if (journal.durability() == JournalDurability.OFF)
        {
            LOG.warn("journal off: accepted requests are not journaled; benchmarks only");
        }
        if (journal.durability() == JournalDurability.SYNC)
        {
            metrics.enableJournalSync();
        }
        journal.onSync(metrics::journalSyncNanos);
        NodeMeters.bindDataDirectory(metrics, config.dataDir());
        NodeMeters.bindCertificates(metrics, nodeFiles);
        NodeMeters.bindConnectorCertificates(metrics, sessions);
        recovered = journal.recover();
        phases.lap("journal recovery");
        // Only now: OpenSSL's library loads beside the PKI and the journal (0.3-0.4 s), and nothing before needs it.
        final SslProvider provider = switch (config.connector().tlsProvider())
        {
            case OPENSSL -> SslProvider.OPENSSL;
            case JDK -> SslProvider.JDK;
            case AUTO -> TlsContexts.provider();
        };
        tlsProvider = TlsContexts.providerName(provider);
        phases.lap("TLS provider (the rest of OpenSSL's load)");
        stageLog = new StageLogWriter(metrics.stages(), config.dataDir(), config.nodeId(), config.stages(),
            System::currentTimeMillis).start();

        if (config.upstream().embedded())
        {
            simulator = new CardSimulator(CardSimulatorConfig.builder()
                .host(config.simulator().listen().host())
                .port(config.simulator().listen().port())
                .adminPort(config.simulator().adminListen().port())
                .tls(config.upstream().tls() ?
                    logIfReissued(pki.ensureUpstream("cardsim", List.of(), List.of())) : null, provider)
                .serviceTimeMs(config.simulator().serviceTimeMs())
                .dataDirectory(config.dataDir().resolve("cardsim"))
                .build()).start();
            simulator.peers().bindTo(metrics.registry());
            simulator.peers().checkRevocation(revocation);
            phases.lap("embedded card-management simulator");
        }

        final Repertoire repertoire = StartStep.await(repertoireBuilt);
        LOG.info("Text repertoire {}: {} code points, {} sequences", repertoire.name(), repertoire.size(),
            repertoire.sequenceCount());
        phases.lap("text repertoire (the rest of its build)");
        final Transport transport = Transport.best();
        group = transport.newGroup(Runtime.getRuntime().availableProcessors());
        final Durability durability = journal.durability().toWire();
        core = new RelayCore(config.nodeId(), journal, durability, metrics, clock,
            ValidationConfig.builder().clock(clock).repertoire(repertoire).build(), recovered.requests(), rateLimiter,
            new MunicipalityRateLimiter(AdmissionConfig.builder()
                .defaultRate(config.connector().statusQueryRate(), config.connector().statusQueryBurst()).build()),
            new RefusalRecord(config.journal().refusalsPerSecond(), System::nanoTime));
        final int summarySeconds = config.journal().refusalSummarySeconds();
        group.next().scheduleAtFixedRate(core::summariseRefusals, summarySeconds, summarySeconds,
            java.util.concurrent.TimeUnit.SECONDS);
        // Idle municipalities' buckets go, so 1,741+ municipalities cost little memory.
        group.next().scheduleAtFixedRate(rateLimiter::evictIdle, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
        // The embedded simulator may have been given port 0: connect to where it actually listens.
        final List<HostPort> endpoints = simulator != null ?
            List.of(new HostPort(config.simulator().listen().host(), simulator.port())) : config.upstream().endpoints();
        pool = new UpstreamPool(config.nodeId(), endpoints,
            config.upstream().tls() ?
                new UpstreamTls(TlsContexts.client(nodeFiles, provider, upstreamPeers), upstreamPeers) : null,
            UpstreamPool.Settings.from(config.upstream(), Runtime.getRuntime().availableProcessors()),
            config.connector().maxFrameLength() + 256, core, journal, metrics, clock, group, transport.channelType());
        final UpstreamLimiter upstreamWindow = new UpstreamLimiter(config.admission());
        final FairForwarding forwarding = new FairForwarding(new FairScheduler<>(config.admission()), upstreamWindow, pool,
            metrics);
        core.forwarding(forwarding);
        final io.chukei.gateway.batch.BatchLedger batchLedger = BatchAccounts.create(config.batch(), metrics, clock);
        core.batches(batchLedger);
        core.batchesRebuilding();
        core.outcomeWaitMs(config.upstream().outcomeWaitMs());
        pool.start();
        phases.lap("relay core and upstream");
        recoveredRequests = new RecoveredRequests(core, journal, metrics, group).register(recovered.pending());
        recovery = recoveredRequests.summary();
        phases.lap(recovered.pending().size() + " recovered requests registered");

        startCluster();
        evidence = NodeEvidence.start(config.evidence(), new NodeEvidenceSources(config, metrics, journal, clusterView,
            () -> prober), metrics.registry());
        clusterView.addListener(evidence.triggers()::viewChanged);
        // With every card-management endpoint down, requests wait on every node alike: that says
        // nothing about this node, so the forward-age check is off until an endpoint is back.
        health = new HealthMonitor(config.health(), System::nanoTime,
            now -> pool.healthyCount() == 0 ? 0 : forwarding.oldestUnforwardedAgeNanos(now),
            journal::takeRecentAppendMaxNanos, new HealthLog(pool::flagPossibleDuplicatesAcceptedBeforeNow,
                // Evidence first: its thread dump is taken while whatever stalled may still be stalled.
                evidence.healthListener().andThen(new SelfIsolation(nodeStatus, clusterView))));
        // Slow card management fills every node's window alike: a queue behind a full window that card management
        // keeps draining is its slowness, not this node's (issue 18, item 5). The retry wait is judged all the same.
        health.journalSpace(journal::storageProblem);
        health.waitingOnUpstream(new UpstreamWait(upstreamWindow, pool::oldestRetryWaitNanos,
            config.health().maxForwardAgeMs(), config.upstream().attemptTimeoutMs()));
        health.bind(metrics);
        metrics.gauge("chukei.journal.space.headroom.bytes", "Disk allocated ahead of the journal's write position " +
            "(journal.preallocateBytes; -1 when not guarded)", journal::spaceHeadroomBytes);
        io.micrometer.core.instrument.FunctionCounter.builder("chukei.journal.space.refusals", journal,
            Journal::spaceRefusals).description("New requests refused JOURNAL_UNAVAILABLE for lack of journal disk space")
            .register(metrics.registry());
        health.startingUp().start(group);
        phases.lap("cluster, evidence and health");
        final SslContext serverTls = TlsContexts.server(nodeFiles, provider, connectorPeers);
        final ConnectorSession.Context context = new ConnectorSession.Context(core, metrics, clock,
            config.connector().heartbeatIntervalMs(), config.connector().maxFrameLength(), config.connector().maxInFlight(),
            durability, clusterView::snapshot, nodeStatus::state, RelayNode::municipalityOf,
            new ConnectionLimiter(config.admission()), sessions, config.connector().rateLimitedReadPauseMaxMs());
        final PreHelloLimiter preHelloLimiter = new PreHelloLimiter(config.admission());
        server = new RelayServer(config.connector().listen(), serverTls, connectorPeers, context,
            new RelayServer.PreHello(preHelloLimiter, new PreHelloMetrics(metrics.registry(), preHelloLimiter),
                new HandshakePacing(config.admission().handshakeLoopShare()).bindTo(metrics.registry()),
                config.connector().handshakeTimeoutMs(), config.connector().helloTimeoutMs()),
            config.connector().missedHeartbeats(), config.connector().readBudgetBytes());
        connectorAddress = server.start(group, transport.serverChannelType());
        phases.lap("connector listener");
        watchRevocation();
        final ActionAudit actionAudit = new ActionAudit(journal, metrics.registry());
        rateLimitAdmin = new RateLimitAdmin(rateLimiter, actionAudit);
        clusterAdmin = new ClusterAdmin(clusterView, nodeStatus, actionAudit, vitals(forwarding),
            line -> events.add("operator", line));
        final StatusSampler sampler = new StatusSampler(metrics, rateLimiter, 10, 150);
        statusTicker = new StatusTicker(config.nodeId(), clock, sampler);
        statusPage = new StatusPage(new StatusPage.Sources(clock, clusterAdmin::selfReport, clusterView,
            id -> prober == null ? null : prober.lastReport(id), pool::endpointStatus, metrics::connections, sampler,
            metrics.stageCurves(), metrics.admission(), events));
        final AdminServer.Limits adminLimits = new AdminServer.Limits(config.admin().idleTimeoutMs(),
            config.admin().maxConnections());
        admin = new AdminServer("admin", config.adminListen(), TlsContexts.server(nodeFiles, provider, adminPeers), adminPeers,
            this::adminRoute, adminLimits, this::auditRefusal, metrics.registry());
        adminAddress = admin.start(group, transport.serverChannelType());
        phases.lap("status page and admin listener");
        if (config.admin().plainListen() != null)
        {
            // Anonymous callers: refusals are counted, not journaled (anyone could fill the journal with them).
            plainAdmin = new AdminServer("plain", config.admin().plainListen(), null, null, this::adminRoute, adminLimits,
                (caller, refusal) -> { }, metrics.registry());
            plainAdminAddress = plainAdmin.start(group, transport.serverChannelType());
        }
        clusterView.selfBound(connectorAddress.getPort(), adminAddress.getPort());
        evidence.watchUpstream(() -> pool.healthyCount() == 0);
        health.ready();
        ready = true;
        LOG.info("Node {} started: {}, transport {}, TLS {}", config.nodeId(), recovery, transport.name(), tlsProvider);
        LOG.info("Start-up phases: {}", phases.line());
        // After ready: nothing here is needed to take requests safely (every pending request is already known).
        recoveredRequests.forwardInBackground(phases.startNanos());
        // The journal's timestamps are the system's time, whatever clock the node was given.
        final long startEpochMs = System.currentTimeMillis() - java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(
            System.nanoTime() - phases.startNanos());
        // Probing peers takes no request; its HTTPS client cost 1.5 s of the start at load ~30 (its TLS and HTTP
        // classes). Until the first round, peers keep the state the view starts them in.
        afterReady(() ->
        {
            final PeerProber started = new PeerProber(clusterView, config.cluster().probeIntervalMs(),
                config.cluster().probeTimeoutMs(), nodeFiles, probePeers).start();
            prober = started;
            if (closing)
            {
                // close() may have looked for the prober before it was set.
                started.close();
            }
        });
        afterReady(() -> restoreEvents(startEpochMs));
        afterReady(() ->
        {
            // On failure the accounts stay incomplete and batch traffic stays refused: admitting members against
            // them could let one sequence be held by two request ids.
            BatchAccounts.rebuild(journal, batchLedger, () -> closing);
            core.batchesRebuilt();
        });
        return this;
    }

    /**
     * Runs {@code work} off the start path, once; a failure is logged, the node carries on. {@link #close} waits for
     * it (it reads the journal, which closes after it).
     */
    private void afterReady(final Runnable work)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                work.run();
            }
            catch (final BatchAccounts.Stopped stopped)
            {
                // The node is closing.
            }
            catch (final RuntimeException ex)
            {
                LOG.error("After-start work failed", ex);
            }
        }, "chukei-after-start");
        thread.setDaemon(true);
        afterStart.add(thread);
        thread.start();
    }

    /**
     * The status page's recent events start with the journal's latest operator actions and self-isolations, so a
     * restart does not forget them; the scan is bounded (RECENT_EVENTS_SCAN entries back from the end, or
     * RECENT_EVENTS_SCAN_TIME). Run after the node is ready: the page may lack them for that second.
     */
    private void restoreEvents(final long beforeEpochMs)
    {
        final long startNs = System.nanoTime();
        // Only what was journaled before this start: actions since are listed already, live.
        final List<Journal.AuditEntry> audits = journal.latestAudits(RECENT_EVENTS, RECENT_EVENTS_SCAN,
            RECENT_EVENTS_SCAN_TIME, action -> action.startsWith("cluster-") || action.startsWith("self-")).stream()
            .filter(audit -> audit.epochMs() < beforeEpochMs).toList();
        events.restore(audits);
        LOG.info("Status page events: {} operator actions and self-isolations read back from the journal in {} ms",
            audits.size(), (System.nanoTime() - startNs) / 1_000_000);
    }

    /**
     * {@code tls.crl}: the CRLs, checked during every handshake of the connector listener and of the
     * upstream links (the embedded simulator's too); a fault in them stops the start.
     */
    private void loadRevocation(final CertificateFiles nodeFiles)
    {
        if (!config.crl().enabled())
        {
            return;
        }
        try
        {
            revocation = Revocation.load(config.crl().location(), nodeFiles.caCertificate(),
                java.time.Duration.ofSeconds(config.crl().graceSeconds()), clock);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalArgumentException("tls.crl: " + ex.getMessage(), ex);
        }
        revocation.bindTo(metrics.registry());
        connectorPeers.checkRevocation(revocation);
        upstreamPeers.checkRevocation(revocation);
        probePeers.checkRevocation(revocation);
        // Operators', viewers' and peer nodes' certificates on the admin listener too (open admin connections are
        // not closed at a reload: they end at admin.idleTimeoutMs).
        adminPeers.checkRevocation(revocation);
    }

    /** Reloads on change, off the event loops; sessions whose certificate a reload revokes are sent away. */
    private void watchRevocation()
    {
        if (revocation == null)
        {
            return;
        }
        revocation.onReload(() ->
        {
            sessions.goAwayRevoked(revocation::isRevoked, ErrorCode.MUNICIPALITY_NOT_AUTHORIZED,
                "client certificate revoked by the CRL reloaded from " + revocation.location());
            pool.closeLinksToRevoked(revocation::isRevoked);
        });
        revocation.watch(REVOCATION_POLL_MS);
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
        // Registered before anything can change the view (the prober starts after ready): seeded from it as it is.
        clusterView.addListener(new ViewEvents(config.nodeId(), events, clusterView.snapshot())::viewChanged);
        clusterView.addListener(new SelfIsolationAudit(config.nodeId(), journal::appendAudit));
        io.chukei.gateway.cluster.ClusterMeters.bind(clusterView, nodeStatus, metrics);
        metrics.gauge("chukei.cluster.state", "This node's own state: 1 active, 3 draining, 4 isolated",
            () -> nodeStatus.state().value());
        if (nodeStatus.state() != NodeState.ACTIVE)
        {
            LOG.warn("Node {} starts {} ({}): new Submits are redirected until `chukei admin release {}`",
                config.nodeId(), nodeStatus.state(), SafeText.of(nodeStatus.reason()), config.nodeId());
        }
    }

    /** Leaving ACTIVE sends every session away (GoAway carries the view); any other change is pushed. */
    private void onViewChanged(final ClusterSnapshot view, final NodeState ownBefore, final NodeState ownAfter,
        final String ownReason)
    {
        if (ownAfter != ownBefore)
        {
            LOG.info("Node {}: {} -> {} {}", config.nodeId(), ownBefore, ownAfter, SafeText.of(ownReason));
        }
        if (ownAfter != ownBefore && ownAfter != NodeState.ACTIVE)
        {
            sessions.goAwayAll(ErrorCode.NODE_UNAVAILABLE, "node " + config.nodeId() + " is " + ownAfter + " (" +
                SafeText.of(ownReason) + "): resubmit unresolved requests to an ACTIVE node of the view", view);
        }
        else
        {
            sessions.pushView(view);
        }
    }

    /** What this node reports of itself in {@code /cluster/self} and on the status page. */
    private NodeVitals vitals(final FairForwarding forwarding)
    {
        final String durability = journal.durability().name().toLowerCase(java.util.Locale.ROOT);
        return new NodeVitals()
        {
            // Peers probe several times a second; the scan behind the age takes the scheduler's lock, which
            // the request path also takes, so one scan serves every ask within 200 ms.
            private volatile long ageCheckedNanos = System.nanoTime() - 1_000_000_000L;
            private volatile long ageMs;

            @Override
            public int inFlight()
            {
                return core.inFlightCount();
            }

            @Override
            public long oldestUnforwardedMs()
            {
                final long now = System.nanoTime();
                if (now - ageCheckedNanos >= 200_000_000L)
                {
                    ageMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(forwarding.oldestUnforwardedAgeNanos(now));
                    ageCheckedNanos = now;
                }
                return ageMs;
            }

            @Override
            public long eventLoopLagMs()
            {
                return health.eventLoopLagMs();
            }

            @Override
            public String durability()
            {
                return durability;
            }

            @Override
            public Double fsyncP99Ms()
            {
                return metrics.journalSyncP99Ms();
            }
        };
    }

    /**
     * The data directory (and the PKI directory, wherever it is) 0700 and everything in them owner-only: they
     * hold personal data and keys. Files left wider by an older version are narrowed here, once per start.
     */
    private void protectDataDirectories() throws IOException
    {
        PrivateFiles.createDirectories(config.dataDir());
        final int narrowed = PrivateFiles.restrictTree(config.dataDir()) +
            (config.pkiDir().startsWith(config.dataDir()) ? 0 : PrivateFiles.restrictTree(config.pkiDir()));
        if (narrowed > 0)
        {
            LOG.info("Narrowed {} files and directories under {} to owner-only (0600 files, 0700 directories)", narrowed,
                config.dataDir());
        }
    }

    /**
     * The journal's key ring: {@code journal.keyFile} when set (it must exist: a missing key file there is a
     * mistake, such as an unmounted volume, not a first start); else {@code DATA/keys/journal.keys}, created
     * with a first key on first start. None when the journal is off, and none with {@code journal.seal=off}
     * (benchmarks only: entries in clear, to measure what sealing costs).
     */
    private JournalKeys journalKeys() throws IOException
    {
        if (config.journal().durability() == RelayConfig.Durability.OFF)
        {
            return null;
        }
        if (!config.journal().seal())
        {
            // Without keys the node could not read what an earlier sealed run left pending: a fresh directory only.
            if (config.journal().keyFile() != null || Files.exists(JournalKeys.defaultFile(config.dataDir())))
            {
                throw new IllegalStateException("journal.seal=off (benchmarks only) needs a data directory whose " +
                    "journal was never sealed and no journal.keyFile; " + config.dataDir() + " has keys");
            }
            LOG.warn("journal.seal=off (benchmarks only): personal fields are journaled IN CLEAR");
            return null;
        }
        final Path configured = config.journal().keyFile();
        final JournalKeys keys = configured != null ? JournalKeys.load(configured) :
            JournalKeys.loadOrCreate(JournalKeys.defaultFile(config.dataDir()));
        LOG.info("Journal keys {}: ids {}, new entries sealed with id {}", keys.file(), keys.ids(), keys.newestId());
        return keys;
    }

    /**
     * Dev PKI files from an older version (e.g. without role URIs) are reissued, not refused: the
     * dev PKI is a convenience, and a silent swap would leave peers started before it puzzled.
     */
    private static CertificateFiles logIfReissued(final IssuedCertificate issued)
    {
        if (issued.outcome() == IssuedCertificate.Outcome.REPLACED)
        {
            LOG.warn("Dev PKI: reissued {} because {}; peers holding the old certificate in memory must restart",
                issued.files().certificate(), issued.reason());
        }
        return issued.files();
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

    /** A request the admin listener refused, journaled with who tried (e.g. a viewer's isolate). */
    private void auditRefusal(final AdminCaller caller, final AdminAccess.Refusal refusal)
    {
        journal.appendAudit(caller.actor(), "admin-refused", refusal.status() + " " + refusal.reason());
        LOG.warn("Admin: refused {} ({})", caller.actor(), refusal.reason());
    }

    private AdminRoutes.Response adminRoute(final AdminCaller caller,
        final io.netty.handler.codec.http.HttpMethod method, final String path,
        final java.util.Map<String, List<String>> query)
    {
        if (path.equals("/cluster") || path.startsWith("/cluster/"))
        {
            return clusterAdmin.handle(caller, method, path, query);
        }
        if (path.equals("/evidence") || path.startsWith("/faults/"))
        {
            return EvidenceAdmin.handle(caller, evidence.recorder(), config.testFaults() ? group : null, method, path, query);
        }
        if (StatusPage.serves(path))
        {
            return statusPage.handle(caller, method, path);
        }
        switch (path)
        {
            case "/health/live":
                return AdminRoutes.Response.json(HttpResponseStatus.OK, "{\"live\":true}\n");
            case "/health/ready":
            {
                // Ready = takes new work: started, ACTIVE (not isolated by anyone, not draining or stopping), at
                // least one card-management endpoint answering, and CRLs in date (stale ones refuse every connector's
                // handshake). A load balancer routes on this one.
                final int healthy = pool.healthyCount();
                final NodeState state = nodeStatus.state();
                final String crlStale = revocation != null && revocation.isStale() ? "the CRLs of tls.crl are past " +
                    "nextUpdate plus tls.crl.graceSeconds: every TLS handshake is refused" : null;
                final boolean isReady = ready && state == NodeState.ACTIVE && healthy > 0 && crlStale == null;
                return AdminRoutes.Response.json(isReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    io.chukei.gateway.cluster.Json.write(new Readiness(isReady, config.nodeId(), state.name(),
                        crlStale != null ? crlStale : nodeStatus.reason(), healthy, core.inFlightCount())));
            }
            case "/admission/limits":
                return rateLimitAdmin.handle(caller, method, query);
            case "/metrics":
                return new AdminRoutes.Response(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape());
            default:
                return AdminRoutes.Response.text(HttpResponseStatus.NOT_FOUND,
                    "no such path: " + SafeText.of(path) + " (expected: /, /status.json, /health/live, /health/ready, /metrics, /admission/limits, " +
                        "/cluster, /cluster/self, /cluster/isolate, /cluster/drain, /cluster/release, /evidence)\n");
        }
    }

    /** The evidence recorder: what {@code POST /evidence} triggers, for benchmarks and tests in process. */
    public io.chukei.gateway.evidence.EvidenceRecorder evidence()
    {
        return evidence.recorder();
    }

    public InetSocketAddress connectorAddress()
    {
        return connectorAddress;
    }

    public InetSocketAddress adminAddress()
    {
        return adminAddress;
    }

    /** The plain listener's address (health and metrics), or null when {@code admin.plainListen} is off. */
    public InetSocketAddress plainAdminAddress()
    {
        return plainAdminAddress;
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

    /** The CRLs in force, or null when {@code tls.crl} is not set (e.g. for the admin listener's policy). */
    public Revocation revocation()
    {
        return revocation;
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
            ", admin https://" + config.adminListen().host() + ":" + adminAddress.getPort() + " (mutual TLS)" +
            (plainAdminAddress == null ? "" : ", health and metrics http://" + config.admin().plainListen().host() + ":" +
                plainAdminAddress.getPort()) +
            (journal.durability() == JournalDurability.OFF ? ", journal off" :
                ", journal " + config.dataDir().resolve("journal") + " (" + config.journal().durability().name().toLowerCase() +
                ", " + recovery + ")") +
            ", upstream " + (simulator != null ? "embedded simulator " + simulator.upstreamAddress() :
                config.upstream().endpoints().toString());
    }

    /**
     * A graceful stop (SIGTERM): the node turns DRAINING (connectors are sent to other nodes, readiness goes
     * false, peers see it drain), waits up to {@code maxWaitMs} for its requests in flight to get their
     * answers, then closes. What is still in flight stays journaled and is re-forwarded at the next start.
     */
    public void drainAndClose(final long maxWaitMs)
    {
        if (closed)
        {
            return;
        }
        if (nodeStatus == null || core == null)
        {
            close();
            return;
        }
        final long start = System.nanoTime();
        LOG.info("Node {} stopping: draining (new Submits redirected, connectors sent away), {} requests in flight, " +
            "waiting up to {} ms", config.nodeId(), core.inFlightCount(), maxWaitMs);
        nodeStatus.stopping("shutdown requested");
        final long deadline = start + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        while (core.inFlightCount() > 0 && System.nanoTime() - deadline < 0)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
        }
        final long tookMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        final int left = core.inFlightCount();
        if (left == 0)
        {
            LOG.info("Node {} drained in {} ms: no request in flight", config.nodeId(), tookMs);
        }
        else
        {
            LOG.warn("Node {} drain ended after {} ms with {} requests in flight: they stay journaled and are " +
                "re-forwarded at the next start", config.nodeId(), tookMs, left);
        }
        close();
        LOG.info("Node {} stopped", config.nodeId());
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            // A failed start closes the node, and the shutdown hook closes it again at exit.
            return;
        }
        closed = true;
        try
        {
            closeParts();
        }
        finally
        {
            // Whatever failed above, the directory is free again: a restart in this process must not find it held.
            releaseDataDirectory();
        }
    }

    private void closeParts()
    {
        ready = false;
        closing = true;
        if (recoveredRequests != null)
        {
            recoveredRequests.close();
        }
        for (final Thread thread : afterStart)
        {
            try
            {
                thread.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        metrics.close();
        if (health != null)
        {
            health.close();
        }
        if (evidence != null)
        {
            evidence.close();
        }
        if (prober != null)
        {
            prober.close();
        }
        if (revocation != null)
        {
            revocation.close();
        }
        if (statusTicker != null)
        {
            statusTicker.close();
        }
        if (server != null)
        {
            server.stop();
        }
        if (plainAdmin != null)
        {
            plainAdmin.stop();
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
            // The event loops have stopped: nothing counts refusals any more, and the last interval is kept.
            core.summariseRefusals();
        }
        if (simulator != null)
        {
            simulator.close();
        }
        if (journal != null)
        {
            journal.close();
        }
        if (stageLog != null)
        {
            // After the event loops: the last interval holds every request this node answered.
            stageLog.close();
        }
    }

    private void releaseDataDirectory()
    {
        if (dataDirectoryLock != null)
        {
            try
            {
                dataDirectoryLock.close();
            }
            catch (final IOException ex)
            {
                LOG.warn("Cannot release {}: {}", config.dataDir().resolve(DataDirectoryLock.FILE_NAME), ex.toString());
            }
            dataDirectoryLock = null;
        }
    }

    /** The body of {@code /health/ready}. */
    private record Readiness(boolean ready, int node, String state, String reason, int upstreamHealthy, int inFlight)
    {
    }
}
