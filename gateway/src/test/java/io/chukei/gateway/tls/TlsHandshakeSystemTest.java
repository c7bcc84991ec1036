package io.chukei.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.TestIssuer;
import io.chukei.gateway.tls.MunicipalityIdentity.Status;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

/** Real handshakes over loopback between a Netty server and client built from {@link TlsContexts}. */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsHandshakeSystemTest
{
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
    private static final String LOOPBACK = "127.0.0.1";

    @TempDir
    Path dir;

    private DevPki pki;
    private CertificateFiles node;
    private EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final List<SslContext> contexts = new ArrayList<>();
    private final CompletableFuture<SslHandler> acceptedHandler = new CompletableFuture<>();
    private int port;

    @BeforeEach
    void createPki()
    {
        pki = DevPki.openOrCreate(dir);
        node = pki.issueNode("node-1", List.of(), List.of());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void closeEverything()
    {
        channels.forEach(channel -> channel.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        contexts.forEach(ReferenceCountUtil::release);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void serverIdentifiesTheConnectorsMunicipalityAfterMutualHandshake(final SslProvider provider) throws Exception
    {
        startServer(TlsContexts.server(node, provider, PeerPolicy.connectorListener()));

        final SslHandler client = connect(TlsContexts.client(pki.issueConnector("131016"), provider, PeerPolicy.relayClient()), LOOPBACK);

        assertThat(client.handshakeFuture()).succeedsWithin(HANDSHAKE_TIMEOUT);
        final SslHandler server = acceptedHandler.get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(server.handshakeFuture()).succeedsWithin(HANDSHAKE_TIMEOUT);
        final MunicipalityIdentity identity = MunicipalityIdentity.of(server);
        assertThat(identity.status()).isEqualTo(Status.PRESENT);
        assertThat(identity.municipalityCode()).isEqualTo("131016");
        assertThat(server.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(MunicipalityIdentity.of(client).status()).as("the node has no municipality")
            .isEqualTo(Status.NO_IDENTITY);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void serverRefusesClientWithoutCertificate(final SslProvider provider) throws Exception
    {
        startServer(TlsContexts.server(node, provider, PeerPolicy.connectorListener()));

        connect(clientContext(provider, false, "TLSv1.3"), LOOPBACK);

        assertServerHandshakeFails();
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void serverRefusesClientLimitedToTls12(final SslProvider provider) throws Exception
    {
        startServer(TlsContexts.server(node, provider, PeerPolicy.connectorListener()));

        final SslHandler client = connect(clientContext(provider, true, "TLSv1.2"), LOOPBACK);

        assertServerHandshakeFails();
        assertThat(client.handshakeFuture()).failsWithin(HANDSHAKE_TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void serverRefusesClientCertificateFromAnotherCa(final SslProvider provider, @TempDir final Path otherDir)
        throws Exception
    {
        startServer(TlsContexts.server(node, provider, PeerPolicy.connectorListener()));
        final CertificateFiles foreign = DevPki.openOrCreate(otherDir).issueConnector("131016");
        // The client trusts our CA, so only its own certificate can be the reason to refuse it; its
        // key manager presents it even though the server's certificate request names another CA.
        final SslContext client = SslContextBuilder.forClient()
            .keyManager(new AlwaysPresentingKeyManager(
                TestCertificates.readPrivateKey(foreign.privateKey()), TestCertificates.read(foreign.certificate())))
            .trustManager(pki.caCertificate().toFile())
            .protocols(TlsContexts.TLS_1_3)
            .sslProvider(provider)
            .build();

        connect(client, LOOPBACK);

        final Throwable failure = serverHandshakeFailure();
        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(causeMessages(failure)).as("refused for its issuer, not for a missing certificate")
            .doesNotContainIgnoringCase("empty client certificate")
            .doesNotContainIgnoringCase("did_not_return");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void clientRefusesServerWhoseCertificateNamesAnotherHost(final SslProvider provider) throws Exception
    {
        startServer(TlsContexts.server(node, provider, PeerPolicy.connectorListener()));

        final SslHandler client = connect(TlsContexts.client(pki.issueConnector("131016"), provider, PeerPolicy.relayClient()), "node-9.invalid");

        assertThat(client.handshakeFuture()).failsWithin(HANDSHAKE_TIMEOUT)
            .withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(SSLHandshakeException.class);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void connectorListenerRefusesANodeCertificateDuringTheHandshake(final SslProvider provider) throws Exception
    {
        final PeerPolicy connectors = PeerPolicy.connectorListener();
        startServer(TlsContexts.server(node, provider, connectors));

        connect(TlsContexts.client(pki.issueNode("node-2", List.of(), List.of()), provider, PeerPolicy.relayClient()),
            LOOPBACK);

        assertThat(causeMessages(serverHandshakeFailure())).contains("node node-2 (expected: urn:chukei:municipality:");
        assertThat(connectors.refusedCount(PeerRefusal.WRONG_ROLE)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void connectorListenerRefusesAnRsa1024ConnectorCertificate(final SslProvider provider) throws Exception
    {
        final PeerPolicy connectors = PeerPolicy.connectorListener();
        startServer(TlsContexts.server(node, provider, connectors));
        final CertificateFiles weak = TestIssuer.issue(dir, "weak-131016", TestIssuer.rsaKeyPair(1024),
            List.of("urn:chukei:municipality:131016"), List.of(KeyPurposeId.id_kp_clientAuth));

        connect(handBuiltClient(weak, provider), LOOPBACK);

        assertThat(serverHandshakeFailure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(connectors.refusedCount(PeerRefusal.WEAK_KEY)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void listenerRefusesACertificateCarryingTwoRoles(final SslProvider provider) throws Exception
    {
        final PeerPolicy upstream = PeerPolicy.upstreamListener();
        startServer(TlsContexts.server(pki.issueUpstream("cardsim"), provider, upstream));
        final CertificateFiles both = TestIssuer.issue(dir, "both", TestIssuer.ecKeyPair(),
            List.of("urn:chukei:node:node-1", "urn:chukei:municipality:131016"), List.of(KeyPurposeId.id_kp_clientAuth));

        connect(handBuiltClient(both, provider), LOOPBACK);

        assertThat(serverHandshakeFailure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(upstream.refusedCount(PeerRefusal.SEVERAL_ROLES)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void upstreamClientRefusesAServerThatIsNotCardManagement(final SslProvider provider) throws Exception
    {
        // A relay node pretending to be card management: trusted CA, right host name, wrong role.
        startServer(TlsContexts.server(pki.issueNode("node-2", List.of(), List.of()), provider,
            PeerPolicy.upstreamListener()));
        final PeerPolicy cardManagement = PeerPolicy.upstreamClient();

        final SslHandler client = connect(TlsContexts.client(node, provider, cardManagement), LOOPBACK);

        assertThat(client.handshakeFuture()).failsWithin(HANDSHAKE_TIMEOUT)
            .withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(SSLHandshakeException.class);
        assertThat(cardManagement.refusedCount(PeerRefusal.WRONG_ROLE)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void nodeReachesCardManagementAndCardManagementAcceptsTheNode(final SslProvider provider) throws Exception
    {
        final PeerPolicy upstream = PeerPolicy.upstreamListener();
        startServer(TlsContexts.server(pki.issueUpstream("cardsim"), provider, upstream));

        final SslHandler client = connect(TlsContexts.client(node, provider, PeerPolicy.upstreamClient()), LOOPBACK);

        assertThat(client.handshakeFuture()).succeedsWithin(HANDSHAKE_TIMEOUT);
        final SslHandler server = acceptedHandler.get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(server.handshakeFuture()).succeedsWithin(HANDSHAKE_TIMEOUT);
        assertThat(PeerIdentity.of(server.engine().getSession())).hasToString("node node-1");
        assertThat(PeerIdentity.of(client.engine().getSession())).hasToString("card-management cardsim");
    }

    /** A client context TlsContexts would refuse to build (weak key, two roles) trusting our CA. */
    private static SslContext handBuiltClient(final CertificateFiles files, final SslProvider provider) throws Exception
    {
        return SslContextBuilder.forClient()
            .keyManager(files.certificate().toFile(), files.privateKey().toFile())
            .trustManager(files.caCertificate().toFile())
            .protocols(TlsContexts.TLS_1_3)
            .sslProvider(provider)
            .build();
    }

    private void startServer(final SslContext context)
    {
        contexts.add(context);
        final Channel server = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    final SslHandler sslHandler = context.newHandler(channel.alloc());
                    channel.pipeline().addLast(sslHandler);
                    acceptedHandler.complete(sslHandler);
                }
            })
            .bind(LOOPBACK, 0)
            .syncUninterruptibly()
            .channel();
        channels.add(server);
        port = ((InetSocketAddress)server.localAddress()).getPort();
    }

    /** Connects to the loopback server, telling the client it is talking to {@code serverName}. */
    private SslHandler connect(final SslContext context, final String serverName)
    {
        contexts.add(context);
        final CompletableFuture<SslHandler> handler = new CompletableFuture<>();
        final Channel channel = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    final SslHandler sslHandler = context.newHandler(channel.alloc(), serverName, port);
                    channel.pipeline().addLast(sslHandler);
                    handler.complete(sslHandler);
                }
            })
            .connect(LOOPBACK, port)
            .syncUninterruptibly()
            .channel();
        channels.add(channel);
        return handler.join();
    }

    private void assertServerHandshakeFails() throws Exception
    {
        assertThat(serverHandshakeFailure()).isInstanceOf(SSLHandshakeException.class);
    }

    private Throwable serverHandshakeFailure() throws Exception
    {
        final SslHandler server = acceptedHandler.get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return assertThat(server.handshakeFuture()).failsWithin(HANDSHAKE_TIMEOUT)
            .withThrowableOfType(ExecutionException.class)
            .actual()
            .getCause();
    }

    private static String causeMessages(final Throwable failure)
    {
        final StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            messages.append(cause).append('\n');
        }
        return messages.toString();
    }

    /** A client context TlsContexts would never build: optionally without a certificate, or another TLS version. */
    private SslContext clientContext(final SslProvider provider, final boolean withCertificate, final String protocol)
        throws Exception
    {
        final SslContextBuilder builder = SslContextBuilder.forClient()
            .trustManager(pki.caCertificate().toFile())
            .protocols(protocol)
            .sslProvider(provider);
        if (withCertificate)
        {
            final CertificateFiles connector = pki.issueConnector("131016");
            builder.keyManager(connector.certificate().toFile(), connector.privateKey().toFile());
        }
        return builder.build();
    }
}
