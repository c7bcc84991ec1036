package io.chukei.gateway.node;

import io.chukei.gateway.cli.ChukeiCommand;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.ClusterViewDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.RedirectDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two in-process relay nodes on loopback that know each other: operator isolation through the
 * admin API and the CLI, what connectors see, persistence across a restart, and a stopped peer.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterSystemTest
{
    private static final String MUNICIPALITY = "131016";
    /** Frequent probes, but a timeout generous enough that a busy test machine is not mistaken for a hung peer. */
    private static final String[] FAST_PROBES = {"cluster.probeIntervalMs", "100", "cluster.probeTimeoutMs", "1000"};

    @TempDir
    Path dataDir1;

    @TempDir
    Path dataDir2;

    private RelayNode node1;
    private RelayNode node2;

    @AfterEach
    void stopNodes()
    {
        for (final RelayNode node : new RelayNode[] {node1, node2})
        {
            if (node != null)
            {
                node.close();
            }
        }
    }

    @Test
    void anIsolatedNodeSendsItsSessionsAwayRedirectsNewWorkAndStaysIsolatedAcrossARestartUntilReleased() throws Exception
    {
        final int[] ports = NodeFixtures.freePorts(4);
        final RelayConfig config1 = NodeFixtures.clusterNode(dataDir1, ports, 0, FAST_PROBES);
        node1 = new RelayNode(config1, Clock.systemUTC()).start();
        node2 = new RelayNode(NodeFixtures.clusterNode(dataDir2, ports, 1, FAST_PROBES), Clock.systemUTC()).start();
        // Node 1 started first and may have missed probes of node 2 while it was starting.
        await().atMost(Duration.ofSeconds(10)).until(() -> node1.clusterView().stateOf(2) == NodeState.ACTIVE);

        try (RawConnector connector = new RawConnector(node1.connectorAddress(), connectorTls()))
        {
            assertThat(viewOf(welcome(connector))).containsEntry(1, NodeState.ACTIVE).containsEntry(2, NodeState.ACTIVE);

            final HttpResponse<String> isolated = post(node1, "/cluster/isolate?node=1&reason=maintenance");
            assertThat(isolated.statusCode()).isEqualTo(200);

            final MessageReader goAway = connector.next();
            assertThat(goAway.templateId()).isEqualTo(GoAwayDecoder.TEMPLATE_ID);
            assertThat(goAway.goAway().code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);
            final Map<Integer, NodeState> view = new LinkedHashMap<>();
            for (final GoAwayDecoder.NodesDecoder node : goAway.goAway().nodes())
            {
                view.put(node.nodeId(), node.state());
                node.address(); // var-data must be read before the next entry
            }
            assertThat(view).containsEntry(1, NodeState.ISOLATED).containsEntry(2, NodeState.ACTIVE);
            assertThat(goAway.goAway().detail()).contains("ISOLATED").contains("maintenance");
            connector.closedFuture().get(10, TimeUnit.SECONDS);
        }

        assertNewSubmitIsRedirected(node1);
        await().atMost(Duration.ofSeconds(10)).until(() -> node2.clusterView().stateOf(1) == NodeState.ISOLATED);
        assertThat(node2.clusterView().json()).contains("operator isolated: maintenance");
        assertThat(node1.journal().stats().countsByType()).containsKey(JournalEventType.AUDIT);
        assertThat(node1.journal().trace(0, 0)).anySatisfy(event -> assertThat(event.summary())
            .contains("actor=" + "operator:" + AdminHttp.OPERATOR, "cluster-isolate"));

        node1.close();
        node1 = new RelayNode(config1, Clock.systemUTC()).start();

        assertThat(node1.nodeStatus().state()).isEqualTo(NodeState.ISOLATED);
        assertNewSubmitIsRedirected(node1);

        final StringWriter out = new StringWriter();
        final int exit = cli(out, "admin", "release", "1", "--admin", adminOf(node1) + "," + adminOf(node2),
            "--pki", node1.config().pkiDir().toString());

        assertThat(exit).isZero();
        assertThat(out.toString().lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains(" ok: node 1 is "));
        assertThat(node1.nodeStatus().state()).isEqualTo(NodeState.ACTIVE);
        await().atMost(Duration.ofSeconds(10)).until(() -> node2.clusterView().stateOf(1) == NodeState.ACTIVE);
        try (RawConnector connector = new RawConnector(node1.connectorAddress(), connectorTls()))
        {
            welcome(connector);
            connector.send(new SubmitEncoder(), submit -> RawSubmits.cardStatus(submit, MUNICIPALITY));
            assertThat(connector.next().templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
        }
    }

    @Test
    void aStoppedPeerBecomesSuspectAndConnectorsAreToldSo() throws Exception
    {
        final int[] ports = NodeFixtures.freePorts(4);
        node1 = new RelayNode(NodeFixtures.clusterNode(dataDir1, ports, 0, FAST_PROBES), Clock.systemUTC()).start();
        node2 = new RelayNode(NodeFixtures.clusterNode(dataDir2, ports, 1, FAST_PROBES), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(10)).until(() ->
            java.util.regex.Pattern.compile("\"id\":2,[^}]*\"lastProbeMs\":\\d+").matcher(node1.clusterView().json()).find());

        try (RawConnector connector = new RawConnector(node1.connectorAddress(), connectorTls()))
        {
            welcome(connector);

            node2.close();
            node2 = null;

            await().atMost(Duration.ofSeconds(10)).until(() -> node1.clusterView().stateOf(2) == NodeState.SUSPECT);
            final MessageReader pushed = connector.next();
            assertThat(pushed.templateId()).isEqualTo(ClusterViewDecoder.TEMPLATE_ID);
            final Map<Integer, NodeState> view = new LinkedHashMap<>();
            for (final ClusterViewDecoder.NodesDecoder node : pushed.clusterView().nodes())
            {
                view.put(node.nodeId(), node.state());
                node.address(); // var-data must be read before the next entry
            }
            assertThat(view).containsEntry(1, NodeState.ACTIVE).containsEntry(2, NodeState.SUSPECT);
            assertThat(node1.clusterView().json()).contains("probes missed in a row");
        }
    }

    @Test
    void anActionForANodeOutsideTheClusterListIsABadRequestNamingTheParameter() throws Exception
    {
        final int[] ports = NodeFixtures.freePorts(4);
        node1 = new RelayNode(NodeFixtures.clusterNode(dataDir1, ports, 0, FAST_PROBES), Clock.systemUTC()).start();

        final HttpResponse<String> unknown = post(node1, "/cluster/isolate?node=9");
        final HttpResponse<String> missing = post(node1, "/cluster/drain");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).startsWith("node: 9 (expected: a node of the cluster list, one of [1, 2])");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).startsWith("node: missing");
        assertThat(node1.nodeStatus().state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void theCliSaysSoWhenNoNodeRecordedTheAction() throws Exception
    {
        final int[] closed = NodeFixtures.freePorts(1);
        final StringWriter out = new StringWriter();

        AdminHttp.files(dataDir1.resolve("pki"), io.chukei.gateway.pki.PeerRole.OPERATOR, AdminHttp.OPERATOR);

        final int exit = cli(out, "admin", "isolate", "1", "--admin", "127.0.0.1:" + closed[0], "--pki",
            dataDir1.resolve("pki").toString());

        assertThat(exit).isNotZero();
        assertThat(out.toString()).startsWith("127.0.0.1:" + closed[0] + " unreachable");
    }

    private void assertNewSubmitIsRedirected(final RelayNode node) throws Exception
    {
        try (RawConnector connector = new RawConnector(node.connectorAddress(), connectorTls()))
        {
            assertThat(viewOf(welcome(connector))).containsEntry(1, NodeState.ISOLATED);
            connector.send(new SubmitEncoder(), submit -> RawSubmits.cardStatus(submit, MUNICIPALITY));

            final MessageReader reply = connector.next();
            assertThat(reply.templateId()).isEqualTo(RedirectDecoder.TEMPLATE_ID);
            assertThat(reply.redirect().state()).isEqualTo(NodeState.ISOLATED);
        }
    }

    private io.netty.handler.ssl.SslContext connectorTls() throws Exception
    {
        return TlsContexts.client(DevPki.openOrCreate(dataDir1.resolve("pki"), MunicipalityCodes::isValid)
            .issueConnector(MUNICIPALITY), PeerPolicy.relayClient());
    }

    /**
     * A peer's node certificate revoked in the CRL: the probes of it stop counting as answers even on the connection
     * the probing node kept alive from before (its handshake, where the trust manager would have refused, is not made
     * again), so the peer goes SUSPECT and its connectors are sent elsewhere.
     */
    @Test
    void aPeerWhoseCertificateIsRevokedIsSuspectedOnTheProbeConnectionKeptAlive() throws Exception
    {
        final int[] ports = NodeFixtures.freePorts(4);
        NodeFixtures.clusterNode(dataDir1, ports, 0); // links the cluster's PKI, for its CRL below
        final DevPki pki = DevPki.openOrCreate(dataDir1.resolve("pki"), MunicipalityCodes::isValid);
        final String crl = pki.writeCrl(Duration.ofDays(7)).toString();
        node1 = new RelayNode(NodeFixtures.clusterNode(dataDir1, ports, 0, withCrl(crl)), Clock.systemUTC()).start();
        node2 = new RelayNode(NodeFixtures.clusterNode(dataDir2, ports, 1, withCrl(crl)), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> node1.clusterView().stateOf(2) == NodeState.ACTIVE);

        final Path node2Certificate = dataDir1.resolve("pki").resolve(DevPki.NODES_DIRECTORY).resolve("node-2.crt");
        pki.revoke(node2Certificate, io.chukei.gateway.pki.RevokedCertificate.Reason.KEY_COMPROMISE);

        await().atMost(Duration.ofSeconds(10)).until(() -> node1.clusterView().stateOf(2) == NodeState.SUSPECT);
        assertThat(node1.clusterView().json()).contains("its certificate is refused (revoked: ");
        assertThat(node1.metrics().scrape())
            .containsPattern("chukei_tls_peers_refused_total\\{link=\"probe-client\",node=\"1\",reason=\"revoked\"} [1-9]");
    }

    private static String[] withCrl(final String crl)
    {
        final String[] keys = java.util.Arrays.copyOf(FAST_PROBES, FAST_PROBES.length + 2);
        keys[FAST_PROBES.length] = "tls.crl";
        keys[FAST_PROBES.length + 1] = crl;
        return keys;
    }

    private static WelcomeDecoder welcome(final RawConnector connector) throws Exception
    {
        assertThat(connector.handshake()).isTrue();
        connector.hello(MUNICIPALITY);
        final MessageReader reply = connector.next();
        assertThat(reply.templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        return reply.welcome();
    }

    private static Map<Integer, NodeState> viewOf(final WelcomeDecoder welcome)
    {
        final Map<Integer, NodeState> view = new LinkedHashMap<>();
        for (final WelcomeDecoder.NodesDecoder node : welcome.nodes())
        {
            view.put(node.nodeId(), node.state());
            node.address(); // var-data must be read before the next entry
        }
        return view;
    }

    private HttpResponse<String> post(final RelayNode node, final String pathAndQuery) throws Exception
    {
        return AdminHttp.operator(node).post(node, pathAndQuery);
    }

    private static String adminOf(final RelayNode node)
    {
        return "127.0.0.1:" + node.adminAddress().getPort();
    }

    private static int cli(final StringWriter out, final String... args)
    {
        final CommandLine command = ChukeiCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(new StringWriter(), true));
        return command.execute(args);
    }
}
