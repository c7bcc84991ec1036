package io.chukei.gateway.pki;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The roles a Chukei certificate can carry, each as one subject alternative name of type URI:
 *
 * <pre>
 * CONNECTOR        urn:chukei:municipality:&lt;6 digits&gt;   a municipality's connector (client)
 * RELAY_NODE       urn:chukei:node:&lt;name&gt;             a relay node (server for connectors, client upstream)
 * CARD_MANAGEMENT  urn:chukei:card-management:&lt;name&gt;  a card-management endpoint (server)
 * OPERATOR         urn:chukei:operator:&lt;name&gt;         a person allowed to act on the admin API (client)
 * VIEWER           urn:chukei:viewer:&lt;name&gt;           a person allowed to read the admin API (client)
 * </pre>
 *
 * A certificate has exactly one role and one name in it; the URI, not the CN, is the identity.
 * URIs are the binding because the connector identity already was one and because a URI names
 * who the peer is, where an extended key usage only says which side of a handshake a key may
 * sign for (the dev PKI sets both).
 */
public enum PeerRole
{
    CONNECTOR("municipality"),
    RELAY_NODE("node"),
    CARD_MANAGEMENT("card-management"),
    OPERATOR("operator"),
    VIEWER("viewer");

    /** Every role URI starts with this, compared without regard to case (URN scheme and namespace are case-insensitive). */
    public static final String URN_PREFIX = "urn:chukei:";
    /** Names other than municipality codes: also file names in the dev PKI. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String kind;
    private final String prefix;

    PeerRole(final String kind)
    {
        this.kind = kind;
        this.prefix = URN_PREFIX + kind + ":";
    }

    /** The URI's kind, e.g. {@code node}; also the role's name in logs and metrics. */
    public String kind()
    {
        return kind;
    }

    /** The URI prefix, e.g. {@code urn:chukei:node:}; the name follows it. */
    public String prefix()
    {
        return prefix;
    }

    /** The role URI for a name; the name is not checked here ({@link #isValidName}). */
    public String uri(final String name)
    {
        return prefix + name;
    }

    /** A municipality code (six digits) for a connector; 1-64 letters, digits, '.', '_', '-' for the others. */
    public boolean isValidName(final String name)
    {
        if (this == CONNECTOR)
        {
            return MunicipalityUri.isSixDigits(name);
        }
        return name != null && NAME.matcher(name).matches();
    }

    /** What a valid name looks like, for error messages. */
    public String nameRule()
    {
        return this == CONNECTOR ? "6 digits" : "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    }

    /** The role whose URI kind this is (any case), or null. */
    public static PeerRole ofKind(final String kind)
    {
        final String lower = kind.toLowerCase(Locale.ROOT);
        for (final PeerRole role : values())
        {
            if (role.kind.equals(lower))
            {
                return role;
            }
        }
        return null;
    }

    @Override
    public String toString()
    {
        return kind;
    }
}
