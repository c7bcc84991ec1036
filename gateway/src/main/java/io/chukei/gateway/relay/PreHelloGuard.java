package io.chukei.gateway.relay;

import io.chukei.gateway.admission.PreHelloMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Holds a connector connection's place among those not yet past Hello, from accept (where
 * {@link PreHelloAdmission} took it) until the session accepts Hello and removes this handler,
 * or the connection closes. Sits right after TLS, so it sees the
 * handshake's outcome: a handshake that ran out of time (TLS's own deadline, counted from
 * accept) is counted; a successful one starts the Hello deadline. When that passes, the session
 * is told ({@link HelloDeadlinePassed}: it sends GoAway) and the connection is closed a moment
 * later whatever the peer does — Heartbeats or anything else do not extend it.
 *
 * <p>Event-loop confined, one per connection.
 */
final class PreHelloGuard extends ChannelInboundHandlerAdapter
{
    public static final String NAME = "preHello";

    /** Fired toward the session when Hello did not come within {@code timeoutMs}; the session answers GoAway. */
    public record HelloDeadlinePassed(long timeoutMs)
    {
    }

    private final PreHelloPlace place;
    private final PreHelloMetrics metrics;
    private final long helloTimeoutMs;
    private final long closeGraceMs;
    private ScheduledFuture<?> helloDeadline;
    private boolean holding = true;

    /**
     * @param place the connection's place, given up here at the latest
     * @param closeGraceMs how long the GoAway may take to leave before the connection is closed regardless
     */
    PreHelloGuard(final PreHelloPlace place, final PreHelloMetrics metrics, final long helloTimeoutMs, final long closeGraceMs)
    {
        this.place = place;
        this.metrics = metrics;
        this.helloTimeoutMs = helloTimeoutMs;
        this.closeGraceMs = closeGraceMs;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof SslHandshakeCompletionEvent)
        {
            final SslHandshakeCompletionEvent handshake = (SslHandshakeCompletionEvent)event;
            if (handshake.isSuccess())
            {
                helloDeadline = ctx.executor().schedule(() -> helloDeadlinePassed(ctx), helloTimeoutMs, TimeUnit.MILLISECONDS);
            }
            else if (handshake.cause() instanceof SslHandshakeTimeoutException)
            {
                metrics.timedOut(PreHelloMetrics.Deadline.TLS);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    private void helloDeadlinePassed(final ChannelHandlerContext ctx)
    {
        if (!holding || !ctx.channel().isActive())
        {
            return;
        }
        metrics.timedOut(PreHelloMetrics.Deadline.HELLO);
        ctx.fireUserEventTriggered(new HelloDeadlinePassed(helloTimeoutMs));
        // The GoAway is one small write; a peer that does not read must not keep the socket open with it.
        ctx.executor().schedule(() -> ctx.channel().close(), closeGraceMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        release();
        ctx.fireChannelInactive();
    }

    /** The session accepted Hello and removed this handler, or the pipeline is being torn down. */
    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        release();
    }

    private void release()
    {
        if (helloDeadline != null)
        {
            helloDeadline.cancel(false);
            helloDeadline = null;
        }
        if (holding)
        {
            holding = false;
            place.release();
        }
    }
}
