package io.chukei.bench.cluster;

import io.chukei.bench.netlab.NetworkLab;
import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Relay nodes in processes of their own on loopback, configured as one cluster, sharing one dev
 * PKI, all forwarding to one card-management simulator (in this JVM, so its failure switches and
 * ledger are at hand) with several endpoints.
 */
public final class LocalCluster implements AutoCloseable
{
    private static final Pattern IN_FLIGHT = Pattern.compile("\"inFlight\"\\s*:\\s*(\\d+)");

    /**
     * What to start. {@code nodeSettings} are added to every node's configuration and win over ours.
     * {@code journalTmpfs}: null, or the size of a tmpfs mounted on every node's journal directory (root only) so
     * {@link Fault#DISK_FULL} can fill it.
     */
    public record Settings(
        int nodes,
        int endpoints,
        long serviceTimeMs,
        long jitterMs,
        int concurrency,
        Map<String, String> nodeSettings,
        String heap,
        String journalTmpfs)
    {
        public Settings
        {
            if (nodes < 1 || nodes > 9)
            {
                throw new IllegalArgumentException("nodes: " + nodes + " (expected: 1..9)");
            }
            if (endpoints < 1 || endpoints > CardSimulatorConfig.MAX_ENDPOINTS)
            {
                throw new IllegalArgumentException("endpoints: " + endpoints + " (expected: 1.." +
                    CardSimulatorConfig.MAX_ENDPOINTS + ")");
            }
            nodeSettings = Map.copyOf(nodeSettings);
        }

        /** Three nodes, two endpoints, 20 ± 10 ms service time, 64 requests in service at once. */
        public static Settings defaults()
        {
            return new Settings(3, 2, 20, 10, 64, Map.of(), "384m", null);
        }

        public Settings withNodeSettings(final Map<String, String> more)
        {
            final Map<String, String> merged = new LinkedHashMap<>(nodeSettings);
            merged.putAll(more);
            return new Settings(nodes, endpoints, serviceTimeMs, jitterMs, concurrency, merged, heap, journalTmpfs);
        }

        /** As these settings, with {@code count} nodes. */
        public Settings withNodes(final int count)
        {
            return new Settings(count, endpoints, serviceTimeMs, jitterMs, concurrency, nodeSettings, heap, journalTmpfs);
        }

        /** Every node's journal on a tmpfs of this size (e.g. {@code 32m}); null for none. */
        public Settings withJournalTmpfs(final String size)
        {
            return new Settings(nodes, endpoints, serviceTimeMs, jitterMs, concurrency, nodeSettings, heap, size);
        }
    }

    private final Path directory;
    private final DevPki pki;
    private final CardSimulator simulator;
    private final List<ClusterNode> nodes;
    private final HttpClient http;
    /** Tmpfs mounts of the nodes' journals, by node id - 1; empty without {@code journalTmpfs}. */
    private final List<JournalTmpfs> journalMounts = new ArrayList<>();
    private final NetworkLab lab;
    private final FaultTraffic faultTraffic = new FaultTraffic();

    private LocalCluster(final Path directory, final DevPki pki, final CardSimulator simulator, final List<ClusterNode> nodes,
        final HttpClient http, final NetworkLab lab)
    {
        this.directory = directory;
        this.pki = pki;
        this.simulator = simulator;
        this.nodes = nodes;
        this.http = http;
        this.lab = lab;
    }

    /** Creates the PKI, starts the simulator and every node (in parallel) and waits until all take traffic. */
    public static LocalCluster start(final Path directory, final Settings settings) throws IOException, InterruptedException
    {
        return start(directory, settings, null);
    }

