package io.chukei.gateway.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.util.IPAddress;

/**
 * One subject alternative name in a normalised form, so that the names a caller asks for can be
 * compared with those in a certificate already on disk (IP literals by address, DNS names
 * lower-case).
 */
record SubjectAltName(int type, String value)
{
    static SubjectAltName dns(final String name)
    {
        return new SubjectAltName(GeneralName.dNSName, name.toLowerCase(Locale.ROOT));
    }

    static SubjectAltName uri(final String uri)
    {
        return new SubjectAltName(GeneralName.uniformResourceIdentifier, uri);
    }

    /** The literal must already be a valid IP address ({@link IPAddress#isValid}), so no lookup happens. */
    static SubjectAltName ip(final String literal)
    {
        return new SubjectAltName(GeneralName.iPAddress, canonicalIp(literal));
    }

    GeneralName toGeneralName()
    {
        return new GeneralName(type, value);
    }

    /** The names in a certificate, in the same form; an unparsable extension reads as no names. */
    static Set<SubjectAltName> of(final X509Certificate certificate)
    {
        final Set<SubjectAltName> names = new HashSet<>();
        final Collection<List<?>> entries;
        try
        {
            entries = certificate.getSubjectAlternativeNames();
        }
        catch (final CertificateParsingException ex)
        {
            return names;
        }
        if (entries == null)
        {
            return names;
        }
        for (final List<?> entry : entries)
        {
            final int type = (Integer)entry.get(0);
            final Object value = entry.get(1);
            if (!(value instanceof String))
            {
                continue;
            }
            final String text = (String)value;
            if (type == GeneralName.iPAddress)
            {
                if (IPAddress.isValid(text))
                {
                    names.add(ip(text));
                }
            }
            else if (type == GeneralName.dNSName)
            {
                names.add(dns(text));
            }
            else
            {
                names.add(new SubjectAltName(type, text));
            }
        }
        return names;
    }

    private static String canonicalIp(final String literal)
    {
        if (!IPAddress.isValid(literal))
        {
            throw new IllegalArgumentException("ipAddress: " + literal + " (expected: an IPv4 or IPv6 literal)");
        }
        try
        {
            return InetAddress.getByName(literal).getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("ipAddress: " + literal + " (expected: an IPv4 or IPv6 literal)", ex);
        }
    }
}
