package io.chukei.gateway.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.chukei.gateway.pki.PeerRole;

/**
 * Who a certificate says its holder is: one {@link PeerRole} and one name, read from the subject
 * alternative names of type URI that start with {@value PeerRole#URN_PREFIX} (any case). URIs
 * outside that namespace are ignored; inside it, anything but exactly one well-formed role URI is
 * a {@link Status} other than {@link Status#PRESENT}, never an exception.
 */
public final class PeerIdentity
{
    /** How reading the identity went. */
    public enum Status
    {
        /** Exactly one well-formed role URI. */
        PRESENT,
        /** The session has no verified peer certificate. */
        NO_PEER_CERTIFICATE,
        /** No URI in the Chukei namespace. */
        NO_ROLE,
        /** URIs of two or more roles, e.g. a connector that is also a node. */
        SEVERAL_ROLES,
        /** Two or more URIs of one role, e.g. two municipalities. */
        SEVERAL_IDENTITIES,
        /** A Chukei URI of an unknown kind, a name that breaks its role's rule, or an unreadable certificate. */
        MALFORMED
    }

    private static final int URI_NAME_TYPE = 6;
    private static final PeerIdentity NO_PEER_CERTIFICATE = new PeerIdentity(Status.NO_PEER_CERTIFICATE, null, null, null);

    private final Status status;
    private final PeerRole role;
    private final String name;
    /** For refusal messages: the role URI, or what made the identity unusable. */
    private final String evidence;

    private PeerIdentity(final Status status, final PeerRole role, final String name, final String evidence)
    {
        this.status = status;
        this.role = role;
        this.name = name;
        this.evidence = evidence;
    }

    /** The identity in the session's peer leaf certificate. */
    public static PeerIdentity of(final SSLSession session)
    {
        final Certificate[] chain;
        try
        {
            chain = session.getPeerCertificates();
        }
        catch (final SSLPeerUnverifiedException ex)
        {
            return NO_PEER_CERTIFICATE;
        }
        if (chain == null || chain.length == 0)
        {
            return NO_PEER_CERTIFICATE;
        }
        return chain[0] instanceof X509Certificate ?
            of((X509Certificate)chain[0]) : new PeerIdentity(Status.MALFORMED, null, null, "not an X.509 certificate");
    }

    public static PeerIdentity of(final X509Certificate certificate)
    {
        Objects.requireNonNull(certificate, "certificate");
        final Collection<List<?>> altNames;
        try
        {
            altNames = certificate.getSubjectAlternativeNames();
        }
        catch (final CertificateParsingException ex)
        {
            return new PeerIdentity(Status.MALFORMED, null, null, "unreadable subject alternative names");
        }
        String found = null;
        PeerRole foundRole = null;
        int count = 0;
        for (final List<?> altName : altNames == null ? List.<List<?>>of() : altNames)
        {
            if (altName.size() < 2 || !Integer.valueOf(URI_NAME_TYPE).equals(altName.get(0))
                || !(altName.get(1) instanceof String uri) || !inNamespace(uri))
            {
                continue;
            }
            final PeerRole role = roleOf(uri);
            if (role == null)
            {
                return new PeerIdentity(Status.MALFORMED, null, null, uri + " (unknown role)");
            }
            if (foundRole != null && foundRole != role)
            {
                return new PeerIdentity(Status.SEVERAL_ROLES, null, null, found + " and " + uri);
            }
            foundRole = role;
            found = count == 0 ? uri : found + " and " + uri;
            count++;
        }
        if (count == 0)
        {
            return new PeerIdentity(Status.NO_ROLE, null, null, "no " + PeerRole.URN_PREFIX + " URI");
        }
        if (count > 1)
        {
            return new PeerIdentity(Status.SEVERAL_IDENTITIES, foundRole, null, found);
        }
        final String name = found.substring(foundRole.prefix().length());
        if (!foundRole.isValidName(name))
        {
            return new PeerIdentity(Status.MALFORMED, foundRole, null, found + " (expected: " + foundRole.nameRule() + ")");
        }
        return new PeerIdentity(Status.PRESENT, foundRole, name, found);
    }

    private static boolean inNamespace(final String uri)
    {
        return uri.regionMatches(true, 0, PeerRole.URN_PREFIX, 0, PeerRole.URN_PREFIX.length());
    }

    /** The role whose prefix (any case) the URI starts with, or null. */
    private static PeerRole roleOf(final String uri)
    {
        final int kindEnd = uri.indexOf(':', PeerRole.URN_PREFIX.length());
        return kindEnd < 0 ? null : PeerRole.ofKind(uri.substring(PeerRole.URN_PREFIX.length(), kindEnd));
    }

    public Status status()
    {
        return status;
    }

    public boolean isPresent()
    {
        return status == Status.PRESENT;
    }

    /**
     * The role.
     *
     * @throws IllegalStateException if {@link #status()} is not {@link Status#PRESENT}
     */
    public PeerRole role()
    {
        requirePresent();
        return role;
    }

    /**
     * The name after the role's prefix: a municipality code, a node, endpoint, operator or viewer name.
     *
     * @throws IllegalStateException if {@link #status()} is not {@link Status#PRESENT}
     */
    public String name()
    {
        requirePresent();
        return name;
    }

    private void requirePresent()
    {
        if (status != Status.PRESENT)
        {
            throw new IllegalStateException("status: " + status + " (expected: PRESENT)");
        }
    }

    @Override
    public String toString()
    {
        return status == Status.PRESENT ? role.kind() + " " + name :
            status + (evidence == null ? "" : " (" + evidence + ")");
    }
}
