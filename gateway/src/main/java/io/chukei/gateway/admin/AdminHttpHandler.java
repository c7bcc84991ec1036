package io.chukei.gateway.admin;

import io.chukei.protocol.text.SafeText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.chukei.gateway.tls.PeerIdentity;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.PeerRecheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Turns HTTP requests into {@link AdminRoutes} calls for the callers {@link AdminAccess} allows (a refusal is
 * counted, journaled and answered 403/404); a request the codec could not parse is a 400 and closes the
 * connection; a failing route is a 500, never a crash of the loop.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final int MAX_ERROR_CHARS = 2_000;
    private static final String CONTENT_SECURITY_POLICY =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /**
     * HSTS on the HTTPS listener (testssl.sh flagged its absence): a browser that reached the status page over HTTPS
     * once never tries it in clear for a year. No includeSubDomains: the node cannot speak for other services under
     * its host name. Not sent by the plain listener, where browsers ignore it (RFC 6797, 8.1).
     */
    static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

    private final AdminRoutes routes;
    private final AdminServer.Refusals refusals;
    private final boolean https;
    /** The TLS listener's policy, checked again at each request (a CRL reload may revoke a kept-alive caller); or null. */
    private final PeerPolicy peers;
    /** Known once the TLS handshake is done; the same for every request of the connection. */
    private AdminCaller caller;
    /** An answer decided later has not been written yet: requests wait in {@link #waiting}. On the channel's loop. */
    private boolean answerPending;
    private final java.util.ArrayDeque<FullHttpRequest> waiting = new java.util.ArrayDeque<>(2);

    /** {@code peers}: the TLS listener's policy (its answers carry HSTS); null on the plain listener. */
    AdminHttpHandler(final AdminRoutes routes, final AdminServer.Refusals refusals, final PeerPolicy peers)
    {
        this.routes = routes;
        this.refusals = refusals;
        this.https = peers != null;
        this.peers = peers;
    }

    /** Null while the caller's certificate is still accepted; else why not (a CRL reloaded since the handshake). */
    private String revokedSinceHandshake(final ChannelHandlerContext ctx)
    {
        final SslHandler ssl = peers == null ? null : ctx.pipeline().get(SslHandler.class);
        return ssl == null ? null : PeerRecheck.refusal(peers, ssl.engine().getSession(),
            String.valueOf(ctx.channel().remoteAddress()));
    }

    /**
     * The certificate's identity; the trust manager refused every chain without an accepted role, so an
     * identity that is not present here is a bug, answered 403, never trusted.
     */
    private AdminCaller caller(final ChannelHandlerContext ctx)
    {
        if (caller == null)
        {
            final SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl == null)
            {
                caller = AdminCaller.PLAIN;
            }
            else
            {
                final PeerIdentity identity = PeerIdentity.of(ssl.engine().getSession());
                caller = identity.isPresent() ? AdminCaller.of(identity) : null;
            }
        }
        return caller;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        if (answerPending)
        {
            // Pipelined behind an answer not yet written (read before auto-read stopped): kept until it is.
            waiting.add(request.retain());
            return;
        }
        final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        final AdminCaller who = caller(ctx);
        AdminRoutes.Response response;
        String refusedNow = null;
        final boolean malformed = request.decoderResult().isFailure();
        try
        {
            if (malformed)
            {
                // The codec could not read the request line or headers: what it made of them is no path to route.
                response = AdminRoutes.Response.text(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " +
                    SafeText.of(String.valueOf(request.decoderResult().cause()), MAX_ERROR_CHARS) + "\n");
            }
            else if ((refusedNow = revokedSinceHandshake(ctx)) != null)
            {
                response = AdminRoutes.Response.text(HttpResponseStatus.FORBIDDEN, "certificate refused since the " +
                    "connection opened (" + SafeText.of(refusedNow, MAX_ERROR_CHARS) + ")\n");
            }
            else
            {
                response = who == null ? AdminRoutes.Response.text(HttpResponseStatus.FORBIDDEN, "no identity\n") :
                    allowedOrRefused(who, request, uri);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // Messages may quote what the request said: escaped here, once, like every outside text the node writes.
            response = AdminRoutes.Response.text(HttpResponseStatus.BAD_REQUEST,
                SafeText.of(ex.getMessage(), MAX_ERROR_CHARS) + "\n");
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("Admin request {} {} failed", request.method(), SafeText.of(uri.path()), ex);
            response = AdminRoutes.Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, SafeText.of(ex.toString(),
                MAX_ERROR_CHARS) + "\n");
        }
        // After a malformed request the stream's framing is unknown: answer once, then close.
        // After a certificate refused since the handshake: nothing more on this connection either.
        final boolean keepAlive = !malformed && refusedNow == null && HttpUtil.isKeepAlive(request);
        if (response.later() == null)
        {
            write(ctx, response, keepAlive);
            return;
        }
        // Answered once the route's answer is known; requests that arrive meanwhile wait, so answers keep their order.
        final String what = request.method() + " " + uri.path();
        answerPending = true;
        ctx.channel().config().setAutoRead(false);
        response.later().whenComplete((later, failure) -> ctx.executor().execute(() ->
        {
            write(ctx, failure == null ? later : failed(what, failure), keepAlive);
            answerPending = false;
            ctx.channel().config().setAutoRead(true);
            FullHttpRequest next;
            while (!answerPending && (next = waiting.poll()) != null)
            {
                try
                {
                    channelRead0(ctx, next);
                }
                finally
                {
                    next.release();
                }
            }
        }));
    }

    private static AdminRoutes.Response failed(final String what, final Throwable failure)
    {
        LOG.warn("Admin request {} failed", SafeText.of(what), failure);
        return AdminRoutes.Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, SafeText.of(failure.toString(),
            MAX_ERROR_CHARS) + "\n");
    }

    private void write(final ChannelHandlerContext ctx, final AdminRoutes.Response response, final boolean keepAlive)
    {
        if (!ctx.channel().isActive())
        {
            return;
        }
        final ByteBuf body = Unpooled.copiedBuffer(response.body(), StandardCharsets.UTF_8);
        final FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), body);
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        // The status page loads only its own files; no other site may frame it or read it as another type.
        http.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        http.headers().set("X-Content-Type-Options", "nosniff");
        http.headers().set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (https)
        {
            http.headers().set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        }
        HttpUtil.setKeepAlive(http, keepAlive);
        if (keepAlive)
        {
            ctx.writeAndFlush(http);
        }
        else
        {
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private AdminRoutes.Response allowedOrRefused(final AdminCaller who, final FullHttpRequest request,
        final QueryStringDecoder uri)
    {
        final AdminAccess.Refusal refusal = AdminAccess.check(who, request.method(), uri.path(), request.headers());
        if (refusal == null)
        {
            return routes.handle(who, request.method(), uri.path(), uri.parameters());
        }
        // The reason quotes the path and the Origin header: outside text, escaped once, here.
        final AdminAccess.Refusal safe = new AdminAccess.Refusal(refusal.status(), refusal.tag(),
            SafeText.of(refusal.reason(), MAX_ERROR_CHARS));
        refusals.refused(who, safe);
        return AdminRoutes.Response.text(HttpResponseStatus.valueOf(safe.status()), safe.reason() + "\n");
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        FullHttpRequest left;
        while ((left = waiting.poll()) != null)
        {
            left.release();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
