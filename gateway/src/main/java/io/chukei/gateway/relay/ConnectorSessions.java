package io.chukei.gateway.relay;

import io.chukei.protocol.sbe.ErrorCode;

import io.chukei.gateway.tls.PeerChain;

import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;


/**
 * The node's open connector sessions, so a cluster change reaches every one of them. Each
 * session is told on its own event loop (a queued task): the caller, whatever its thread,
 * never blocks and never touches a channel from outside its loop.
 */
public final class ConnectorSessions
{
    private final Set<ConnectorSession> open = ConcurrentHashMap.newKeySet();

    void add(final ConnectorSession session)
    {
        open.add(session);
    }

    void remove(final ConnectorSession session)
    {
        open.remove(session);
    }

    /** Sessions with an open connection (TLS handshake under way included). */
    /** Every open session (for scrape-time gauges; not for the hot path). */
    public void forEach(final java.util.function.Consumer<ConnectorSession> action)
    {
        open.forEach(action);
    }

    public int size()
    {
        return open.size();
    }

    /** GoAway with {@code view} to every session past its TLS handshake; each then closes. */
    public void goAwayAll(final ErrorCode code, final String detail, final ClusterSnapshot view)
    {
        for (final ConnectorSession session : open)
        {
            session.channel().eventLoop().execute(() -> session.goAwayIfPastHandshake(code, detail, view));
        }
    }

    /**
     * GoAway with {@code code} to every session past its handshake whose peer certificate {@code revoked}
     * accepts; run after a CRL reload. Each session is looked at on its own event loop.
     */
    public void goAwayRevoked(final Predicate<X509Certificate> revoked, final ErrorCode code, final String detail)
    {
        for (final ConnectorSession session : open)
        {
            session.channel().eventLoop().execute(() ->
            {
                final X509Certificate peer = peerCertificate(session);
                if (peer != null && revoked.test(peer))
                {
                    // No linger: a revoked peer is told why and gets nothing more.
                    session.goAwayAndClose(code, detail + " (serial " + peer.getSerialNumber().toString(16) + ")");
                }
            });
        }
    }

    private static X509Certificate peerCertificate(final ConnectorSession session)
    {
        // Null before the handshake is done: the trust manager checks it against the lists in force when it is.
        return PeerChain.leaf(session.channel());
    }

    /** ClusterView to every session that has had its Welcome (the others get the view in Welcome). */
    public void pushView(final ClusterSnapshot view)
    {
        for (final ConnectorSession session : open)
        {
            session.channel().eventLoop().execute(() -> session.pushView(view));
        }
    }
}
