package io.chukei.gateway.tls;

import java.security.cert.CertificateException;
import java.util.Objects;

/** A peer certificate refused by a {@link PeerPolicy}: the TLS stack turns it into a failed handshake. */
public final class PeerRefusedException extends CertificateException
{
    private static final long serialVersionUID = 1L;

    private final transient PeerRefusal reason;

    PeerRefusedException(final PeerRefusal reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public PeerRefusal reason()
    {
        return reason;
    }
}
