package io.chukei.gateway.cli;

import java.io.IOException;
import java.nio.file.Path;

import javax.net.ssl.SSLHandshakeException;

/**
 * What {@code chukei admin} prints when a node's admin listener and this client do not agree on TLS: one line naming
 * the cause and what to do, in place of the TLS stack's exception text ("Received fatal alert: certificate_required",
 * "HTTP/1.1 header parser received no bytes"). Null for failures that are not about certificates.
 */
final class AdminTlsFailures
{
    private static final String ALERT = "Received fatal alert: ";

    private AdminTlsFailures()
    {
    }

    /** {@code cause}: the request's failure, unwrapped; {@code certificate}, {@code ca}: the files this client used. */
    static String describe(final Throwable cause, final Path certificate, final Path ca)
    {
        final String message = String.valueOf(cause.getMessage());
        if (cause instanceof SSLHandshakeException && message.startsWith(ALERT))
        {
            return byAlert(message.substring(ALERT.length()).strip(), certificate);
        }
        if (cause instanceof SSLHandshakeException)
        {
            // No alert received: this client refused the node's certificate.
            final String why = message.startsWith("PKIX path building failed") ?
                "it is not issued by the CA in " + ca : message;
            return "refused the node's certificate: " + why + " (expected: --cacert, or ca.crt of --pki or --config, is "
                + "the CA that issued the nodes' certificates)";
        }
        if (cause instanceof IOException && (message.contains("header parser received no bytes") ||
            message.contains("Connection reset")))
        {
            // TLS 1.3: the client's side of the handshake ends before the node has judged its certificate, so a
            // refusal often shows as the connection closing without an answer rather than as an alert.
            return "closed the connection without an answer, most likely refusing the client certificate " + certificate
                + " (" + refusalCauses() + ")";
        }
        return null;
    }

    private static String byAlert(final String alert, final Path certificate)
    {
        return switch (alert)
        {
            case "certificate_revoked" -> "refused: the client certificate " + certificate + " is revoked by the node's "
                + "CRLs (tls.crl); use another operator's certificate";
            case "certificate_required" -> "refused: no client certificate was presented, since " + certificate + " is "
                + "not issued by a CA the node names (the TLS client offers only such a certificate); use one issued by "
                + "the nodes' CA (dev PKI: chukei pki issue-operator --data DIR NAME on the node's data directory)";
            case "certificate_expired" -> "refused: the client certificate " + certificate + " has expired";
            default -> "refused the client certificate " + certificate + " (TLS alert " + alert + "; " + refusalCauses()
                + ")";
        };
    }

    private static String refusalCauses()
    {
        return "revoked, expired, of another CA, or not an operator's or viewer's; the node's log line 'TLS admin: "
            + "refused ...' and chukei_tls_peers_refused_total{link=\"admin\"} say which";
    }
}
