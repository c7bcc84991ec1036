package io.chukei.bench.rawclient;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;

/**
 * The inbound end of a hand-written connector, after the TLS handler and the SOFH frame decoder: says Hello once TLS
 * is up, completes {@code welcomed} with the Welcome (exceptionally when the handshake fails or the node closes
 * first), hands every well-formed message to {@link #onMessage} (the Welcome too), and calls {@link #onWritable} when
 * the socket takes writes again. One per connection; event-loop confined.
 */
public abstract class RawConnectorHandler extends ChannelInboundHandlerAdapter
{
    private final MessageReader reader = new MessageReader();
    private final FrameWriter writer;
    private final String municipality;
    private final String connectorName;
    private final CompletableFuture<Void> welcomed;

    /** {@code writer}: the connector's own (event-loop confined) writer, which the Hello is encoded with. */
    protected RawConnectorHandler(final FrameWriter writer, final String municipality, final String connectorName,
        final CompletableFuture<Void> welcomed)
    {
        this.writer = writer;
        this.municipality = municipality;
        this.connectorName = connectorName;
        this.welcomed = welcomed;
    }

    /** A message that passed the reader's checks, wrapped in {@code message} for this call only. */
    protected abstract void onMessage(MessageReader message);

    /** The socket takes writes again. */
    protected void onWritable()
    {
    }

    /** What ended the connection from this side (e.g. a reset by the node); the connection closes after it. */
    protected void onFailure(final Throwable cause)
    {
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof SslHandshakeCompletionEvent handshake)
        {
            if (handshake.isSuccess())
            {
                RawFrames.hello(ctx.channel(), writer, municipality, connectorName);
            }
            else
            {
                welcomed.completeExceptionally(handshake.cause());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            if (reader.wrap(frame) != ErrorCode.NO_ERROR)
            {
                return;
            }
            if (reader.templateId() == WelcomeDecoder.TEMPLATE_ID)
            {
                welcomed.complete(null);
            }
            onMessage(reader);
        }
        finally
        {
            ReferenceCountUtil.release(frame);
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isWritable())
        {
            onWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        welcomed.completeExceptionally(new IllegalStateException("the node closed the connection of " + connectorName));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        onFailure(cause);
        ctx.close();
    }
}
