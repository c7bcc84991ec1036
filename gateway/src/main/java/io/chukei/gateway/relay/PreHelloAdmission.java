package io.chukei.gateway.relay;

import io.chukei.gateway.admission.PreHelloLimiter;
import io.chukei.gateway.admission.PreHelloMetrics;
import io.chukei.gateway.admission.SourceAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;

/**
 * On the listening channel, before Netty hands a new connection to an event loop: admits it
 * against the {@link PreHelloLimiter} or closes it on the spot. A refusal costs an accept and a
 * close — no registration, no pipeline, no TLS engine — so a flood of sockets from one address
 * cannot make the node spend much on it. An admitted connection carries its {@link PreHelloPlace}
 * to the {@link PreHelloGuard}, which gives it up at Hello; closing gives it up in any case.
 */
@ChannelHandler.Sharable
final class PreHelloAdmission extends ChannelInboundHandlerAdapter
{
    /** An admitted connection's place. */
    static final AttributeKey<PreHelloPlace> PLACE = AttributeKey.valueOf(PreHelloAdmission.class, "place");

    private final PreHelloLimiter limiter;
    private final PreHelloMetrics metrics;

    PreHelloAdmission(final PreHelloLimiter limiter, final PreHelloMetrics metrics)
    {
        this.limiter = limiter;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final Channel child = (Channel)msg;
        final Object source = SourceAddress.keyOf(child.remoteAddress());
        final PreHelloLimiter.Admission admission = limiter.tryAdmit(source);
        if (admission != PreHelloLimiter.Admission.ADMITTED)
        {
            metrics.refused(admission);
            // A reset rather than a FIN: nothing can be said before TLS, and neither side keeps the socket in TIME_WAIT.
            child.config().setOption(ChannelOption.SO_LINGER, 0);
            child.unsafe().closeForcibly();
            return;
        }
        final PreHelloPlace place = new PreHelloPlace(limiter, source);
        child.attr(PLACE).set(place);
        child.closeFuture().addListener(closed -> place.release());
        ctx.fireChannelRead(child);
    }
}
