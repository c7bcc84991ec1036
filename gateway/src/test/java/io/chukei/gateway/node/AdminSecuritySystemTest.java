package io.chukei.gateway.node;

import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.AdminHttpClients;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.protocol.sbe.NodeState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The admin listener with mutual TLS and roles: no certificate, no answer; a viewer reads but cannot act, and
 * the attempt is journaled under its name; an operator acts, and the audit entry names them; idle and
 * surplus connections are closed while the node stays serviceable; the plain listener serves health and
 * metrics only.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminSecuritySystemTest
{
    @TempDir
    Path dataDir;

    private final List<Socket> sockets = new ArrayList<>();
    private RelayNode node;

    @AfterEach
    void stop() throws IOException
    {
        for (final Socket socket : sockets)
        {
            socket.close();
        }
        if (node != null)
        {
            node.close();
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedAtTheHandshake() throws Exception
    {
        node = start();
        final HttpClient anonymous = HttpClient.newBuilder().sslContext(trustingOnly(node.config().pkiDir()))
            .connectTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> anonymous.send(HttpRequest.newBuilder(AdminHttp.uri(node, "/cluster")).build(),
            HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
            node.adminAddress().getPort() + "/cluster/isolate?node=1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(node.nodeStatus().state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void aViewerReadsButCannotIsolateAndTheAttemptIsJournaledWithItsName() throws Exception
    {
        node = start();
        final AdminHttp viewer = AdminHttp.viewer(node);

        assertThat(viewer.get(node, "/cluster").statusCode()).isEqualTo(200);
        assertThat(viewer.get(node, "/status.json").statusCode()).isEqualTo(200);
        final HttpResponse<String> refused = viewer.post(node, "/cluster/isolate?node=1&reason=not%20mine");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("viewer:" + AdminHttp.VIEWER, "expected: an operator certificate");
        assertThat(node.nodeStatus().state()).isEqualTo(NodeState.ACTIVE);
        assertThat(node.journal().trace(0, 0)).singleElement().satisfies(event -> assertThat(event.summary())
            .contains("actor=viewer:" + AdminHttp.VIEWER, "action=admin-refused", "POST /cluster/isolate"));
        assertThat(node.metrics().scrape()).contains("chukei_admin_requests_refused_total{listener=\"admin\",node=\"1\"," +
            "reason=\"role\"} 1.0");
    }

    @Test
    void onlyAnOperatorHasAnEvidenceBundleWrittenAViewerMayListThem() throws Exception
    {
        node = start();
        final java.nio.file.Path evidence = node.config().dataDir().resolve("evidence");

        final HttpResponse<String> refused = AdminHttp.viewer(node).post(node, "/evidence?reason=not%20mine");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(AdminHttp.viewer(node).get(node, "/evidence").statusCode()).isEqualTo(200);

        final HttpResponse<String> written = AdminHttp.operator(node).post(node, "/evidence?reason=drill");
        assertThat(written.statusCode()).as(written.body()).isEqualTo(202);
        // Its own "-operator" bundle, or one an automatic trigger (event-loop lag on a starved machine) was writing when
        // it came, which it joins: either way the manifest names the operator and the reason.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(io.chukei.gateway.evidence.EvidenceBundles.list(evidence)).anySatisfy(bundle ->
                assertThat(bundle.resolve("manifest.json")).content()
                    .contains("operator request by operator:" + AdminHttp.OPERATOR + ": drill")));
    }

    @Test
    void anOperatorIsolatesAndTheAuditEntryNamesThem() throws Exception
    {
        node = start();

        final HttpResponse<String> isolated = AdminHttp.operator(node).post(node, "/cluster/isolate?node=1&reason=drill");

        assertThat(isolated.statusCode()).isEqualTo(200);
        assertThat(node.nodeStatus().state()).isEqualTo(NodeState.ISOLATED);
        assertThat(node.journal().trace(0, 0)).singleElement().satisfies(event -> assertThat(event.summary())
            .contains("actor=operator:" + AdminHttp.OPERATOR, "action=cluster-isolate", "reason: drill"));
    }

    @Test
    void anOperatorsBrowserMadeToPostByAnotherSiteIsRefused() throws Exception
    {
        node = start();
        final AdminHttp operator = AdminHttp.operator(node);

        final HttpResponse<String> refused = operator.client().send(HttpRequest.newBuilder(
                AdminHttp.uri(node, "/cluster/isolate?node=1")).header("Origin", "https://evil.example")
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("from origin https://evil.example");
        assertThat(node.nodeStatus().state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void aPeerNodesCertificateReadsTheClusterButCannotAct() throws Exception
    {
        node = start();
        final DevPki pki = DevPki.openOrCreate(node.config().pkiDir(), MunicipalityCodes::isValid);
        final CertificateFiles peer = pki.issueNode("node-2", DevPki.DEFAULT_DNS_NAMES, DevPki.DEFAULT_IP_ADDRESSES);
        final HttpClient http = AdminHttpClients.builder(peer).connectTimeout(Duration.ofSeconds(5)).build();
        final HostPort admin = new HostPort("127.0.0.1", node.adminAddress().getPort());

        assertThat(http.send(HttpRequest.newBuilder(AdminHttpClients.uri(admin, "/cluster/self")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(AdminHttpClients.uri(admin, "/status.json")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(http.send(HttpRequest.newBuilder(AdminHttpClients.uri(admin, "/cluster/drain?node=1"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(403);
        assertThat(node.nodeStatus().state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void idleConnectionsAreClosedSurplusOnesRefusedAndTheNodeStaysServiceable() throws Exception
    {
        node = start("admin.maxConnections", "50", "admin.idleTimeoutMs", "1000");
        final InetSocketAddress admin = new InetSocketAddress("127.0.0.1", node.adminAddress().getPort());

        for (int i = 0; i < 1_000; i++)
        {
            final Socket socket = new Socket();
            socket.connect(admin, 5_000);
            socket.setSoTimeout(10_000);
            sockets.add(socket);
        }

        // Every connection ends: those beyond the cap at accept, those within it after a second of silence.
        for (final Socket socket : sockets)
        {
            assertThat(readUntilClosed(socket.getInputStream())).as("server closed the idle connection").isTrue();
        }
        // Each ended one of the two ways; how many of each depends on how fast the 1,000 connects were.
        final String scrape = node.metrics().scrape();
        final double refused = counter(scrape, "chukei_admin_connections_refused_total{listener=\"admin\"");
        final double idleClosed = counter(scrape, "chukei_admin_connections_idle_closed_total{listener=\"admin\"");
        assertThat(refused).isGreaterThan(0.0);
        assertThat(idleClosed).isGreaterThanOrEqualTo(50.0);
        assertThat(refused + idleClosed).isEqualTo(1_000.0);
        await().atMost(Duration.ofSeconds(5)).until(() -> counter(node.metrics().scrape(),
            "chukei_admin_connections{listener=\"admin\"") == 0.0);
        assertThat(AdminHttp.viewer(node).get(node, "/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void thePlainListenerServesHealthAndMetricsAndNothingElse() throws Exception
    {
        node = start("admin.plainListen", "127.0.0.1:0");
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final String plain = "http://127.0.0.1:" + node.plainAdminAddress().getPort();

        assertThat(http.send(HttpRequest.newBuilder(URI.create(plain + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body()).contains("chukei_admin_connections");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(plain + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(plain + "/status.json")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(plain + "/cluster/isolate?node=1"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(404);
        assertThat(node.nodeStatus().state()).isEqualTo(NodeState.ACTIVE);
    }

    private RelayNode start(final String... keyValues) throws Exception
    {
        return new RelayNode(NodeFixtures.config(dataDir, keyValues), Clock.systemUTC()).start();
    }

    /** True when the peer closed the connection (end of stream or reset) before the socket's read timeout. */
    private static boolean readUntilClosed(final InputStream in)
    {
        try
        {
            while (in.read() >= 0)
            {
                // a TLS alert may come first; what matters is the end
            }
            return true;
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    private static double counter(final String scrape, final String prefix)
    {
        return scrape.lines().filter(line -> line.startsWith(prefix)).mapToDouble(line ->
            Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Trusts the dev CA (so the handshake gets as far as the client certificate) but has none to present. */
    private static SSLContext trustingOnly(final Path pkiDir) throws Exception
    {
        final KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(pkiDir.resolve(DevPki.CA_CERTIFICATE_FILE)))
        {
            anchors.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(in));
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
        final SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
