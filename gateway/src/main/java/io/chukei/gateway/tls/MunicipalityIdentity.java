package io.chukei.gateway.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.chukei.gateway.pki.MunicipalityUri;
import io.netty.handler.ssl.SslHandler;

/**
 * The municipality a peer certificate speaks for: its one subject alternative name of type URI
 * that starts with {@value MunicipalityUri#PREFIX}, followed by six digits. Every other outcome is
 * a {@link Status}, not an exception: the caller rejects the connection and counts it.
 *
 * <p>The prefix is matched without regard to case (URN scheme and namespace are case-insensitive),
 * so a differently cased second identity makes the certificate ambiguous instead of being ignored.
 * The check digit is not verified here; that rule belongs to protocol's validation.
 */
public final class MunicipalityIdentity
{
    /** How reading the identity went. */
    public enum Status
    {
        /** Exactly one well-formed municipality URI. */
        PRESENT,
        /** The session has no verified peer certificate. */
        NO_PEER_CERTIFICATE,
        /** The certificate carries no municipality URI. */
        NO_IDENTITY,
        /** The certificate carries more than one municipality URI. */
        SEVERAL_IDENTITIES,
        /** The municipality URI's code is not six digits, or the certificate cannot be read. */
        MALFORMED
    }

    private static final MunicipalityIdentity NO_PEER_CERTIFICATE =
        new MunicipalityIdentity(Status.NO_PEER_CERTIFICATE, null);
    private static final MunicipalityIdentity NO_IDENTITY = new MunicipalityIdentity(Status.NO_IDENTITY, null);
    private static final MunicipalityIdentity SEVERAL_IDENTITIES =
        new MunicipalityIdentity(Status.SEVERAL_IDENTITIES, null);
    private static final MunicipalityIdentity MALFORMED = new MunicipalityIdentity(Status.MALFORMED, null);
    private static final int URI_NAME_TYPE = 6;

    private final Status status;
    private final String municipalityCode;

    private MunicipalityIdentity(final Status status, final String municipalityCode)
    {
        this.status = status;
        this.municipalityCode = municipalityCode;
    }

    /** The identity in the peer's leaf certificate after a completed handshake. */
    public static MunicipalityIdentity of(final SslHandler sslHandler)
    {
        return of(sslHandler.engine().getSession());
    }

    /** The identity in the session's peer leaf certificate. */
    public static MunicipalityIdentity of(final SSLSession session)
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
        return chain[0] instanceof X509Certificate ? of((X509Certificate)chain[0]) : MALFORMED;
    }

    public static MunicipalityIdentity of(final X509Certificate certificate)
    {
        Objects.requireNonNull(certificate, "certificate");
        final Collection<List<?>> altNames;
        try
        {
            altNames = certificate.getSubjectAlternativeNames();
        }
        catch (final CertificateParsingException ex)
        {
            return MALFORMED;
        }
        if (altNames == null)
        {
            return NO_IDENTITY;
        }
        String found = null;
        int count = 0;
        for (final List<?> altName : altNames)
        {
            if (altName.size() >= 2 && Integer.valueOf(URI_NAME_TYPE).equals(altName.get(0))
                && altName.get(1) instanceof String && hasPrefix((String)altName.get(1)))
            {
                found = (String)altName.get(1);
                count++;
            }
        }
        if (count == 0)
        {
            return NO_IDENTITY;
        }
        if (count > 1)
        {
            return SEVERAL_IDENTITIES;
        }
        final String code = found.substring(MunicipalityUri.PREFIX.length());
        return MunicipalityUri.isSixDigits(code) ? new MunicipalityIdentity(Status.PRESENT, code) : MALFORMED;
    }

    private static boolean hasPrefix(final String uri)
    {
        return uri.regionMatches(true, 0, MunicipalityUri.PREFIX, 0, MunicipalityUri.PREFIX.length());
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
     * The six-digit code.
     *
     * @throws IllegalStateException if {@link #status()} is not {@link Status#PRESENT}
     */
    public String municipalityCode()
    {
        if (status != Status.PRESENT)
        {
            throw new IllegalStateException("status: " + status + " (expected: PRESENT)");
        }
        return municipalityCode;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof MunicipalityIdentity
            && status == ((MunicipalityIdentity)other).status
            && Objects.equals(municipalityCode, ((MunicipalityIdentity)other).municipalityCode);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(status, municipalityCode);
    }

    @Override
    public String toString()
    {
        return status == Status.PRESENT ? "municipality " + municipalityCode : status.toString();
    }
}
