package io.chukei.gateway.tls;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.KeyStrength;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
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
 *
 * <p>Every context checks its peer against a {@link PeerPolicy} during the handshake: the PKIX
 * check, then key sizes ({@link KeyStrength}) and the peer's role. A context's own certificate
 * must meet the key sizes too, or the context is not built.
 */
public final class TlsContexts
{
    public static final String TLS_1_3 = "TLSv1.3";
    /** Type of the in-memory key store holding a context's key for its key manager (see {@link #build}). */
    private static final String IN_MEMORY_KEY_STORE = inMemoryKeyStoreType();
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

    /**
     * Whether OpenSSL (netty-tcnative) loaded here. The first call loads it: the native library is unpacked from the jar
     * and linked, ~0.3 s of a cold JVM, which a node's start runs beside its other work (any caller meanwhile waits).
     */
    public static boolean openSslAvailable()
    {
        return OpenSsl.isAvailable();
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

    /** A server context requiring a client certificate from the CA in {@code files} whose role {@code peers} accepts. */
    public static SslContext server(final CertificateFiles files, final PeerPolicy peers)
    {
        return server(files, provider(), peers);
    }

    public static SslContext server(final CertificateFiles files, final SslProvider provider, final PeerPolicy peers)
    {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(peers, "peers");
        requireAvailable(provider);
        requireStrongKey(files.certificate());
        final SslContextBuilder builder = SslContextBuilder
            .forServer(file(files.certificate()), file(files.privateKey()))
            .trustManager(trustManager(files.caCertificate(), peers))
            .clientAuth(ClientAuth.REQUIRE);
        return build(builder, provider, files);
    }

    /**
     * A client context presenting the certificate in {@code files}, verifying the server's name and
     * that its role is one {@code peers} accepts.
     */
    public static SslContext client(final CertificateFiles files, final PeerPolicy peers)
    {
        return client(files, provider(), peers);
    }

    public static SslContext client(final CertificateFiles files, final SslProvider provider, final PeerPolicy peers)
    {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(peers, "peers");
        requireAvailable(provider);
        requireStrongKey(files.certificate());
        final SslContextBuilder builder = SslContextBuilder.forClient()
            .keyManager(file(files.certificate()), file(files.privateKey()))
            .trustManager(trustManager(files.caCertificate(), peers))
            .endpointIdentificationAlgorithm(ENDPOINT_IDENTIFICATION);
        return build(builder, provider, files);
    }

    /**
     * A JDK {@link SSLContext} presenting the certificate in {@code files} and checking the server against
     * {@code peers}, for the JDK's HTTP client (peer probes, {@code chukei admin}): the same key and trust
     * managers as {@link #client}, built by Netty's JDK provider. The HTTP client verifies the host name
     * itself; pass {@link #tls13Only()} as its SSL parameters.
     */
    public static SSLContext jdkClient(final CertificateFiles files, final PeerPolicy peers)
    {
        return ((JdkSslContext)client(files, SslProvider.JDK, peers)).context();
    }

    /** TLS 1.3 only, like every other Chukei link. */
    public static SSLParameters tls13Only()
    {
        final SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {TLS_1_3});
        return parameters;
    }

    /** The JDK's PKIX trust manager for the CA certificates in the file, then the policy. */
    private static TrustManager trustManager(final Path caFile, final PeerPolicy peers)
    {
        try
        {
            final KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (final X509Certificate ca : readCertificates(caFile))
            {
                anchors.setCertificateEntry("ca-" + i++, ca);
            }
            final TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (final TrustManager manager : factory.getTrustManagers())
            {
                if (manager instanceof X509ExtendedTrustManager pkix)
                {
                    return new RoleCheckingTrustManager(pkix, peers);
                }
            }
            throw new IllegalStateException("PKIX: no X509ExtendedTrustManager in this JDK");
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new IllegalStateException(caFile + ": cannot make a trust manager of it (expected: PEM CA certificates)", ex);
        }
    }

    private static void requireStrongKey(final Path certificateFile)
    {
        final Collection<X509Certificate> certificates = readCertificates(certificateFile);
        if (certificates.isEmpty())
        {
            throw new IllegalStateException(certificateFile + ": no certificate (expected: a PEM CERTIFICATE)");
        }
        final String weakness = KeyStrength.weakness(certificates.iterator().next().getPublicKey());
        if (weakness != null)
        {
            throw new IllegalStateException(certificateFile + ": key " + weakness);
        }
    }

    private static Collection<X509Certificate> readCertificates(final Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            final List<X509Certificate> certificates = new ArrayList<>(read.size());
            for (final Certificate certificate : read)
            {
                certificates.add((X509Certificate)certificate);
            }
            return certificates;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(file + ": cannot read", ex);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(file + ": unreadable (expected: PEM X.509 certificates)", ex);
        }
    }

    private static SslContext build(final SslContextBuilder builder, final SslProvider provider, final CertificateFiles files)
    {
        try
        {
            // The key store Netty puts the key and chain in is in memory only, for the key manager to read. Netty's
            // default type, PKCS12, protects the key with 10,000 rounds of PBKDF2 as it is put in: ~0.1 s a context on a
            // cold JVM, in every node's start (bench/README.md, "Restart time"). JKS protects it by a cheap keyed
            // XOR, which is all an in-memory store needs: the key is in the process in clear either way.
            return builder.protocols(TLS_1_3).sslProvider(provider).keyStoreType(IN_MEMORY_KEY_STORE).build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("cannot build a TLS context from " + files, ex);
        }
    }

    /** JKS where the JDK has it (a FIPS-restricted one may not); else the JDK's default type, as Netty would use. */
    private static String inMemoryKeyStoreType()
    {
        try
        {
            KeyStore.getInstance("JKS");
            return "JKS";
        }
        catch (final KeyStoreException ex)
        {
            return KeyStore.getDefaultType();
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
