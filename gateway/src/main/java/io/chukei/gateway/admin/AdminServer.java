package io.chukei.gateway.admin;

import io.chukei.gateway.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetSocketAddress;

/** The admin HTTP listener (loopback by default): health and metrics for operators and probes. */
public final class AdminServer
{
    private final HostPort listen;
    private final AdminRoutes routes;
    private Channel serverChannel;

    public AdminServer(final HostPort listen, final AdminRoutes routes)
    {
        this.listen = listen;
        this.routes = routes;
    }

    public InetSocketAddress start(
        final EventLoopGroup group, final Class<? extends ServerChannel> serverChannelType) throws InterruptedException
    {
        serverChannel = new ServerBootstrap()
            .group(group)
            .channel(serverChannelType)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                        new AdminHttpHandler(routes));
                }
            })
            .bind(listen.host(), listen.port()).sync().channel();
        return (InetSocketAddress)serverChannel.localAddress();
    }

    public void stop()
    {
        if (serverChannel != null)
        {
            serverChannel.close().syncUninterruptibly();
        }
    }
}
