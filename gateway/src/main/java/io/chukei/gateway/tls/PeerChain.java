package io.chukei.gateway.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The peer's certificates of a TLS session, read in one place for the checks and gauges that need them. */
public final class PeerChain
{
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private PeerChain()
    {
    }

    /**
     * The chain, leaf first: empty while no peer is verified (handshake not done, or no certificate sent), null when
     * one of its certificates is not X.509.
     */
    public static X509Certificate[] of(final SSLSession session)
    {
        final Certificate[] certificates;
        try
        {
            certificates = session.getPeerCertificates();
        }
        catch (final SSLPeerUnverifiedException notYet)
        {
            return NONE;
        }
        if (certificates == null)
        {
            return NONE;
        }
        final X509Certificate[] chain = new X509Certificate[certificates.length];
        for (int i = 0; i < chain.length; i++)
        {
            if (!(certificates[i] instanceof X509Certificate))
            {
                return null;
            }
            chain[i] = (X509Certificate)certificates[i];
        }
        return chain;
    }

    /** The leaf certificate of {@code channel}'s TLS session, or null (no TLS, no verified peer yet, or not X.509). */
    public static X509Certificate leaf(final io.netty.channel.Channel channel)
    {
        final io.netty.handler.ssl.SslHandler tls = channel.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        return tls == null ? null : leaf(tls.engine().getSession());
    }

    /** The leaf certificate, or null (no verified peer yet, or not X.509). */
    public static X509Certificate leaf(final SSLSession session)
    {
        final X509Certificate[] chain = of(session);
        return chain == null || chain.length == 0 ? null : chain[0];
    }
}
