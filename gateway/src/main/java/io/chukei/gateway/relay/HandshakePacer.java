package io.chukei.gateway.relay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.util.ArrayDeque;

/**
 * Sits right before TLS until the connection's handshake ends, and passes each read to it only while its event
 * loop's handshake budget allows ({@link HandshakePacing}); it times each step, so the budget is the time the
 * handshake really took there (key exchange, signature, certificate checks). Over the budget it holds the bytes,
 * stops reading the connection, and waits in its loop's queue; a drain in a later window gives the bytes to TLS and
 * reading resumes. The TLS deadline, counted from accept, keeps running while it waits.
 *
 * <p>Event-loop confined, one per connection; it leaves the pipeline when the handshake ends, so sessions never
 * pass through it.
 */
final class HandshakePacer extends ChannelInboundHandlerAdapter
{
    static final String NAME = "handshakePacer";

    private final HandshakePacing.LoopBudget budget;
    private final ArrayDeque<Object> held = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private boolean queued;
    private boolean resuming;
    private boolean handshakeEnded;
    private boolean closed;

    HandshakePacer(final HandshakePacing.LoopBudget budget)
    {
        this.budget = budget;
    }

    /** Leaves the pipeline once {@code handshake} ends (a success or a failure). */
    HandshakePacer until(final Future<?> handshake)
    {
        handshake.addListener(ended ->
        {
            handshakeEnded = true;
            leave();
        });
        return this;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!queued && budget.mayRun())
        {
            step(msg);
            return;
        }
        held.add(msg);
        if (!queued)
        {
            queued = true;
            ctx.channel().config().setAutoRead(false);
            budget.await(this, ctx.executor());
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        // While bytes are held TLS must not see the read end: it would ask for another read.
        if (!queued)
        {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        closed = true;
        if (queued)
        {
            budget.abandon();
        }
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        releaseHeld();
    }

    /** Whether a drain should still resume this connection: it waits and has not closed. */
    boolean waiting()
    {
        return queued && !closed;
    }

    /** The budget has room again: the held bytes go to TLS, then reading resumes. */
    void resume()
    {
        queued = false;
        resuming = true;
        // The Finished and the Hello after it can come in one read: the handshake ends mid-way, the rest still goes on.
        while (!held.isEmpty() && ctx.channel().isOpen())
        {
            step(held.poll());
        }
        resuming = false;
        releaseHeld();
        ctx.fireChannelReadComplete();
        if (ctx.channel().isOpen())
        {
            ctx.channel().config().setAutoRead(true);
        }
        if (handshakeEnded)
        {
            leave();
        }
    }

    private void step(final Object msg)
    {
        final long start = budget.now();
        ctx.fireChannelRead(msg);
        budget.spent(budget.now() - start);
    }

    private void leave()
    {
        if (ctx != null && !ctx.isRemoved() && !queued && !resuming)
        {
            ctx.pipeline().remove(this);
        }
    }

    private void releaseHeld()
    {
        Object msg;
        while ((msg = held.poll()) != null)
        {
            ReferenceCountUtil.release(msg);
        }
    }
}
