package io.chukei.gateway.node;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.sbe.HelloEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageEncoderFlyweight;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connector that speaks the protocol by hand, for tests that must send what the SDK
 * never would: wrong municipalities, oversized frames, broken fields.
 */
final class RawConnector implements AutoCloseable
{
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final FrameWriter writer = new FrameWriter();
    private final Channel channel;
    private final SslHandler ssl;

    RawConnector(final InetSocketAddress node, final SslContext sslContext) throws InterruptedException
    {
        this(node, null, sslContext);
    }

    /** Connecting from {@code local} (e.g. 127.0.0.2: Linux loopback answers the whole 127/8), or any address when null. */
    RawConnector(final InetSocketAddress node, final java.net.InetAddress local, final SslContext sslContext)
        throws InterruptedException
    {
        final SslHandler[] handler = new SslHandler[1];
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    handler[0] = sslContext.newHandler(ch.alloc(), "127.0.0.1", node.getPort());
                    ch.pipeline().addLast(handler[0], new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH),
                        new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                            {
                                final ByteBuf frame = (ByteBuf)msg;
                                received.add(ByteBufUtil.getBytes(frame));
                                frame.release();
                            }

                            @Override
                            public void channelInactive(final ChannelHandlerContext ctx)
                            {
                                closed.complete(null);
                            }

                            @Override
                            public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                            {
                                ctx.close();
                            }
                        });
                }
            })
            .connect(node, local == null ? null : new InetSocketAddress(local, 0)).sync().channel();
        ssl = handler[0];
    }

    /** Waits for the TLS handshake; true when it succeeded. */
    boolean handshake() throws InterruptedException
    {
        final Future<Channel> done = ssl.handshakeFuture().await();
        return done.isSuccess();
    }

    void hello(final String municipality)
    {
        send(new HelloEncoder(), hello -> hello.municipalityCode(municipality).heartbeatIntervalMs(1000).connectorName("raw"));
    }

    <T extends MessageEncoderFlyweight> void send(final T encoder, final Consumer<T> fill)
    {
        final ByteBuf frame = Unpooled.buffer();
        fill.accept(writer.begin(frame, encoder, 2048));
        writer.finish(encoder);
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    void sendRaw(final byte[] bytes)
    {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
    }

    /**
     * The next message from the node other than a Heartbeat, read through a fresh MessageReader.
     * Heartbeats are skipped: the node sends one whenever the session has been quiet for an
     * interval, which on a loaded machine can fall between any request and its reply (a CI failure
     * of BadInputSystemTest saw one where a Rejected was expected).
     */
    MessageReader next() throws InterruptedException
    {
        while (true)
        {
            final byte[] bytes = received.poll(20, TimeUnit.SECONDS);
            if (bytes == null)
            {
                throw new AssertionError("no message from the node within 20 s");
            }
            final MessageReader reader = new MessageReader();
            if (reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length) != ErrorCode.NO_ERROR)
            {
                throw new AssertionError("the node sent a malformed message");
            }
            if (reader.templateId() != HeartbeatDecoder.TEMPLATE_ID)
            {
                return reader;
            }
        }
    }

    CompletableFuture<Void> closedFuture()
    {
        return closed;
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
