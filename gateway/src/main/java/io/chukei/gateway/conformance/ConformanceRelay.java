package io.chukei.gateway.conformance;

import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The conformance relay: two TLS listeners posing as the two nodes of a cluster (node ids 1 and 2, each listed ACTIVE
 * in every Welcome), all connections on one event loop shared with the {@link ConformanceScript}. It speaks the real
 * protocol — SOFH frames, the SBE codecs, TLS 1.3 with a client certificate — but its answers follow the script, not a
 * journal or card management.
 */
public final class ConformanceRelay implements AutoCloseable
{
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup channels;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> boundAddresses = new ArrayList<>();
    /** Set once both listeners are bound (their ports go into the views); connections before that are closed. */
    private volatile ConformanceScript script;

    private ConformanceRelay(final SslContext tls, final List<InetSocketAddress> listen, final ConformanceSettings settings)
    {
        final EventLoop loop = group.next();
        this.channels = new DefaultChannelGroup(loop);
        try
        {
            final List<ListenerNode> nodes = new ArrayList<>();
            for (int i = 0; i < listen.size(); i++)
            {
                final Channel listener = bind(tls, loop, listen.get(i), i + 1);
                listeners.add(listener);
                final InetSocketAddress bound = (InetSocketAddress)listener.localAddress();
                boundAddresses.add(bound);
                // Port 0 (tests) becomes the real port; the host stays as the operator wrote it.
                nodes.add(new ListenerNode(i + 1, listen.get(i).getHostString() + ":" + bound.getPort()));
            }
            this.script = new ConformanceScript(settings, nodes, loop);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Starts listening on the two addresses (port 0 picks a free one) with {@code tls}, a server context that requires a
     * connector certificate; the run starts with the first request.
     */
    public static ConformanceRelay start(final SslContext tls, final List<InetSocketAddress> listen, final ConformanceSettings settings)
    {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(settings, "settings");
        if (listen.size() != 2)
        {
            throw new IllegalArgumentException("listen: " + listen + " (expected: two addresses, one per simulated node)");
        }
        return new ConformanceRelay(tls, listen, settings);
    }

    private Channel bind(final SslContext tls, final EventLoop loop, final InetSocketAddress address, final int nodeId)
    {
        return new ServerBootstrap()
            .group(loop, loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    final ConformanceScript ready = script;
                    if (ready == null)
                    {
                        ch.close();
                        return;
                    }
                    channels.add(ch);
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()),
                        new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH),
                        new ConformanceSession(ready, ready.nodes().get(nodeId - 1)));
                }
            })
            .bind(address)
            .syncUninterruptibly()
            .channel();
    }

    /** The bound addresses, in the order given (node 1, node 2). */
    public List<InetSocketAddress> addresses()
    {
        return List.copyOf(boundAddresses);
    }

    /** Completes when every scenario is judged, or when the run times out. */
    public CompletableFuture<ConformanceReport> report()
    {
        return script.report();
    }

    @Override
    public void close()
    {
        for (final Channel listener : listeners)
        {
            listener.close().syncUninterruptibly();
        }
        if (channels != null)
        {
            channels.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
