package io.chukei.gateway.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager (CA, validity, key usage, host name) followed by a {@link
 * PeerPolicy} (key sizes, role). Being an {@link X509ExtendedTrustManager}, it is called with the
 * engine by both providers: the JDK's TLS uses it as it is, and Netty's OpenSSL (BoringSSL) hands
 * certificate verification to it from its verify callback; either way a refusal fails the
 * handshake before any application data.
 *
 * <p>Session resumption does not call a trust manager: a session accepted before a certificate was revoked (or before
 * the CRLs went stale) would resume past this check. The listeners check the peer again after every handshake
 * ({@link PeerRecheck}).
 */
final class RoleCheckingTrustManager extends X509ExtendedTrustManager
{
    private final X509ExtendedTrustManager pkix;
    private final PeerPolicy policy;

    RoleCheckingTrustManager(final X509ExtendedTrustManager pkix, final PeerPolicy policy)
    {
        this.pkix = pkix;
        this.policy = policy;
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        try
        {
            pkix.checkClientTrusted(chain, authType, engine);
        }
        catch (final CertificateException ex)
        {
            throw untrusted(ex, peerOf(engine));
        }
        checkPolicy(chain, peerOf(engine));
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        try
        {
            pkix.checkServerTrusted(chain, authType, engine);
        }
        catch (final CertificateException ex)
        {
            throw untrusted(ex, peerOf(engine));
        }
        checkPolicy(chain, peerOf(engine));
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        try
        {
            pkix.checkClientTrusted(chain, authType, socket);
        }
        catch (final CertificateException ex)
        {
            throw untrusted(ex, peerOf(socket));
        }
        checkPolicy(chain, peerOf(socket));
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        try
        {
            pkix.checkServerTrusted(chain, authType, socket);
        }
        catch (final CertificateException ex)
        {
            throw untrusted(ex, peerOf(socket));
        }
        checkPolicy(chain, peerOf(socket));
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
    {
        try
        {
            pkix.checkClientTrusted(chain, authType);
        }
        catch (final CertificateException ex)
        {
            throw untrusted(ex, "a peer");
        }
        checkPolicy(chain, "a peer");
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
    {
        try
        {
            pkix.checkServerTrusted(chain, authType);
        }
        catch (final CertificateException ex)
        {
            throw untrusted(ex, "a peer");
        }
        checkPolicy(chain, "a peer");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return pkix.getAcceptedIssuers();
    }

    private void checkPolicy(final X509Certificate[] chain, final String peer) throws PeerRefusedException
    {
        final PeerRefusedException refusal = policy.check(chain);
        if (refusal != null)
        {
            throw policy.refused(refusal, peer);
        }
    }

    private PeerRefusedException untrusted(final CertificateException cause, final String peer)
    {
        return policy.refused(new PeerRefusedException(PeerRefusal.UNTRUSTED, String.valueOf(cause.getMessage()), cause),
            peer);
    }

    private static String peerOf(final SSLEngine engine)
    {
        return engine == null || engine.getPeerHost() == null ? "a peer" :
            engine.getPeerHost() + ":" + engine.getPeerPort();
    }

    private static String peerOf(final Socket socket)
    {
        return socket == null || socket.getRemoteSocketAddress() == null ? "a peer" :
            socket.getRemoteSocketAddress().toString();
    }
}
