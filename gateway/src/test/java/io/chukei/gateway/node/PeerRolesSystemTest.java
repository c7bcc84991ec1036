package io.chukei.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.cardsim.UpstreamTestClient;
import io.chukei.gateway.cardsim.UpstreamTestClient.ForwardSpec;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.TestIssuer;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerIdentity;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.PeerRefusal;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * Each listener of a real node accepts only its roles, refusing the others in the TLS handshake:
 * card management (the embedded simulator) takes relay nodes only, the connector listener
 * connectors only, and neither takes a key below the minimum.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerRolesSystemTest
{
    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    private RelayNode node;
    private DevPki pki;

    @BeforeEach
    void startNode() throws Exception
    {
        node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start();
        pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
    }

    @AfterEach
    void stopNode()
    {
        node.close();
    }

    @Test
    void cardManagementRefusesAConnectorCertificateAndAppliesNothing() throws Exception
    {
        final UUID forged = UUID.randomUUID();
        final PeerPolicy asConnector = PeerPolicy.upstreamClient();
        try (UpstreamTestClient connector = connectToSimulator(pki.issueConnector("131016"), asConnector))
        {
            // TLS 1.3 lets the client write before the server has judged its certificate: the Forward goes out.
            final CompletableFuture<UpstreamTestClient.Outcome> outcome = connector.forward(forwardFor011002(forged));

            assertThat(outcome).as("the connection closes without an Outcome").failsWithin(REFUSAL_TIMEOUT);
            assertThat(connector.outcomeCount()).isZero();
        }
        assertThat(node.simulator().peers().refusedCount(PeerRefusal.WRONG_ROLE)).isEqualTo(1);
        assertThat(node.metrics().scrape())
            .contains("chukei_tls_peers_refused_total{link=\"upstream\",node=\"1\",reason=\"wrong_role\"} 1.0");

        // The same Forward from a relay node's certificate is applied: the refusal was about the role.
        final UUID genuine = UUID.randomUUID();
        try (UpstreamTestClient relay = connectToSimulator(pki.issueNode("node-9", List.of(), List.of()),
            PeerPolicy.upstreamClient()))
        {
            assertThat(relay.forward(forwardFor011002(genuine)).get(30, TimeUnit.SECONDS).status())
                .isEqualTo(OutcomeStatus.OK);
        }
        assertThat(Ledger.appliedCounts(node.simulator().ledgerFile())).containsOnlyKeys(genuine);
        assertThat(node.simulator().stats().received()).isEqualTo(1);
    }

    @Test
    void connectorListenerRefusesAnRsa1024ConnectorCertificate() throws Exception
    {
        final CertificateFiles weak = TestIssuer.issue(dataDir.resolve("pki"), "weak-131016", TestIssuer.rsaKeyPair(1024),
            List.of("urn:chukei:municipality:131016"), List.of(KeyPurposeId.id_kp_clientAuth));

        try (RawConnector raw = new RawConnector(node.connectorAddress(), handBuiltClient(weak)))
        {
            raw.handshake();
            raw.closedFuture().get(REFUSAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(node.metrics().scrape())
            .contains("chukei_tls_peers_refused_total{link=\"connector\",node=\"1\",reason=\"weak_key\"} 1.0");
    }

    @Test
    void connectorListenerRefusesANodeCertificate() throws Exception
    {
        final CertificateFiles otherNode = pki.issueNode("node-2", List.of(), List.of());

        try (RawConnector raw = new RawConnector(node.connectorAddress(),
            TlsContexts.client(otherNode, PeerPolicy.relayClient())))
        {
            raw.handshake();
            raw.closedFuture().get(REFUSAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(node.metrics().scrape())
            .contains("chukei_tls_peers_refused_total{link=\"connector\",node=\"1\",reason=\"wrong_role\"} 1.0");
        assertThat(node.metrics().rejectedCount(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED))
            .as("refused in the handshake, not by a GoAway after it").isZero();
    }

    @Test
    void aDevPkiFromBeforeRolesIsReissuedWhenTheNodeStarts(@TempDir final Path oldDataDir) throws Exception
    {
        final Path oldPki = oldDataDir.resolve("pki");
        final DevPki old = DevPki.openOrCreate(oldPki, MunicipalityCodes::isValid);
        final CertificateFiles oldNode = old.issueNode("node-1", DevPki.DEFAULT_DNS_NAMES, DevPki.DEFAULT_IP_ADDRESSES);
        final CertificateFiles oldSimulator = old.issueUpstream("cardsim");
        // What a version without roles wrote: the same names, no role URI.
        for (final CertificateFiles files : List.of(oldNode, oldSimulator))
        {
            TestIssuer.overwrite(oldPki, files, TestIssuer.ecKeyPair(), List.of(), DevPki.DEFAULT_DNS_NAMES,
                DevPki.DEFAULT_IP_ADDRESSES);
        }

        try (RelayNode upgraded = new RelayNode(NodeFixtures.config(oldDataDir), Clock.systemUTC()).start();
             ConnectorClient connector = NodeFixtures.connector(oldDataDir, upgraded.connectorAddress(), "131016"))
        {
            assertThat(connector.submit(NodeFixtures.cardStatus("123456789012")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(Answer.Result.class);
        }
        assertThat(PeerIdentity.of(certificateAt(oldNode.certificate()))).hasToString("node node-1");
        assertThat(PeerIdentity.of(certificateAt(oldSimulator.certificate())))
            .hasToString("card-management cardsim");
    }

    private UpstreamTestClient connectToSimulator(final CertificateFiles files, final PeerPolicy serverMustBe)
        throws Exception
    {
        return UpstreamTestClient.connect("127.0.0.1", node.simulator().port(), TlsContexts.client(files, serverMustBe));
    }

    /** Reads a PEM certificate with the JDK alone. */
    private static X509Certificate certificateAt(final Path file) throws Exception
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A Forward for another municipality than the sender's certificate, as the hostile connector sent it. */
    private static ForwardSpec forwardFor011002(final UUID requestId)
    {
        return new ForwardSpec(requestId, 1, "011002", Operation.CARD_STATUS, io.chukei.protocol.sbe.Priority.INTERACTIVE,
            false, 1, System.currentTimeMillis() + 60_000,
            UpstreamTestClient.submitBytes(requestId, "011002", Operation.CARD_STATUS, "123456789012"));
    }

    /** A client context TlsContexts refuses to build (its own key is too weak), trusting the node's CA. */
    private static SslContext handBuiltClient(final CertificateFiles files) throws Exception
    {
        return SslContextBuilder.forClient()
            .keyManager(files.certificate().toFile(), files.privateKey().toFile())
            .trustManager(files.caCertificate().toFile())
            .protocols(TlsContexts.TLS_1_3)
            .build();
    }
}
