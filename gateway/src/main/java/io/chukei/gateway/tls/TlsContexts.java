package io.chukei.gateway.tls;

import java.io.File;
import java.util.Locale;
import java.util.Objects;

import javax.net.ssl.SSLException;

import io.chukei.gateway.pki.CertificateFiles;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Netty {@link SslContext}s for Chukei's links: TLS 1.3 only, both sides authenticated by
 * certificates from one CA, and nothing else trusted.
 *
 * <p>Provider: OpenSSL (netty-tcnative BoringSSL) when its native library loads, else the JDK's
 * TLS, which is about three times slower here. The system property {@value #PROVIDER_PROPERTY}
 * ({@code auto}, {@code openssl} or {@code jdk}) forces a choice; the overloads taking a
 * {@link SslProvider} do the same per context (tests, side-by-side comparisons).
 *
 * <p>Clients verify the server's name ({@value #ENDPOINT_IDENTIFICATION} endpoint identification,
 * RFC 2818 rules) against the host given to {@link SslContext#newHandler(io.netty.buffer.ByteBufAllocator,
 * String, int)}: pass the host exactly as configured ({@code 127.0.0.1} matches an IP SAN,
 * {@code localhost} a DNS SAN). A handler made without a host cannot be verified and fails the
 * handshake. Servers identify clients by {@link MunicipalityIdentity}, not by name.
 */
public final class TlsContexts
{
    public static final String TLS_1_3 = "TLSv1.3";
    public static final String ENDPOINT_IDENTIFICATION = "HTTPS";
    public static final String PROVIDER_PROPERTY = "chukei.tls.provider";

    private TlsContexts()
    {
    }

    /** The provider the one-argument factories use: the {@value #PROVIDER_PROPERTY} property, else automatic. */
    public static SslProvider provider()
    {
        final String choice = System.getProperty(PROVIDER_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (choice)
        {
            case "auto":
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case "openssl":
                return SslProvider.OPENSSL;
            case "jdk":
                return SslProvider.JDK;
            default:
                throw new IllegalArgumentException(
                    PROVIDER_PROPERTY + ": " + choice + " (expected: auto, openssl or jdk)");
        }
    }

    /** What {@link #provider()} resolves to, for the startup log, e.g. {@code OpenSSL (BoringSSL)} or {@code JDK}. */
    public static String providerName()
    {
        return providerName(provider());
    }

    public static String providerName(final SslProvider provider)
    {
        if (provider == SslProvider.JDK)
        {
            return "JDK";
        }
        return OpenSsl.isAvailable() ? "OpenSSL (" + OpenSsl.versionString() + ")" : "OpenSSL (unavailable)";
    }

    /** A server context requiring a client certificate from the CA in {@code files}. */
    public static SslContext server(final CertificateFiles files)
    {
        return server(files, provider());
    }

    public static SslContext server(final CertificateFiles files, final SslProvider provider)
    {
        Objects.requireNonNull(files, "files");
        requireAvailable(provider);
        final SslContextBuilder builder = SslContextBuilder
            .forServer(file(files.certificate()), file(files.privateKey()))
            .trustManager(file(files.caCertificate()))
            .clientAuth(ClientAuth.REQUIRE);
        return build(builder, provider, files);
    }

    /** A client context presenting the certificate in {@code files} and verifying the server's name. */
    public static SslContext client(final CertificateFiles files)
    {
        return client(files, provider());
    }

    public static SslContext client(final CertificateFiles files, final SslProvider provider)
    {
        Objects.requireNonNull(files, "files");
        requireAvailable(provider);
        final SslContextBuilder builder = SslContextBuilder.forClient()
            .keyManager(file(files.certificate()), file(files.privateKey()))
            .trustManager(file(files.caCertificate()))
            .endpointIdentificationAlgorithm(ENDPOINT_IDENTIFICATION);
        return build(builder, provider, files);
    }

    private static SslContext build(final SslContextBuilder builder, final SslProvider provider, final CertificateFiles files)
    {
        try
        {
            return builder.protocols(TLS_1_3).sslProvider(provider).build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("cannot build a TLS context from " + files, ex);
        }
    }

    private static void requireAvailable(final SslProvider provider)
    {
        Objects.requireNonNull(provider, "provider");
        if (provider != SslProvider.JDK && !OpenSsl.isAvailable())
        {
            throw new IllegalStateException("provider: " + provider
                + " (expected: JDK, since OpenSSL is unavailable here)", OpenSsl.unavailabilityCause());
        }
    }

    private static File file(final java.nio.file.Path path)
    {
        return path.toFile();
    }
}
