package io.chukei.gateway.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds what idle or hostile clients can hold on an admin listener: at most {@code maxConnections}
 * open at once (one more is closed at accept, counted), and a connection with no traffic either way
 * for the idle timeout is closed (counted). Without both, 2,000 idle connections once held 2,000 file
 * descriptors for as long as their clients liked.
 */
@ChannelHandler.Sharable
final class AdminConnections extends ChannelInboundHandlerAdapter
{
    private final String listener;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();

    AdminConnections(final String listener, final int maxConnections)
    {
        this.listener = listener;
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        if (open.incrementAndGet() > maxConnections)
        {
            open.decrementAndGet();
            refused.increment();
            ctx.close();
            return;
        }
        ctx.channel().closeFuture().addListener(future -> open.decrementAndGet());
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof IdleStateEvent)
        {
            idleClosed.increment();
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    int open()
    {
        return open.get();
    }

    long refused()
    {
        return refused.sum();
    }

    long idleClosed()
    {
        return idleClosed.sum();
    }

    /** {@code chukei.admin.connections{listener}}, {@code chukei.admin.connections.refused}, {@code .idle.closed}. */
    void bindTo(final MeterRegistry registry)
    {
        Gauge.builder("chukei.admin.connections", this, AdminConnections::open)
            .description("Open connections on an admin listener").tag("listener", listener).register(registry);
        FunctionCounter.builder("chukei.admin.connections.refused", this, AdminConnections::refused)
            .description("Connections closed at accept because the admin listener had admin.maxConnections open")
            .tag("listener", listener).register(registry);
        FunctionCounter.builder("chukei.admin.connections.idle.closed", this, AdminConnections::idleClosed)
            .description("Admin connections closed after admin.idleTimeoutMs without traffic")
            .tag("listener", listener).register(registry);
    }
}
