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
 * attack lasts as long as the test wants (one refused at accept after a longer pause).
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
    private static final Duration REFUSED_REOPEN_AFTER = Duration.ofSeconds(5);
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
                reopenLater(local, tls, REFUSED_REOPEN_AFTER);
                return;
            }
            connected.incrementAndGet();
            final Channel channel = connect.channel();
            channels.add(channel);
            final long openedAt = System.nanoTime();
            channel.closeFuture().addListener(closed ->
            {
                channels.remove(channel);
                final boolean refused = System.nanoTime() - openedAt < TimeUnit.MILLISECONDS.toNanos(QUICK_CLOSE_MS);
                if (refused)
                {
                    closedAtOnce.incrementAndGet();
                }
                // A connection refused at accept is tried again later than one that was held: retrying refusals in a
                // loop is a connect flood, which costs the node an accept and a reset each (its cheapest path) and
                // this test's attacker several times that, on the same two cores as the node it measures.
                reopenLater(local, tls, refused ? REFUSED_REOPEN_AFTER : reopenAfter);
            });
        });
    }

    private void reopenLater(final InetAddress local, final SslContext tls, final Duration after)
    {
        if (!stopped)
        {
            group.schedule(() -> open(local, tls), after.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Runs an attack in a process of its own, so its connects, handshakes and garbage do not land in the JVM
     * that measures (where Netty's leak detection is paranoid, too): {@link AttackerProcess} starts it.
     * Arguments: node port, PKI directory, idle sockets, sessions without Hello, then municipality codes for
     * their certificates. Prints its counters as one status line every 100 ms; stops when stdin closes.
     */
    public static void main(final String[] args) throws Exception
    {
        final InetSocketAddress node = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        final io.chukei.gateway.pki.DevPki pki = io.chukei.gateway.pki.DevPki.openOrCreate(java.nio.file.Path.of(args[1]),
            io.chukei.gateway.tls.MunicipalityCodes::isValid);
        final List<SslContext> certificates = new java.util.ArrayList<>();
        for (int i = 4; i < args.length; i++)
        {
            certificates.add(io.chukei.gateway.tls.TlsContexts.client(pki.issueConnector(args[i]),
                io.chukei.gateway.tls.PeerPolicy.relayClient()));
        }
        // 25 sessions from each of 127.0.1.1, .2, ... (within an address's bound of 32): they all get through TLS.
        final List<InetAddress> sessionAddresses = new java.util.ArrayList<>();
        for (int i = 1; i <= Math.max(1, (Integer.parseInt(args[3]) + 24) / 25); i++)
        {
            sessionAddresses.add(InetAddress.getByName("127.0.1." + i));
        }
        try (HostileConnections attacker = new HostileConnections(node, Duration.ofSeconds(1)))
        {
            final java.util.concurrent.ScheduledExecutorService status = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            status.scheduleAtFixedRate(() -> System.out.println(attacker.status()), 0, 100, TimeUnit.MILLISECONDS);
            attacker.holdIdle(Integer.parseInt(args[2]), InetAddress.getByName("127.0.0.1"));
            attacker.holdWithoutHello(Integer.parseInt(args[3]), sessionAddresses, certificates);
            while (System.in.read() >= 0)
            {
                // The parent closes stdin to end the attack.
            }
            status.shutdownNow();
        }
        System.out.println(STATUS_DONE);
    }

    static final String STATUS_DONE = "done";

    /** connected closedAtOnce handshakes helloRequiredGoAways open */
    String status()
    {
        return "status " + connected.get() + " " + closedAtOnce.get() + " " + handshakes.get() + " " + helloRequiredGoAways.get() + " " +
            channels.size();
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
