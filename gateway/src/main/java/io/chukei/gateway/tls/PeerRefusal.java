package io.chukei.gateway.tls;

import java.util.Locale;

/** Why a peer's certificate was refused during the handshake; the lower-case name is the metric's {@code reason} tag. */
public enum PeerRefusal
{
    /** The JDK's PKIX check failed: another CA, expired, wrong key usage, or (clients) the wrong host name. */
    UNTRUSTED,
    /** A certificate of the chain has a key below the {@link io.chukei.gateway.pki.KeyStrength} minimum. */
    WEAK_KEY,
    /** No role URI at all, e.g. a certificate from a dev PKI older than roles. */
    NO_ROLE,
    /** URIs of two or more roles. */
    SEVERAL_ROLES,
    /** Two or more URIs of one role. */
    SEVERAL_IDENTITIES,
    /** A role URI of an unknown kind or with a name that breaks its role's rule. */
    MALFORMED_IDENTITY,
    /** A well-formed role this link does not accept, e.g. a connector at card management. */
    WRONG_ROLE,
    /** A certificate of the chain is listed by a CRL in force ({@link Revocation}). */
    REVOKED,
    /** The CRLs are past their nextUpdate plus the grace: every peer is refused until a fresh one is loaded. */
    CRL_STALE;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag()
    {
        return tag;
    }
}
