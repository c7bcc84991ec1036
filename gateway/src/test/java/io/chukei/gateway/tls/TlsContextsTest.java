package io.chukei.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

class TlsContextsTest
{
    @TempDir
    Path dir;

    @Test
    void openSslIsAvailableOnThisPlatform()
    {
        assertThat(OpenSsl.isAvailable()).as("OpenSSL unavailable: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(TlsContexts.provider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsContexts.providerName()).startsWith("OpenSSL (");
        assertThat(TlsContexts.providerName(SslProvider.JDK)).isEqualTo("JDK");
    }

    @Test
    void providerCanBeForcedByASystemProperty()
    {
        withProviderProperty("jdk", () -> assertThat(TlsContexts.provider()).isEqualTo(SslProvider.JDK));
        withProviderProperty("OpenSSL", () -> assertThat(TlsContexts.provider()).isEqualTo(SslProvider.OPENSSL));
        withProviderProperty("boring", () -> assertThatThrownBy(TlsContexts::provider)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("chukei.tls.provider: boring (expected: auto, openssl or jdk)"));
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void serverSpeaksOnlyTls13AndRequiresAClientCertificate(final SslProvider provider)
    {
        final DevPki pki = DevPki.openOrCreate(dir);
        final SslContext server = TlsContexts.server(pki.issueNode("node-1", List.of(), List.of()), provider,
            PeerPolicy.connectorListener());
        final SSLEngine engine = server.newEngine(ByteBufAllocator.DEFAULT);
        try
        {
            assertThat(server.isServer()).isTrue();
            assertThat(protocolVersions(engine)).containsExactly("TLSv1.3");
            assertThat(engine.getNeedClientAuth()).isTrue();
        }
        finally
        {
            ReferenceCountUtil.release(engine);
            ReferenceCountUtil.release(server);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = { "OPENSSL", "JDK" })
    void clientSpeaksOnlyTls13AndVerifiesTheServerName(final SslProvider provider)
    {
        final CertificateFiles connector = DevPki.openOrCreate(dir).issueConnector("131016");
        final SslContext client = TlsContexts.client(connector, provider, PeerPolicy.relayClient());
        final SSLEngine engine = client.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 7700);
        try
        {
            assertThat(client.isClient()).isTrue();
            assertThat(protocolVersions(engine)).containsExactly("TLSv1.3");
            assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        }
        finally
        {
            ReferenceCountUtil.release(engine);
            ReferenceCountUtil.release(client);
        }
    }

    /**
     * The enabled protocol versions. Netty's JDK engine also lists "SSLv2Hello", which is a
     * ClientHello format, not a version: with only TLS 1.3 enabled it can never complete a
     * handshake (the system tests show a TLS 1.2 client refused).
     */
    private static List<String> protocolVersions(final SSLEngine engine)
    {
        return Arrays.stream(engine.getEnabledProtocols()).filter(protocol -> !protocol.equals("SSLv2Hello")).toList();
    }

    private static void withProviderProperty(final String value, final Runnable check)
    {
        final String previous = System.getProperty(TlsContexts.PROVIDER_PROPERTY);
        System.setProperty(TlsContexts.PROVIDER_PROPERTY, value);
        try
        {
            check.run();
        }
        finally
        {
            if (previous == null)
            {
                System.clearProperty(TlsContexts.PROVIDER_PROPERTY);
            }
            else
            {
                System.setProperty(TlsContexts.PROVIDER_PROPERTY, previous);
            }
        }
    }
}
