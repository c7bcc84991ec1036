package io.chukei.gateway.node;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.gateway.journal.AcceptedView;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.chukei.protocol.testing.ReshapedMessages;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets its documented answer — Rejected naming code and field, GoAway, or a failed
 * handshake — and a well-behaved connector on the same node is not disturbed.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputSystemTest
{
    @TempDir
    Path dataDir;

    private RelayNode node;
    private DevPki pki;
    private ConnectorClient bystander;

    @BeforeEach
    void startNode() throws Exception
    {
        node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start();
        pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        bystander = NodeFixtures.connector(dataDir, node.connectorAddress(), "422011");
    }

    @AfterEach
    void stopNode()
    {
        bystander.close();
        node.close();
    }

    @Test
    void aSubmitForAnotherMunicipalityThanTheCertificatesIsRejected() throws Exception
    {
        try (RawConnector raw = openSession("131016"))
        {
            raw.send(new SubmitEncoder(), submit -> RawSubmits.cardStatus(submit, "011002"));

            final RejectedDecoder rejected = expectRejected(raw);
            assertThat(rejected.code()).isEqualTo(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED);
            assertThat(rejected.field()).isEqualTo(FieldId.MUNICIPALITY_CODE);
        }
        assertBystanderUnaffected();
    }

    @Test
    void aHelloForAnotherMunicipalityEndsTheSessionWithGoAway() throws Exception
    {
        try (RawConnector raw = new RawConnector(node.connectorAddress(), TlsContexts.client(pki.issueConnector("131016"), PeerPolicy.relayClient())))
        {
            assertThat(raw.handshake()).isTrue();
            raw.hello("011002");

            final MessageReader reply = raw.next();
            assertThat(reply.templateId()).isEqualTo(GoAwayDecoder.TEMPLATE_ID);
            assertThat(reply.goAway().code()).isEqualTo(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED);
            raw.closedFuture().get(10, TimeUnit.SECONDS);
        }
        assertBystanderUnaffected();
    }

    @Test
    void anOversizedFrameIsRejectedAndTheSessionGoesOn() throws Exception
    {
        try (RawConnector raw = openSession("131016"))
        {
            final int length = 200_000;
            final byte[] oversized = new byte[length];
            oversized[0] = (byte)(length >>> 24);
            oversized[1] = (byte)(length >>> 16);
            oversized[2] = (byte)(length >>> 8);
            oversized[3] = (byte)length;
            oversized[4] = (byte)0xEB;
            oversized[5] = 0x50;
            raw.sendRaw(oversized);

            final RejectedDecoder rejected = expectRejected(raw);
            assertThat(rejected.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(rejected.field()).isEqualTo(FieldId.FRAME);

            raw.send(new SubmitEncoder(), submit -> RawSubmits.cardStatus(submit, "131016"));
            assertThat(nextAfterAccepted(raw).templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
        }
        assertBystanderUnaffected();
    }

    @Test
    void aBrokenFieldIsRejectedNamingFieldRuleAndPosition() throws Exception
    {
        try (RawConnector raw = openSession("131016"))
        {
            raw.send(new SubmitEncoder(), submit -> RawSubmits.certChange(submit, "131016", "123456789019", "東京都千代田区"));
            final RejectedDecoder badDigit = expectRejected(raw);
            assertThat(badDigit.code()).isEqualTo(ErrorCode.CHECK_DIGIT_MISMATCH);
            assertThat(badDigit.field()).isEqualTo(FieldId.PERSONAL_NUMBER);
            assertThat(badDigit.position()).isEqualTo(11);
            assertThat(badDigit.detail()).doesNotContain("123456789019");

            raw.send(new SubmitEncoder(), submit -> RawSubmits.certChange(submit, "131016", "123456789018", "東京都\u202E千代田区"));
            final RejectedDecoder bidi = expectRejected(raw);
            assertThat(bidi.code()).isEqualTo(ErrorCode.TEXT_BIDI_CONTROL);
            assertThat(bidi.field()).isEqualTo(FieldId.ADDRESS);
            assertThat(bidi.position()).isEqualTo(9);
            assertThat(bidi.codePoint()).isEqualTo(0x202E);
        }
        assertBystanderUnaffected();
    }

    @Test
    void aLongerBlockFromASenderOfThisVersionIsRejectedNamingTheRequest() throws Exception
    {
        try (RawConnector raw = openSession("131016"))
        {
            final byte[] submit = RawSubmits.cardStatusBytes("131016");
            raw.sendRaw(RawSubmits.frame(ReshapedMessages.withLongerBlock(submit, 8)));

            final RejectedDecoder rejected = expectRejected(raw);
            assertThat(rejected.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
            assertThat(rejected.requestId().hi()).isEqualTo(RawSubmits.idHi(submit));
            assertThat(rejected.requestId().lo()).isEqualTo(RawSubmits.idLo(submit));
            assertThat(rejected.field()).isEqualTo(FieldId.MESSAGE_HEADER);
            assertThat(rejected.detail()).contains("blockLength: 90", "expected: 82");
        }
        assertBystanderUnaffected();
    }

    @Test
    void aNewerSendersUnknownFieldsAreNeitherJournaledNorForwarded() throws Exception
    {
        try (RawConnector raw = openSession("131016"))
        {
            final byte[] submit = RawSubmits.cardStatusBytes("131016");
            raw.sendRaw(RawSubmits.frame(ReshapedMessages.asNewerVersion(submit, 8, 8192)));

            final MessageReader accepted = raw.next();
            assertThat(accepted.templateId()).isEqualTo(AcceptedDecoder.TEMPLATE_ID);
            final AcceptedView journaled = new AcceptedView();
            assertThat(node.journal().readAccepted(accepted.accepted().journalPosition(), journaled)).isTrue();
            final byte[] journaledSubmit = new byte[journaled.submitLength()];
            journaled.submit().getBytes(0, journaledSubmit);
            assertThat(journaledSubmit).isEqualTo(submit);
            assertThat(raw.next().templateId()).isEqualTo(ResultDecoder.TEMPLATE_ID);
        }
        assertBystanderUnaffected();
    }

    @Test
    void aSubmitBeforeHelloIsRefused() throws Exception
    {
        try (RawConnector raw = new RawConnector(node.connectorAddress(), TlsContexts.client(pki.issueConnector("131016"), PeerPolicy.relayClient())))
        {
            assertThat(raw.handshake()).isTrue();
            raw.send(new SubmitEncoder(), submit -> RawSubmits.cardStatus(submit, "131016"));

            assertThat(expectRejected(raw).code()).isEqualTo(ErrorCode.HELLO_REQUIRED);
        }
    }

    @Test
    void aConnectorWithoutAClientCertificateFailsTheHandshake() throws Exception
    {
        final SslContext noCertificate = SslContextBuilder.forClient()
            .protocols(TlsContexts.TLS_1_3)
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .build();
        try (RawConnector raw = new RawConnector(node.connectorAddress(), noCertificate))
        {
            // TLS 1.3 may report the client's handshake done before the server refuses it: the connection must end.
            raw.handshake();
            raw.closedFuture().get(10, TimeUnit.SECONDS);
        }
        assertBystanderUnaffected();
    }

    @Test
    void aTls12ConnectorFailsTheHandshake() throws Exception
    {
        final io.chukei.gateway.pki.CertificateFiles files = pki.issueConnector("131016");
        final SslContext tls12 = SslContextBuilder.forClient()
            .protocols("TLSv1.2")
            .keyManager(files.certificate().toFile(), files.privateKey().toFile())
            .trustManager(files.caCertificate().toFile())
            .clientAuth(ClientAuth.NONE)
            .build();
        try (RawConnector raw = new RawConnector(node.connectorAddress(), tls12))
        {
            assertThat(raw.handshake()).isFalse();
        }
        assertBystanderUnaffected();
    }

    private RawConnector openSession(final String municipality) throws Exception
    {
        final RawConnector raw = new RawConnector(node.connectorAddress(), TlsContexts.client(pki.issueConnector(municipality), PeerPolicy.relayClient()));
        assertThat(raw.handshake()).isTrue();
        raw.hello(municipality);
        assertThat(raw.next().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
        return raw;
    }

    private static RejectedDecoder expectRejected(final RawConnector raw) throws InterruptedException
    {
        final MessageReader reply = raw.next();
        assertThat(reply.templateId()).isEqualTo(RejectedDecoder.TEMPLATE_ID);
        return reply.rejected();
    }

    private static MessageReader nextAfterAccepted(final RawConnector raw) throws InterruptedException
    {
        MessageReader reply = raw.next();
        if (reply.templateId() == io.chukei.protocol.sbe.AcceptedDecoder.TEMPLATE_ID)
        {
            reply = raw.next();
        }
        return reply;
    }

    private void assertBystanderUnaffected() throws Exception
    {
        final Answer answer = bystander.submit(NodeFixtures.cardStatus("123456789012")).get(30, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOf(Answer.Result.class);
    }
}
