package io.chukei.gateway.tls;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLSession;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The peer's certificate checked again by its link's {@link PeerPolicy} once a handshake succeeds, placed right after
 * the {@link SslHandler}. A resumed TLS session calls no trust manager, so a certificate revoked since its session
 * began (or a CRL gone stale since) would otherwise pass: a revoked connector sent away by a CRL reload reconnected
 * at once by resuming its session. A refused peer is counted and logged as in the handshake, its connection closed,
 * and nothing it sent reaches the handlers after this one. An accepted peer's connection loses this handler.
 */
public final class PeerRecheck extends ChannelInboundHandlerAdapter
{
    public static final String NAME = "peer-recheck";

    private final PeerPolicy policy;
    private boolean refused;

    public PeerRecheck(final PeerPolicy policy)
    {
        this.policy = policy;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (refused)
        {
            ReferenceCountUtil.release(event);
            return;
        }
        if (event instanceof SslHandshakeCompletionEvent && ((SslHandshakeCompletionEvent)event).isSuccess())
        {
            final SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null && refusal(policy, tls.engine().getSession(), peer(ctx, tls)) != null)
            {
                refused = true;
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(event);
            ctx.pipeline().remove(this);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (refused)
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The peer of {@code session} checked by {@code policy} now: null when accepted, else why not (counted and logged
     * as a refusal in the handshake). Also for a connection that outlives a CRL reload (an admin keep-alive).
     */
    public static String refusal(final PeerPolicy policy, final SSLSession session, final String peer)
    {
        PeerRefusedException refusal;
        try
        {
            refusal = check(policy, session);
        }
        catch (final RuntimeException ex)
        {
            // Fails closed: a check that cannot be made refuses, it never lets a peer through unchecked.
            refusal = new PeerRefusedException(PeerRefusal.UNTRUSTED, "its certificate could not be checked again (" +
                ex + ")", ex);
        }
        if (refusal == null)
        {
            return null;
        }
        policy.refused(refusal, peer);
        return refusal.reason().tag() + ": " + refusal.getMessage();
    }

    private static PeerRefusedException check(final PeerPolicy policy, final SSLSession session)
    {
        final X509Certificate[] chain = PeerChain.of(session);
        if (chain == null)
        {
            return new PeerRefusedException(PeerRefusal.UNTRUSTED, "a certificate of the session is not X.509", null);
        }
        if (chain.length == 0)
        {
            return new PeerRefusedException(PeerRefusal.NO_ROLE, "no certificate in the session", null);
        }
        return policy.check(chain);
    }

    private static String peer(final ChannelHandlerContext ctx, final SslHandler tls)
    {
        final String host = tls.engine().getPeerHost();
        return host != null ? host + ":" + tls.engine().getPeerPort() + " (checked again after the handshake)" :
            ctx.channel().remoteAddress() + " (checked again after the handshake)";
    }
}
