package io.chukei.gateway.config;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.AdmissionProperties;
import io.chukei.gateway.cluster.ClusterMember;
import io.chukei.gateway.evidence.EvidenceConfig;
import io.chukei.gateway.latency.StageLogConfig;
import io.chukei.protocol.validation.Repertoire;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Everything a relay node needs to start, split by concern. Built from defaults, optionally
 * overridden by a properties file ({@link #load}); every value is checked once, here.
 * Every key is documented in gateway/README.md.
 */
public record RelayConfig(
    int nodeId,
    Path dataDir,
    Path pkiDir,
    Connector connector,
    Journal journal,
    Upstream upstream,
    HostPort adminListen,
    Simulator simulator,
    AdmissionConfig admission,
    Health health,
    Cluster cluster,
    StageLogConfig stages,
    Validation validation,
    EvidenceConfig evidence,
    boolean testFaults,
    Crl crl,
    Admin admin,
    Batch batch)
{
    /**
     * Batch accounts ({@code batch.maxOpen} accounts of at most {@code batch.maxSize} members each): what a node
     * keeps in memory for BatchDeclare / BatchStatusQuery; the journal keeps every manifest regardless.
     */
    public record Batch(int maxOpen, int maxSize)
    {
    }

    /**
     * Certificate revocation: the CRL file or directory ({@code tls.crl}; null when off) checked on every
     * TLS link, and how long past a list's nextUpdate it is still honoured before every handshake is refused.
     */
    public record Crl(Path location, int graceSeconds)
    {
        public boolean enabled()
        {
            return location != null;
        }
    }

    /**
     * The admin listener ({@code adminListen}: mutual TLS, roles from client certificates) and the optional plain
     * listener for load balancers and Prometheus ({@code plainListen}, null when off: health and metrics only).
     * A connection idle for {@code idleTimeoutMs} (a TLS handshake never finished included) is closed; past
     * {@code maxConnections} open at once, new ones are closed at accept.
     */
    public record Admin(HostPort plainListen, int idleTimeoutMs, int maxConnections)
    {
    }

    /**
     * How connector sessions are served. Before Hello a connection has two deadlines, each closing it when
     * passed: the TLS handshake done within {@code handshakeTimeoutMs} of accept (an idle socket included),
     * Hello within {@code helloTimeoutMs} of the handshake, whatever else the peer sends.
     */
    public record Connector(
        HostPort listen,
        int maxFrameLength,
        int heartbeatIntervalMs,
        int missedHeartbeats,
        int handshakeTimeoutMs,
        int helloTimeoutMs,
        int maxInFlight,
        int readBudgetBytes,
        int rateLimitedReadPauseMaxMs,
        TlsProvider tlsProvider,
        int statusQueryRate,
        int statusQueryBurst)
    {
    }

    /**
     * Journal durability and retention; refusals journaled one by one per municipality and second (the rest,
     * and every RATE_LIMITED/OVERLOADED, go into one summary entry per municipality per interval).
     * {@code keyFile}: the journal's key ring ({@code journal.keyFile}); null when not set, and the node then
     * uses (and on first start creates) {@code DATA/keys/journal.keys}. {@code seal}: personal fields sealed
     * ({@code journal.seal}, on); off is for benchmarks only (what sealing costs), like {@code journal.durability=off}.
     * {@code preallocateBytes}: disk kept allocated ahead of the journal's write position
     * ({@code journal.preallocateBytes}; 0 = not guarded).
     */
    public record Journal(Durability durability, int retentionDays, int refusalsPerSecond, int refusalSummarySeconds,
        Path keyFile, boolean seal, long preallocateBytes, int writebackCheckMs)
    {
    }

    /** Card-management endpoints and how requests are forwarded to them. */
    public record Upstream(
        List<HostPort> endpoints,
        boolean embedded,
        boolean tls,
        int attemptTimeoutMs,
        int heartbeatIntervalMs,
        int missedHeartbeats,
        int retryBackoffMs,
        int connectTimeoutMs,
        int ejectAfterErrors,
        int ejectionMs,
        int maxEjectionPercent,
        double outlierFactor,
        int connectionsPerEndpoint,
        int outcomeWaitMs)
    {
    }

    /**
     * The node's own health checks: bounds on event-loop lag, on the age of the oldest accepted request not
     * yet sent upstream and on journal append latency; how long all must pass before the node counts as
     * healthy again; how late a check may run before it counts as a stall of the whole process; how long after ready
     * event-loop lag is excused (warm-up).
     */
    public record Health(
        int checkIntervalMs,
        int maxEventLoopLagMs,
        int maxForwardAgeMs,
        int maxJournalAppendMs,
        int recoverAfterMs,
        int stallWakeMs,
        int startLagGraceMs)
    {
    }

    /**
     * The static cluster list and how peers are probed. An empty list is a cluster of this node
     * alone; a non-empty one contains {@code node.id}.
     */
    public record Cluster(List<ClusterMember> nodes, int probeIntervalMs, int probeTimeoutMs, int suspectAfterMissed)
    {
    }

    /** How Submits are checked: the text repertoire profile (protocol/README.md, "Repertoires"). */
    public record Validation(String repertoire)
    {
        /**
         * Builds the profile, reading an operator's file now: done once by the node at start, not at
         * load, so tools that only read the configuration (chukei admin) neither pay for it nor need the file.
         *
         * @throws IllegalArgumentException naming the key, and for a file the line that is malformed
         */
        public Repertoire buildRepertoire()
        {
            try
            {
                return Repertoire.forName(repertoire);
            }
            catch (final IllegalArgumentException ex)
            {
                // "repertoire file:P line 3: ..." becomes the key's own message.
                throw new IllegalArgumentException("validation." + ex.getMessage(), ex);
            }
        }
    }

    /** The embedded card-management simulator started when {@code upstream.endpoints=embedded}. */
    public record Simulator(HostPort listen, HostPort adminListen, int serviceTimeMs)
    {
    }

    /** Journal durability: what an Accepted survives. */
    public enum Durability
    {
        /** Survives a crash of the relay process (kill -9), not a power cut. */
        PROCESS,
        /** Synced to storage before Accepted (group commit): survives a power cut. */
        SYNC,
        /** Not journaled: benchmarks only (what the journal costs); Accepted promises nothing, a restart forgets all. */
        OFF
    }

    /** Which TLS implementation serves connectors. */
    public enum TlsProvider
    {
        /** OpenSSL (netty-tcnative BoringSSL) when available, else the JDK's. */
        AUTO,
        OPENSSL,
        JDK
    }

    /** The embedded defaults: loopback ports, process durability, embedded simulator. */
    public static RelayConfig defaults(final Path dataDir)
    {
        return load(new Properties(), dataDir);
    }

    /** Reads a properties file; keys it does not set keep their defaults; unknown keys are an error. */
    public static RelayConfig load(final Path file, final Path dataDirOverride) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        return load(properties, dataDirOverride);
    }

    /** Builds a configuration from properties; {@code dataDirOverride} (may be null) wins over {@code data.dir}. */
    public static RelayConfig load(final Properties properties, final Path dataDirOverride)
    {
        final Settings s = new Settings(properties);
        final int nodeId = s.integer("node.id", 1, 1, 65534);
        final String dataDirSetting = s.string("data.dir", "chukei-data");
        final Path dataDir = dataDirOverride != null ? dataDirOverride : Path.of(dataDirSetting);
        // Nodes of one cluster share a dev CA, so connectors trust every node and card management every relay.
        final String pkiSetting = s.string("pki.dir", "");
        final Path pkiDir = pkiSetting.isBlank() ? dataDir.resolve("pki") : Path.of(pkiSetting);

        final Connector connector = new Connector(
            s.hostPort("connector.listen", "127.0.0.1:7400"),
            s.integer("connector.maxFrameLength", 64 * 1024, 1024, 16 * 1024 * 1024),
            // 400 ms x missedHeartbeats 3: a connector notices a stopped node within 1.5 s and moves on.
            s.integer("connector.heartbeatIntervalMs", 400, 50, 60_000),
            s.integer("connector.missedHeartbeats", 3, 2, 100),
            // Counted from accept, so it bounds an idle socket too. The SDK gives up on a node after 2 s without
            // Welcome: a handshake still going after that helps nobody, and holds a pre-Hello place.
            s.integer("connector.handshakeTimeoutMs", 2000, 100, 120_000),
            s.integer("connector.helloTimeoutMs", 2000, 100, 120_000),
            s.integer("connector.maxInFlight", 4096, 1, 1_000_000),
            // One read per event-loop wake-up of at most this: a flooding connector's cost per turn is bounded, so the
            // others on its loop wait for one budget of its frames, not for everything its socket holds (bench/README.md,
            // "Flood"). Netty's default reads up to 16 x 64 KiB per wake-up.
            s.integer("connector.readBudgetBytes", 16 * 1024, 1024, 1024 * 1024),
            // After a RATE_LIMITED answer, nothing more is read from that connection until its retry-after, at most this
            // (0: never): a connector ignoring RATE_LIMITED meets TCP back pressure (bench/README.md, "Flood").
            s.integer("connector.rateLimitedReadPauseMaxMs", 200, 0, 10_000),
            s.choice("connector.tlsProvider", TlsProvider.AUTO, TlsProvider.class),
            // StatusQuery is cheap but not free: 56-94 k answers/s were measured from one connector without a limit.
            s.integer("connector.statusQuery.rate", 50, 1, 1_000_000),
            s.integer("connector.statusQuery.burst", 100, 1, 100_000_000));

        final Journal journal = new Journal(
            s.choice("journal.durability", Durability.PROCESS, Durability.class),
            s.integer("journal.retentionDays", 7, 1, 3650),
            s.integer("journal.refusals.perMunicipalityPerSecond", 5, 0, 100_000),
            s.integer("journal.refusals.summaryIntervalSeconds", 10, 1, 3600),
            s.string("journal.keyFile", "").isBlank() ? null : Path.of(s.string("journal.keyFile", "")),
            // Benchmarks only: entries in clear, to measure what sealing costs (bench/README.md, "Journal encryption").
            s.choice("journal.seal", Switch.ON, Switch.class) == Switch.ON,
            preallocateBytes(s.integer("journal.preallocateBytes", 16 << 20, 0, 1 << 30)),
            // Process mode: how often the kernel is asked whether the journal's write-back failed (0: never).
            s.integer("journal.writebackCheckMs", 1000, 0, 60_000));

        final String endpointsText = s.string("upstream.endpoints", "embedded");
        final boolean embedded = "embedded".equalsIgnoreCase(endpointsText);
        final Simulator simulator = new Simulator(
            s.hostPort("cardsim.listen", "127.0.0.1:7600"),
            s.hostPort("cardsim.adminListen", "127.0.0.1:7601"),
            s.integer("cardsim.serviceTimeMs", 1, 0, 60_000));
        final List<HostPort> endpoints = new ArrayList<>();
        if (embedded)
        {
            endpoints.add(simulator.listen());
        }
        else
        {
            for (final String part : endpointsText.split(","))
            {
                if (!part.isBlank())
                {
                    endpoints.add(HostPort.parse("upstream.endpoints", part.trim()));
                }
            }
            if (endpoints.isEmpty())
            {
                throw new IllegalArgumentException(
                    "upstream.endpoints: '" + endpointsText + "' (expected: 'embedded' or host:port[,host:port...])");
            }
        }
        final Upstream upstream = new Upstream(
            List.copyOf(endpoints),
            embedded,
            s.bool("upstream.tls", true),
            s.integer("upstream.attemptTimeoutMs", 2000, 10, 600_000),
            s.integer("upstream.heartbeatIntervalMs", 250, 10, 60_000),
            s.integer("upstream.missedHeartbeats", 4, 2, 100),
            s.integer("upstream.retryBackoffMs", 20, 0, 60_000),
            s.integer("upstream.connectTimeoutMs", 1000, 10, 60_000),
            s.integer("upstream.ejectAfterErrors", 5, 1, 1000),
            s.integer("upstream.ejectionMs", 2000, 10, 600_000),
            s.integer("upstream.maxEjectionPercent", 50, 0, 100),
            s.decimal("upstream.outlierFactor", 3.0, 1.1, 1000.0),
            // 1 by default: measured on 2 cores, one connection per event loop (0) doubled p99 (batching per flush is lost).
            s.integer("upstream.connectionsPerEndpoint", 1, 0, 64),
            // After a deadline that passed once a forward had left, how long the node keeps asking for the Outcome.
            s.integer("upstream.outcomeWaitMs", 600_000, 1000, 86_400_000));

        final Health health = new Health(
            s.integer("health.checkIntervalMs", 100, 10, 10_000),
            s.integer("health.maxEventLoopLagMs", 500, 10, 600_000),
            s.integer("health.maxForwardAgeMs", 5000, 100, 3_600_000),
            s.integer("health.maxJournalAppendMs", 1000, 1, 600_000),
            s.integer("health.recoverAfterMs", 3000, 0, 3_600_000),
            s.integer("health.stallWakeMs", 1000, 50, 600_000),
            s.integer("health.startLagGraceMs", 10_000, 0, 600_000));
        final int idleTimeoutMs = connector.heartbeatIntervalMs() * connector.missedHeartbeats();
        if (connector.rateLimitedReadPauseMaxMs() >= idleTimeoutMs)
        {
            throw new IllegalArgumentException("connector.rateLimitedReadPauseMaxMs: " + connector.rateLimitedReadPauseMaxMs() +
                " (expected: < connector.heartbeatIntervalMs x connector.missedHeartbeats, " + idleTimeoutMs +
                ", or a paused connector would be taken for dead)");
        }
        if (health.stallWakeMs() <= health.checkIntervalMs())
        {
            throw new IllegalArgumentException("health.stallWakeMs: " + health.stallWakeMs() +
                " (expected: > health.checkIntervalMs, " + health.checkIntervalMs() + ")");
        }

        final HostPort admin = s.hostPort("admin.listen", "127.0.0.1:7500");
        final String plainListen = s.string("admin.plainListen", "off").trim();
        final Admin adminAccess = new Admin(
            "off".equalsIgnoreCase(plainListen) ? null : HostPort.parse("admin.plainListen", plainListen),
            // Peers probe every 250 ms and the status page polls every second: 10 s idle is nobody working.
            s.integer("admin.idleTimeoutMs", 10_000, 100, 3_600_000),
            // Operators, viewers, Prometheus and every peer's probe connection fit many times over.
            s.integer("admin.maxConnections", 256, 1, 100_000));
        final Cluster cluster = cluster(s, nodeId);
        final StageLogConfig stages = stages(s);
        final Validation validation = new Validation(repertoire(s.string("validation.repertoire", Repertoire.JAPANESE_NAMES)));
        final EvidenceConfig evidence = evidence(s);
        // Test-only fault switches (admin POST /faults/...): off unless a test turns them on.
        final boolean testFaults = s.choice("faults.testSwitches", Switch.OFF, Switch.class) == Switch.ON;
        final String crlSetting = s.string("tls.crl", "");
        final Crl crl = new Crl(crlSetting.isBlank() ? null : Path.of(crlSetting),
            s.integer("tls.crl.graceSeconds", 3600, 0, 30 * 86_400));
        // 64 accounts of 50,000 members cost at most 64 x 50,000 x 18 bytes = 58 MB (ids, state, arrival flag).
        final Batch batch = new Batch(s.integer("batch.maxOpen", 64, 1, 10_000),
            s.integer("batch.maxSize", 50_000, 1, 1_000_000));
        s.rejectUnknownKeys();
        return new RelayConfig(nodeId, dataDir, pkiDir, connector, journal, upstream, admin, simulator,
            AdmissionProperties.parse(properties), health, cluster, stages, validation, evidence, testFaults, crl, adminAccess,
            batch);
    }

    /** 0 (not guarded) or 1 MiB..1 GiB: a smaller window could not hold one large entry and the margin. */
    private static long preallocateBytes(final int bytes)
    {
        if (bytes != 0 && bytes < (1 << 20))
        {
            throw new IllegalArgumentException("journal.preallocateBytes: " + bytes + " (expected: 0 or 1048576..1073741824)");
        }
        return bytes;
    }

    private static String repertoire(final String profile)
    {
        try
        {
            return Repertoire.checkName(profile);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("validation." + ex.getMessage(), ex);
        }
    }

    /** {@code metrics.stages*}: per-stage latency histograms and their interval logs under DATA/histograms. */
    private static StageLogConfig stages(final Settings s)
    {
        final StageLogConfig d = StageLogConfig.defaults();
        return new StageLogConfig(
            s.choice("metrics.stages", Switch.ON, Switch.class) == Switch.ON,
            s.integer("metrics.stages.intervalMs", d.intervalMs(), 100, 3_600_000),
            s.integer("metrics.stages.rotateMinutes", d.rotateMinutes(), 1, 24 * 60),
            s.integer("metrics.stages.retainHours", d.retainHours(), 1, 24 * 366),
            s.integer("metrics.stages.maxMegabytes", d.maxMegabytes(), 1, 1_000_000),
            s.integer("metrics.stages.recentMinutes", d.recentMinutes(), 1, 24 * 60));
    }

    /** {@code evidence.*}: flight recording, GC log, log ring and evidence bundles under DATA/evidence. */
    private static EvidenceConfig evidence(final Settings s)
    {
        final EvidenceConfig d = EvidenceConfig.defaults();
        return new EvidenceConfig(
            s.choice("evidence", Switch.ON, Switch.class) == Switch.ON,
            s.integer("evidence.minIntervalSeconds", d.minIntervalSeconds(), 0, 86_400),
            s.integer("evidence.retainBundles", d.retainBundles(), 1, 10_000),
            s.integer("evidence.maxMegabytes", d.maxMegabytes(), 1, 1_000_000),
            s.integer("evidence.windowSeconds", d.windowSeconds(), 1, 86_400),
            s.integer("evidence.logLines", d.logLines(), 0, 1_000_000),
            s.integer("evidence.gcPauseMs", d.gcPauseMs(), 1, 600_000),
            s.choice("evidence.jfr", Switch.ON, Switch.class) == Switch.ON,
            s.integer("evidence.jfr.maxAgeSeconds", d.jfrMaxAgeSeconds(), 10, 7 * 86_400),
            s.integer("evidence.jfr.maxMegabytes", d.jfrMaxMegabytes(), 1, 100_000),
            s.choice("evidence.gcLog", Switch.ON, Switch.class) == Switch.ON,
            s.integer("evidence.gcLog.files", d.gcLogFiles(), 1, 1000),
            s.integer("evidence.gcLog.fileMegabytes", d.gcLogFileMegabytes(), 1, 10_000),
            jfrSettings(s.string("evidence.jfr.settings", d.jfrSettings())));
    }

    /** {@code evidence.jfr.settings}: a profile name the node knows, or a .jfc file that exists. */
    private static String jfrSettings(final String value)
    {
        final String settings = value.strip();
        if (settings.equals(EvidenceConfig.CHUKEI_JFR_SETTINGS) || settings.equals("default") || settings.equals("profile") ||
            settings.endsWith(".jfc") && java.nio.file.Files.isRegularFile(Path.of(settings)))
        {
            return settings;
        }
        throw new IllegalArgumentException("evidence.jfr.settings: '" + value +
            "' (expected: chukei, default, profile or the path of an existing .jfc file)");
    }

    /** A feature switched on or off. */
    public enum Switch
    {
        ON,
        OFF
    }

    private static Cluster cluster(final Settings s, final int nodeId)
    {
        final List<ClusterMember> nodes = ClusterMember.parseList("cluster.nodes", s.string("cluster.nodes", ""));
        if (!nodes.isEmpty() && nodes.stream().noneMatch(member -> member.id() == nodeId))
        {
            throw new IllegalArgumentException("cluster.nodes: " + nodes + " has no node " + nodeId +
                " (expected: an entry for node.id " + nodeId + ")");
        }
        final int probeIntervalMs = s.integer("cluster.probeIntervalMs", 250, 10, 60_000);
        final int probeTimeoutMs = s.integer("cluster.probeTimeoutMs", 250, 10, 60_000);
        final int suspectAfterMissed = s.integer("cluster.suspectAfterMissed", 3, 1, 100);
        return new Cluster(nodes, probeIntervalMs, probeTimeoutMs, suspectAfterMissed);
    }
}
