package io.chukei.gateway.tls;

import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.CertificateFiles;

import java.net.URI;
import java.net.http.HttpClient;

/**
 * JDK HTTP clients for a node's admin listener: mutual TLS 1.3 with the caller's certificate (an operator's for
 * {@code chukei admin}, a node's for peer probes, a viewer's for dashboards), the server checked to be a relay node
 * of the same CA, its host name verified by the client.
 */
public final class AdminHttpClients
{
    private AdminHttpClients()
    {
    }

    /** HTTP/1.1 over TLS presenting {@code files}' certificate; add timeouts and executors as needed. */
    public static HttpClient.Builder builder(final CertificateFiles files)
    {
        return builder(files, PeerPolicy.relayClient());
    }

    /** As {@link #builder(CertificateFiles)}, the server checked by {@code servers} (a node's probes: revocation too). */
    public static HttpClient.Builder builder(final CertificateFiles files, final PeerPolicy servers)
    {
        return HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(TlsContexts.jdkClient(files, servers))
            .sslParameters(TlsContexts.tls13Only());
    }

    /** {@code https://HOST:PORT/path?query} on a node's admin listener. */
    public static URI uri(final HostPort admin, final String pathAndQuery)
    {
        return URI.create("https://" + admin.host() + ":" + admin.port() + pathAndQuery);
    }
}
