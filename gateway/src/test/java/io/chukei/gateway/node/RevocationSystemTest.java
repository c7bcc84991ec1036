package io.chukei.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.PeerRole;
import io.chukei.gateway.pki.RevokedCertificate;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.WelcomeDecoder;

/**
 * A real node with {@code tls.crl}: revoking a connector's certificate in the CRL file refuses its next
 * handshake and ends its open session within 5 s, with either TLS provider; a stale list refuses everyone.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RevocationSystemTest
{
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;

    private RelayNode node;
    private ConnectorClient bystander;

    @AfterEach
    void stop()
    {
        if (bystander != null)
        {
            bystander.close();
        }
        if (node != null)
        {
            node.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void aRevokedConnectorIsRefusedAndItsOpenSessionClosedWithinFiveSeconds(final String provider) throws Exception
    {
        final DevPki pki = startNodeWithCrl(provider);
        final CertificateFiles revoked = pki.issueConnector("131016");
        bystander = NodeFixtures.connector(dataDir, node.connectorAddress(), "422011");

        // One client context for the session and the reconnection after it, as a connector keeps one: it offers to
        // resume its TLS session, and a resumed handshake calls no trust manager.
        final io.netty.handler.ssl.SslContext revokedTls = TlsContexts.client(revoked, PeerPolicy.relayClient());
        // Before the revocation a resumed session is welcome: the check after the handshake reads its certificate.
        openSession(revokedTls).close();
        try (RawConnector open = openSession(revokedTls))
        {
            final long changedNanos = System.nanoTime();
            pki.revoke(revoked.certificate(), RevokedCertificate.Reason.KEY_COMPROMISE);

            final MessageReader goAway = open.next();
            assertThat(goAway.templateId()).isEqualTo(GoAwayDecoder.TEMPLATE_ID);
            assertThat(goAway.goAway().code()).isEqualTo(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED);
            open.closedFuture().get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - changedNanos)).isLessThan(WITHIN);
        }
        assertThat(refused(revokedTls)).as("the revoked connector reconnecting, offering its TLS session").isTrue();
        assertThat(refused(revoked)).as("a new connection with the revoked certificate is closed").isTrue();
        assertThat(node.metrics().scrape()).contains("chukei_tls_peers_refused_total{link=\"connector\",node=\"1\",reason=\"revoked\"} 2.0");
        // What the connector's TLS stack reports: OpenSSL sends certificate_revoked (it was internal_error); the JDK's
        // server sends certificate_unknown for any client certificate its trust manager refuses.
        assertThat(alertFor(revoked)).as("the alert a connector's TLS stack reports")
            .contains(provider.equals("openssl") ? "certificate_revoked" : "certificate_unknown");
        final Answer answer = bystander.submit(NodeFixtures.cardStatus("123456789012")).get(30, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOf(Answer.Result.class);
    }

    /**
     * An operator revoked while their admin connection is kept alive: the next request on it is refused (403, closed),
     * as is a new connection resuming the TLS session, so the revoked certificate changes nothing any more.
     */
    @Test
    void aRevokedOperatorIsRefusedOnTheConnectionItKeptAliveAndOnANewOne() throws Exception
    {
        final DevPki pki = pki();
        final Path crl = pki.writeCrl(Duration.ofDays(7));
        startNode("tls.crl", crl.toString());
        final CertificateFiles operatorFiles = AdminHttp.files(node.config().pkiDir(), PeerRole.OPERATOR, "mallory");
        final AdminHttp operator = AdminHttp.as(node.config().pkiDir(), PeerRole.OPERATOR, "mallory");
        assertThat(operator.get(node, "/cluster").statusCode()).isEqualTo(200);

        pki.revoke(operatorFiles.certificate(), RevokedCertificate.Reason.KEY_COMPROMISE);
        final java.security.cert.X509Certificate certificate = certificate(operatorFiles.certificate());
        await().atMost(WITHIN).until(() -> node.revocation().isRevoked(certificate));

        for (int i = 0; i < 2; i++)
        {
            // First on the kept-alive connection (403, then closed), then on a new one (refused at its handshake,
            // resumed or not).
            try
            {
                final java.net.http.HttpResponse<String> refused = operator.post(node, "/cluster/isolate?node=1");
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).startsWith("certificate refused since the connection opened (revoked: ");
            }
            catch (final java.io.IOException closed)
            {
                // Refused in the handshake (or the check right after it): the connection closed before an answer.
            }
        }
        assertThat(node.nodeStatus().state()).isEqualTo(io.chukei.protocol.sbe.NodeState.ACTIVE);
        assertThat(node.metrics().scrape()).contains("chukei_tls_peers_refused_total{link=\"admin\",node=\"1\"," +
            "reason=\"revoked\"} 2.0");
    }

    /**
     * Card management's certificate revoked while the node's link to it is open: the reload closes the link, and when
     * it reconnects, offering the TLS session it had, the server is refused (a resumed session calls no trust manager)
     * and no Forward, with the personal data it carries, goes to it; the link is retried at its back-off's pace.
     */
    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void aRevokedCardManagementServerGetsNoForwardWhenTheLinkResumesItsSession(final String provider) throws Exception
    {
        final DevPki pki = startNodeWithCrl(provider);
        bystander = NodeFixtures.connector(dataDir, node.connectorAddress(), "422011", Duration.ofSeconds(3));
        assertThat(bystander.submit(NodeFixtures.cardStatus("123456789012")).get(30, TimeUnit.SECONDS))
            .isInstanceOf(Answer.Result.class);

        final CertificateFiles cardManagement = pki.issueUpstream("cardsim");
        pki.revoke(cardManagement.certificate(), RevokedCertificate.Reason.KEY_COMPROMISE);
        final java.security.cert.X509Certificate revoked = certificate(cardManagement.certificate());
        await().atMost(WITHIN).until(() -> node.revocation().isRevoked(revoked));
        final long forwardsBefore = node.simulator().stats().received();

        // The reload closes the open link; its reconnection offers the session it had.
        await().atMost(WITHIN).until(() -> upstreamRefusedRevoked() >= 1);
        final Answer answer = bystander.submit(NodeFixtures.cardStatus("123456789013")).get(30, TimeUnit.SECONDS);
        assertThat(answer).as("no endpoint takes the request within its deadline").isInstanceOf(Answer.Rejected.class);
        assertThat(node.simulator().stats().received()).as("Forwards card management received after the revocation")
            .isEqualTo(forwardsBefore);
        assertThat(node.metrics().scrape()).contains("chukei_upstream_healthy{node=\"1\"} 0.0");
        // Retried at the back-off's pace (up to 2 s), not every 50 ms: a handful of refusals in the 3 s above.
        assertThat(upstreamRefusedRevoked()).isBetween(1.0, 12.0);
    }

    @Test
    void aStaleCrlRefusesEveryHandshakeAndRaisesTheAlertMetric() throws Exception
    {
        final DevPki pki = pki();
        // Valid for 3 s, no grace: stale while the test runs.
        final Path crl = pki.writeCrl(Duration.ofSeconds(3));
        startNode("tls.crl", crl.toString(), "tls.crl.graceSeconds", "0", "admin.plainListen", "127.0.0.1:0");
        final CertificateFiles connector = pki.issueConnector("131016");

        await().atMost(Duration.ofSeconds(30)).until(() -> refused(connector));
        assertThat(node.revocation().isStale()).isTrue();
        // Not ready: a load balancer must not send connectors to a node that refuses every handshake.
        final java.net.http.HttpResponse<String> readiness = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" +
                node.plainAdminAddress().getPort() + "/health/ready")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"ready\":false", "the CRLs of tls.crl are past nextUpdate");
        assertThat(node.metrics().scrape())
            .contains("chukei_tls_crl_stale{node=\"1\"} 1.0")
            .contains("chukei_tls_peers_refused_total{link=\"connector\",node=\"1\",reason=\"crl_stale\"}");

        // A fresh list is picked up without a restart, and handshakes pass again.
        pki.writeCrl(Duration.ofDays(7));
        await().atMost(WITHIN).until(() -> !node.revocation().isStale());
        openSession(connector).close();
    }

    private double upstreamRefusedRevoked()
    {
        final String prefix = "chukei_tls_peers_refused_total{link=\"upstream-client\",node=\"1\",reason=\"revoked\"} ";
        return node.metrics().scrape().lines().filter(line -> line.startsWith(prefix))
            .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()))).sum();
    }

    private static java.security.cert.X509Certificate certificate(final Path file) throws Exception
    {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file))
        {
            return (java.security.cert.X509Certificate)java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(in);
        }
    }

    /** A node with {@code provider} as its TLS provider and a CRL valid for a week (nothing revoked yet). */
    private DevPki startNodeWithCrl(final String provider) throws Exception
    {
        final DevPki pki = pki();
        startNode("connector.tlsProvider", provider, "tls.crl", pki.writeCrl(Duration.ofDays(7)).toString());
        return pki;
    }

    private DevPki pki()
    {
        return DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
    }

    private void startNode(final String... keyValues) throws Exception
    {
        final String[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + 2);
        // The raw connector sends no heartbeats: a long idle timeout keeps its session open for the test.
        all[keyValues.length] = "connector.heartbeatIntervalMs";
        all[keyValues.length + 1] = "5000";
        node = new RelayNode(NodeFixtures.config(dataDir, all), Clock.systemUTC()).start();
    }

    private RawConnector connect(final CertificateFiles files) throws Exception
    {
        return new RawConnector(node.connectorAddress(), TlsContexts.client(files, PeerPolicy.relayClient()));
    }

    /** What a JDK TLS client hears when the node refuses its certificate: the alert, in the exception's message. */
    private String alertFor(final CertificateFiles files) throws Exception
    {
        final javax.net.ssl.SSLContext tls = TlsContexts.jdkClient(files, PeerPolicy.relayClient());
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket)tls.getSocketFactory().createSocket(
            "127.0.0.1", node.connectorAddress().getPort()))
        {
            socket.setSoTimeout((int)WITHIN.toMillis());
            socket.startHandshake();
            // TLS 1.3: the client's side of the handshake ends before the node has judged its certificate; the
            // alert comes with the first read.
            socket.getInputStream().read();
            return "no alert";
        }
        catch (final javax.net.ssl.SSLException alert)
        {
            return String.valueOf(alert.getMessage());
        }
    }

    /**
     * Whether the node closes a new connection with this certificate before any Welcome. TLS 1.3 lets the
     * client finish its side of the handshake before the server has judged its certificate, so the
     * refusal shows as the connection closing.
     */
    private boolean refused(final CertificateFiles files) throws Exception
    {
        return refused(TlsContexts.client(files, PeerPolicy.relayClient()));
    }

    private boolean refused(final io.netty.handler.ssl.SslContext clientTls) throws Exception
    {
        try (RawConnector raw = new RawConnector(node.connectorAddress(), clientTls))
        {
            if (raw.handshake())
            {
                try
                {
                    raw.hello("131016");
                }
                catch (final Exception ex)
                {
                    // The node closed it between the client's end of the handshake and the Hello: refused. Which of
                    // the two the write meets depends on whether the node's alert was read first (the engine closed)
                    // or only the socket's end was seen (seen in a run with the JDK provider).
                    if (ex instanceof java.nio.channels.ClosedChannelException ||
                        ex instanceof io.netty.handler.ssl.SslClosedEngineException)
                    {
                        return true;
                    }
                    throw ex;
                }
            }
            raw.closedFuture().get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            return false;
        }
    }

    private RawConnector openSession(final CertificateFiles files) throws Exception
    {
        return openSession(TlsContexts.client(files, PeerPolicy.relayClient()));
    }

    private RawConnector openSession(final io.netty.handler.ssl.SslContext clientTls) throws Exception
    {
        final RawConnector raw = new RawConnector(node.connectorAddress(), clientTls);
        assertThat(raw.handshake()).isTrue();
        raw.hello("131016");
        assertThat(raw.next().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        return raw;
    }
}
