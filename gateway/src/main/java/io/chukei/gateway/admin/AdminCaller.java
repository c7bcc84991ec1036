package io.chukei.gateway.admin;

import io.chukei.gateway.pki.PeerRole;
import io.chukei.gateway.tls.PeerIdentity;

import java.util.Objects;

/**
 * Who sent an admin request: the role and name of the client certificate the TLS handshake accepted,
 * or the plain listener's anonymous caller. {@link #actor()} is what the journal records.
 */
public record AdminCaller(PeerRole role, String name)
{
    /** A request on the plain listener: nobody authenticated, health and metrics only. */
    public static final AdminCaller PLAIN = new AdminCaller(null, "plain-listener");

    public AdminCaller
    {
        Objects.requireNonNull(name, "name");
    }

    /** The caller of a verified identity; the listener's trust manager accepted only operators, viewers and nodes. */
    public static AdminCaller of(final PeerIdentity identity)
    {
        return new AdminCaller(identity.role(), identity.name());
    }

    public boolean isAuthenticated()
    {
        return role != null;
    }

    /** The journal's actor: {@code operator:alice}, {@code viewer:bob}, {@code node:node-2}, or {@code plain-listener}. */
    public String actor()
    {
        return role == null ? name : role.kind() + ":" + name;
    }

    @Override
    public String toString()
    {
        return actor();
    }
}