    /**
     * As {@link #start(Path, Settings)}; with a {@code lab} (at least one host per node), node N runs in the lab's
     * host N namespace on its address, and the simulator listens on the lab's root address, so network faults
     * can be injected between them. The caller closes the lab after the cluster.
     */
    public static LocalCluster start(final Path directory, final Settings settings, final NetworkLab lab)
        throws IOException, InterruptedException
    {
        if (lab != null && lab.hosts() < settings.nodes())
        {
            throw new IllegalArgumentException("lab: " + lab.hosts() + " hosts (expected: >= nodes, " + settings.nodes() + ")");
        }
        Files.createDirectories(directory);
        final DevPki pki = DevPki.openOrCreate(directory.resolve("pki"), MunicipalityCodes::isValid);
        final String simulatorHost = lab == null ? "127.0.0.1" : lab.rootAddress();
        final CardSimulator simulator = new CardSimulator(CardSimulatorConfig.builder()
            .host(simulatorHost)
            .endpoints(settings.endpoints())
            .tls(pki.ensureUpstream("cardsim", DevPki.DEFAULT_DNS_NAMES, java.util.stream.Stream.concat(
                DevPki.DEFAULT_IP_ADDRESSES.stream(), java.util.stream.Stream.of(simulatorHost)).distinct().toList()).files())
            .serviceTimeMs(settings.serviceTimeMs())
            .jitterMs(settings.jitterMs())
            .concurrency(settings.concurrency())
            .dataDirectory(directory.resolve("cardsim"))
            .build()).start();
        // The nodes' admin listeners require a client certificate; isolate and release need an operator's.
        final HttpClient http = io.chukei.gateway.tls.AdminHttpClients.builder(pki.issueOperator("bench"))
            .connectTimeout(Duration.ofSeconds(1)).build();
        final List<ClusterNode> nodes = new ArrayList<>();
        final LocalCluster cluster = new LocalCluster(directory, pki, simulator, nodes, http, lab);
        try
        {
            final java.util.Set<Integer> taken = new java.util.HashSet<>();
            for (int id = 1; id <= settings.nodes(); id++)
            {
                final Path dataDir = directory.resolve("node-" + id);
                Files.createDirectories(dataDir);
                if (settings.journalTmpfs() != null)
                {
                    cluster.journalMounts.add(JournalTmpfs.mount(dataDir.resolve("journal"), settings.journalTmpfs()));
                }
                final String host = lab == null ? "127.0.0.1" : lab.address(id);
                nodes.add(new ClusterNode(id, new InetSocketAddress(host, freePort(taken)), new InetSocketAddress(host, freePort(taken)),
                    dataDir.resolve("node.conf"), dataDir, settings.heap(), http, lab == null ? List.of() : lab.exec(id)));
            }
            for (final ClusterNode node : nodes)
            {
                Files.writeString(node.config(), cluster.configText(node, settings), StandardCharsets.UTF_8);
            }
            final List<Integer> readyBefore = new ArrayList<>();
            for (final ClusterNode node : nodes)
            {
                readyBefore.add(node.launch());
            }
            for (int i = 0; i < nodes.size(); i++)
            {
                nodes.get(i).awaitReady(readyBefore.get(i));
            }
            return cluster;
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            cluster.close();
            throw ex;
        }
    }

