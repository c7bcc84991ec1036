package io.chukei.gateway.node;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An attacker holding connections to a node that never become sessions: bare TCP sockets that
 * send nothing, and TLS sessions (with valid certificates) that never send Hello. They are
 * opened {@value #OPEN_BATCH} every {@value #OPEN_BATCH_EVERY_MS} ms — the attacker's own TLS
 * handshakes and connects run on this test's two cores too, and a test of the node should not
 * measure them — and each connection the node closes is opened again after a pause, so the
 * attack lasts as long as the test wants.
 */
final class HostileConnections implements AutoCloseable
{
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final InetSocketAddress node;
    private final Duration reopenAfter;
    private final java.util.Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** Connections made (TCP connect succeeded). */
    final AtomicLong connected = new AtomicLong();
    /** Connections the node closed within {@code QUICK_CLOSE_MS} of connect: refused at accept. */
    final AtomicLong closedAtOnce = new AtomicLong();
    /** TLS handshakes that succeeded. */
    final AtomicLong handshakes = new AtomicLong();
    /** GoAway HELLO_REQUIRED received. */
    final AtomicLong helloRequiredGoAways = new AtomicLong();

    private static final long QUICK_CLOSE_MS = 200;
    private static final int OPEN_BATCH = 50;
    private static final long OPEN_BATCH_EVERY_MS = 50;
    private int scheduled;

    HostileConnections(final InetSocketAddress node, final Duration reopenAfter)
    {
        this.node = node;
        this.reopenAfter = reopenAfter;
    }

    /** {@code count} TCP connections from {@code local} that send nothing at all. */
    void holdIdle(final int count, final InetAddress local)
    {
        for (int i = 0; i < count; i++)
        {
            openPaced(local, null);
        }
    }

    /** {@code count} TLS sessions spread over {@code locals}, each completing its handshake and then sending nothing. */
    void holdWithoutHello(final int count, final List<InetAddress> locals, final List<SslContext> certificates)
    {
        for (int i = 0; i < count; i++)
        {
            openPaced(locals.get(i % locals.size()), certificates.get(i % certificates.size()));
        }
    }

    private void openPaced(final InetAddress local, final SslContext tls)
    {
        final long delayMs = (scheduled++ / OPEN_BATCH) * OPEN_BATCH_EVERY_MS;
        group.schedule(() -> open(local, tls), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Connections open right now. */
    int open()
    {
        return channels.size();
    }

    private void open(final InetAddress local, final SslContext tls)
    {
        if (stopped)
        {
            return;
        }
        final ChannelFuture connect = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    if (tls != null)
                    {
                        final SslHandler ssl = tls.newHandler(ch.alloc(), "127.0.0.1", node.getPort());
                        ssl.handshakeFuture().addListener(done ->
                        {
                            if (done.isSuccess())
                            {
                                handshakes.incrementAndGet();
                            }
                        });
                        ch.pipeline().addLast(ssl, new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH), new GoAwayCounter());
                    }
                    else
                    {
                        ch.pipeline().addLast(new GoAwayCounter());
                    }
                }
            })
            .connect(node, new InetSocketAddress(local, 0));
        connect.addListener(done ->
        {
            if (!done.isSuccess())
            {
                reopenLater(local, tls);
                return;
            }
            connected.incrementAndGet();
            final Channel channel = connect.channel();
            channels.add(channel);
            final long openedAt = System.nanoTime();
            channel.closeFuture().addListener(closed ->
            {
                channels.remove(channel);
                if (System.nanoTime() - openedAt < TimeUnit.MILLISECONDS.toNanos(QUICK_CLOSE_MS))
                {
                    closedAtOnce.incrementAndGet();
                }
                reopenLater(local, tls);
            });
        });
    }

    private void reopenLater(final InetAddress local, final SslContext tls)
    {
        if (!stopped)
        {
            group.schedule(() -> open(local, tls), reopenAfter.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close()
    {
        stopped = true;
        for (final Channel channel : channels)
        {
            channel.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Counts GoAway HELLO_REQUIRED; everything else the node sends is dropped, and a reset just ends the connection. */
    private final class GoAwayCounter extends ChannelInboundHandlerAdapter
    {
        private final MessageReader reader = new MessageReader();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf frame = (ByteBuf)msg;
            try
            {
                if (reader.wrap(frame) == ErrorCode.NO_ERROR && reader.templateId() == GoAwayDecoder.TEMPLATE_ID &&
                    reader.goAway().code() == ErrorCode.HELLO_REQUIRED)
                {
                    helloRequiredGoAways.incrementAndGet();
                }
            }
            finally
            {
                ReferenceCountUtil.release(frame);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
