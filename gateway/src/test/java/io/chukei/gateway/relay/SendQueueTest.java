package io.chukei.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.chukei.gateway.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;

/**
 * The kernel's count of bytes a socket holds for its peer, read through the binding the node makes at start: above 0
 * while the peer does not read, 0 once it has read everything (on loopback, with the transport the node uses).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendQueueTest
{
    @Test
    void countsWhatThePeerHasNotReadYetAndZeroOnceItHas() throws Exception
    {
        SendQueue.loadInBackground();
        final Transport transport = Transport.best();
        assertThat(transport.name()).as("the node's transport on this host").isEqualTo("epoll");
        final EventLoopGroup group = transport.newGroup(2);
        try
        {
            final CompletableFuture<Channel> accepted = new CompletableFuture<>();
            final Channel server = new ServerBootstrap().group(group).channel(transport.serverChannelType())
                .childHandler(new ChannelInitializer<>()
                {
                    @Override
                    protected void initChannel(final Channel ch)
                    {
                        accepted.complete(ch);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
            final Channel client = new Bootstrap().group(group).channel(transport.channelType())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.SO_RCVBUF, 16 * 1024)
                .handler(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                    {
                        ReferenceCountUtil.release(msg);
                    }
                })
                .connect((InetSocketAddress)server.localAddress()).sync().channel();
            final Channel served = accepted.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> SendQueue.bytes(served) != SendQueue.UNKNOWN);
            assertThat(SendQueue.bytes(served)).as("nothing written yet").isZero();

            served.writeAndFlush(Unpooled.wrappedBuffer(new byte[512 * 1024]));
            await().atMost(Duration.ofSeconds(10)).until(() -> SendQueue.bytes(served) > 0);

            client.config().setAutoRead(true);
            client.read();
            await().atMost(Duration.ofSeconds(10)).until(() -> SendQueue.bytes(served) == 0);
            client.close().sync();
            server.close().sync();
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