    private String configText(final ClusterNode node, final Settings settings)
    {
        final Map<String, String> keys = new LinkedHashMap<>();
        keys.put("node.id", Integer.toString(node.id()));
        keys.put("pki.dir", pki.directory().toString());
        keys.put("connector.listen", address(node.connector()));
        keys.put("admin.listen", address(node.admin()));
        keys.put("upstream.endpoints", simulator.upstreamAddresses().stream().map(LocalCluster::address)
            .collect(Collectors.joining(",")));
        keys.put("cluster.nodes", clusterNodes());
        // Fault tests and benchmarks measure failover, not admission: limits far above the load.
        keys.put("admission.rate.default", "100000");
        keys.put("admission.burst.default", "100000");
        keys.putAll(settings.nodeSettings());
        final StringBuilder text = new StringBuilder("# written by LocalCluster\n");
        keys.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    /** The {@code cluster.nodes} value every node gets. */
    public String clusterNodes()
    {
        return nodes.stream().map(n -> n.id() + "@" + address(n.connector()) + "/" + address(n.admin()))
            .collect(Collectors.joining(","));
    }

    public List<ClusterNode> nodes()
    {
        return List.copyOf(nodes);
    }

    /** The node with this id (1-based). */
    public ClusterNode node(final int id)
    {
        return nodes.get(id - 1);
    }

    public List<InetSocketAddress> connectorAddresses()
    {
        return nodes.stream().map(ClusterNode::connector).toList();
    }

    /** The tmpfs under node {@code id}'s journal; fails when the cluster was started without {@code journalTmpfs}. */
    public JournalTmpfs journalTmpfs(final int id)
    {
        if (journalMounts.isEmpty())
        {
            throw new IllegalStateException("journal tmpfs: none (expected: Settings.withJournalTmpfs, soak --journal-tmpfs)");
        }
        return journalMounts.get(id - 1);
    }

    /** The network lab the nodes run in, or null when they run on loopback. */
    public NetworkLab lab()
    {
        return lab;
    }

    /** The records and live state of faults that bring connectors of their own. */
    public FaultTraffic faultTraffic()
    {
        return faultTraffic;
    }

    public CardSimulator simulator()
    {
        return simulator;
    }

    public DevPki pki()
    {
        return pki;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Requests in flight on a node, from {@code /cluster/self} (readiness answers 503 while a node is isolated or
     * draining, exactly when this is asked); empty when it does not answer.
     */
    public Optional<Integer> inFlight(final ClusterNode node)
    {
        return node.adminGet("/cluster/self").map(IN_FLIGHT::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)));
    }

    /** Waits until every running node reports nothing in flight; false when the timeout passes first. */
    public boolean awaitIdle(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            boolean idle = true;
            for (final ClusterNode node : nodes)
            {
                if (node.isRunning() && inFlight(node).orElse(1) != 0)
                {
                    idle = false;
                }
            }
            if (idle)
            {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return false;
    }

    /**
     * The state {@code observer} reports for node {@code nodeId} in its {@code GET /cluster} view;
     * empty when the observer does not answer.
     */
    public Optional<String> stateSeenBy(final ClusterNode observer, final int nodeId)
    {
        return observer.adminGet("/cluster").flatMap(json -> ClusterViewJson.stateOf(json, nodeId));
    }

    /**
     * Polls {@code observer}'s view every 5 ms until node {@code nodeId} has {@code state}; the
     * milliseconds it took, or -1 after {@code timeout}.
     */
    public long awaitStateSeenBy(final ClusterNode observer, final int nodeId, final String state, final Duration timeout)
        throws InterruptedException
    {
        final long start = System.nanoTime();
        final long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            if (stateSeenBy(observer, nodeId).filter(state::equals).isPresent())
            {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return -1;
    }

    @Override
    public void close()
    {
        faultTraffic.closeLive();
        for (final ClusterNode node : nodes)
        {
            try
            {
                if (Thread.currentThread().isInterrupted())
                {
                    // Interrupted (a test's time limit): every wait would end at once, so no SIGTERM and wait.
                    node.destroyNow();
                }
                else
                {
                    node.stop();
                }
            }
            catch (final IOException ex)
            {
                System.err.println("cluster: could not stop " + node + ": " + ex.getMessage());
                node.destroyNow();
            }
            catch (final InterruptedException ex)
            {
                node.destroyNow();
                Thread.currentThread().interrupt();
            }
        }
        simulator.close();
        for (final JournalTmpfs mount : journalMounts)
        {
            try
            {
                mount.close();
            }
            catch (final IOException ex)
            {
                System.err.println("cluster: " + ex.getMessage());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String address(final InetSocketAddress address)
    {
        return address.getHostString() + ":" + address.getPort();
    }

    /**
     * A port free now on loopback: nodes keep their addresses across restarts, so port 0 will not do.
     * Taken below Linux's ephemeral range (32768–60999), where no outgoing connection can take it as
     * its local port between this check and the node's bind.
     */
    static int freePort(final java.util.Set<Integer> taken) throws IOException
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (!taken.add(port))
            {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
            {
                return socket.getLocalPort();
            }
            catch (final IOException inUse)
            {
                // Taken: try another.
            }
        }
        throw new IOException("no free loopback port in 20000..32000 after 1,000 tries");
    }
}
