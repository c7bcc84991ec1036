package io.chukei.gateway.node;

import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.PeerRole;
import io.chukei.gateway.tls.AdminHttpClients;
import io.chukei.gateway.tls.MunicipalityCodes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** HTTPS clients for a test node's admin listener, presenting an operator's or a viewer's certificate of its dev PKI. */
final class AdminHttp
{
    static final String OPERATOR = "alice";
    static final String VIEWER = "bob";

    private final HttpClient http;

    private AdminHttp(final HttpClient http)
    {
        this.http = http;
    }

    /** As operator {@value #OPERATOR} of the node's dev PKI. */
    static AdminHttp operator(final RelayNode node)
    {
        return as(node.config().pkiDir(), PeerRole.OPERATOR, OPERATOR);
    }

    /** As viewer {@value #VIEWER} of the node's dev PKI. */
    static AdminHttp viewer(final RelayNode node)
    {
        return as(node.config().pkiDir(), PeerRole.VIEWER, VIEWER);
    }

    static AdminHttp as(final Path pkiDir, final PeerRole role, final String name)
    {
        return new AdminHttp(AdminHttpClients.builder(files(pkiDir, role, name)).connectTimeout(Duration.ofSeconds(5)).build());
    }

    static CertificateFiles files(final Path pkiDir, final PeerRole role, final String name)
    {
        final DevPki pki = DevPki.openOrCreate(pkiDir, MunicipalityCodes::isValid);
        return switch (role)
        {
            case OPERATOR -> pki.issueOperator(name);
            case VIEWER -> pki.issueViewer(name);
            default -> throw new IllegalArgumentException("role: " + role + " (expected: operator or viewer)");
        };
    }

    static URI uri(final RelayNode node, final String pathAndQuery)
    {
        return AdminHttpClients.uri(new HostPort("127.0.0.1", node.adminAddress().getPort()), pathAndQuery);
    }

    HttpResponse<String> get(final RelayNode node, final String pathAndQuery) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(node, pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(final RelayNode node, final String pathAndQuery) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(node, pathAndQuery)).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpClient client()
    {
        return http;
    }
}
