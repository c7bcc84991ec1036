package io.chukei.gateway.upstream;

import java.util.Objects;

import io.chukei.gateway.tls.PeerPolicy;
import io.netty.handler.ssl.SslContext;

/**
 * TLS towards card management: the client context, and the policy its server's certificate is checked by again after
 * every handshake, since a resumed session calls no trust manager (a certificate revoked since would pass).
 */
public record UpstreamTls(SslContext context, PeerPolicy peers)
{
    public UpstreamTls
    {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(peers, "peers");
    }
}
