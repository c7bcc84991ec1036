package io.chukei.gateway.relay;

import io.chukei.gateway.admission.PreHelloLimiter;
import io.chukei.gateway.admission.PreHelloMetrics;
import io.chukei.gateway.config.HostPort;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.PeerRecheck;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The connector listener: TLS 1.3 with client certificates, SOFH framing, one
 * {@link ConnectorSession} per connection. Slow readers are bounded by the write-buffer
 * water marks (the session stops reading while its writes back up).
 *
 * <p>Each wake-up of an event loop reads at most {@code readBudgetBytes} from one connection,
 * so one connection's burst cannot hold up the others on its loop for longer than that.
 *
 * <p>Before Hello a connection is anonymous and bounded by a {@link PreHelloLimiter}: a
 * connection over its source address's bound or the node's total is closed at accept, before
 * any TLS work ({@link PreHelloAdmission}); an admitted one has {@code handshakeTimeoutMs} from accept for TLS and then
 * {@code helloTimeoutMs} for Hello ({@link PreHelloGuard}).
 */
public final class RelayServer
{
    /** How long a GoAway at the Hello deadline may take to leave before the connection is closed anyway. */
    static final long GO_AWAY_GRACE_MS = 1000;
    /** During a read, flush at the latest after this many writes' flushes (Netty's default). */
    private static final int FLUSH_AFTER_FLUSHES = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

    /** What a connection must do before Hello, and within which bounds. */
    public record PreHello(PreHelloLimiter limiter, PreHelloMetrics metrics, HandshakePacing pacing, int handshakeTimeoutMs,
        int helloTimeoutMs)
    {
    }

    private final HostPort listen;
    private final SslContext sslContext;
    private final PeerPolicy peers;
    private final ConnectorSession.Context context;
    private final PreHello preHello;
    private final int missedHeartbeats;
    private final int readBudgetBytes;
    private Channel serverChannel;

    public RelayServer(
        final HostPort listen,
        final SslContext sslContext,
        final PeerPolicy peers,
        final ConnectorSession.Context context,
        final PreHello preHello,
        final int missedHeartbeats,
        final int readBudgetBytes)
    {
        this.listen = listen;
        this.sslContext = sslContext;
        this.peers = peers;
        this.context = context;
        this.preHello = preHello;
        this.missedHeartbeats = missedHeartbeats;
        this.readBudgetBytes = readBudgetBytes;
    }

    /** Binds the listener; returns the bound address (port 0 picks a free one). */
    public InetSocketAddress start(
        final EventLoopGroup group, final Class<? extends ServerChannel> serverChannelType) throws InterruptedException
    {
        final int heartbeatMs = context.heartbeatIntervalMs();
        // Off the event loops and beside the start: a session ending with GoAway asks it what is still undelivered.
        SendQueue.loadInBackground();
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(serverChannelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .handler(new PreHelloAdmission(preHello.limiter(), preHello.metrics()))
            .childOption(ChannelOption.TCP_NODELAY, true)
            // Measured (bench FrameDecodeBenchmark): Netty 4.2's default adaptive allocator makes every
            // received frame's slice a new 40-byte object; the pooled one recycles them on event loops.
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
            // Fairness between connections on one event loop: each wake-up reads one buffer of at most the budget from a
            // connection, so the frames it decodes (and the answers they cause) are bounded too; what is left in the
            // socket is read on a later turn, after the other ready connections (a flooder gets TCP back pressure).
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, Math.min(2048, readBudgetBytes), readBudgetBytes)
                .maxMessagesPerRead(1))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    // The peer's address goes to the engine only so that a refused certificate's log line can name it.
                    final SslHandler ssl = sslContext.newHandler(ch.alloc(), ch.remoteAddress().getHostString(),
                        ch.remoteAddress().getPort());
                    ssl.setHandshakeTimeoutMillis(preHello.handshakeTimeoutMs());
                    // Outside TLS, idle detection sees the encrypted records, a few per event-loop turn, rather than
                    // every frame: on a frame it would swap the void promise for a real one with a listener (JFR:
                    // ~6 % of the node's allocation, three objects per Accepted and per Result).
                    ch.pipeline().addLast("idle",
                        new IdleStateHandler(heartbeatMs * missedHeartbeats, heartbeatMs, 0, TimeUnit.MILLISECONDS));
                    ch.pipeline().addLast("tls", ssl);
                    // A resumed session skips the trust manager: its certificate is checked again (revocation).
                    ch.pipeline().addLast(PeerRecheck.NAME, new PeerRecheck(peers));
                    // Before TLS: each handshake step waits for its loop's handshake budget; gone once the handshake ends.
                    if (preHello.pacing().paces())
                    {
                        ch.pipeline().addBefore("tls", HandshakePacer.NAME, preHello.pacing().newPacer().until(ssl.handshakeFuture()));
                    }
                    ch.pipeline().addLast(PreHelloGuard.NAME, new PreHelloGuard(ch.attr(PreHelloAdmission.PLACE).get(),
                        preHello.metrics(), preHello.helloTimeoutMs(), GO_AWAY_GRACE_MS));
                    // Accepted and Result frames are written one by one (from journal callbacks and the upstream
                    // link's loop); batching their flushes per event-loop turn lets TLS seal them into one record
                    // and one write instead of one each. A flush is never held past the current loop turn.
                    ch.pipeline().addLast("flushes", new FlushConsolidationHandler(FLUSH_AFTER_FLUSHES, true));
                    ch.pipeline().addLast("frames", new SofhFrameDecoder(context.maxFrameLength()));
                    ch.pipeline().addLast("session", new ConnectorSession(context));
                }
            });
        serverChannel = bootstrap.bind(listen.host(), listen.port()).sync().channel();
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
