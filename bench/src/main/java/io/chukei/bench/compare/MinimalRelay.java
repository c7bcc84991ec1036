package io.chukei.bench.compare;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.transport.Transport;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * NOT a product: the practical speed limit of "TLS 1.3 + SOFH/SBE framing + one hop to card
 * management", against which Chukei is measured in {@code bench/compare}.
 *
 * <p>It speaks just enough of the connector protocol for the load generator and the SDK:
 * Hello is answered with Welcome, every Submit is answered at once with Accepted and passed
 * on, as received, inside a Forward over one persistent plaintext connection to an in-process
 * {@link CardSimulator}; the Outcome comes back as a Result. There is no journal, no
 * validation, no dedup table, no rate limit, no back pressure, no retry and no failover: every
 * one of those is work Chukei does and this relay does not.
 *
 * <pre>
 * connector --TLS--> [SofhFrameDecoder, ConnectorPassThroughHandler] --Forward--> cardsim
 * connector <--TLS-- Accepted now, Result on Outcome <------------------Outcome--- cardsim
 * </pre>
 *
 * Run: {@code java <flags> -cp bench/target/chukei-bench.jar io.chukei.bench.compare.MinimalRelay --data DIR [--port P] [--plaintext]};
 * the dev PKI lives in {@code DIR/pki} (point the load generator at it with {@code --pki}).
 */
public final class MinimalRelay implements AutoCloseable
{
    static final int NODE_ID = 99;
    static final int MAX_FRAME_LENGTH = SofhFrame.DEFAULT_MAX_FRAME_LENGTH;

    private final Map<UUID, Channel> pending = new ConcurrentHashMap<>();
    private CardSimulator simulator;
    private EventLoopGroup group;
    private Channel upstream;
    private Channel server;

    private MinimalRelay()
    {
    }

    /** Starts the simulator, connects to it, then listens with TLS on 127.0.0.1:{@code port} (0 = ephemeral). */
    public static MinimalRelay start(final Path dataDir, final int port, final int ioThreads) throws IOException, InterruptedException
    {
        return start(dataDir, port, ioThreads, true);
    }

    /**
     * As {@link #start(Path, int, int)}; with {@code tls} false the connector port is plaintext,
     * for a TLS terminator (HAProxy) in front. The node certificate is issued either way.
     */
    public static MinimalRelay start(final Path dataDir, final int port, final int ioThreads, final boolean tls)
        throws IOException, InterruptedException
    {
        return start(dataDir, port, ioThreads, tls, null);
    }

    /**
     * As {@link #start(Path, int, int, boolean)}, forwarding to the plaintext card-management endpoint {@code upstream}
     * (e.g. {@code chukei cardsim} in a process of its own) instead of a simulator in this process; null: in-process.
     */
    public static MinimalRelay start(final Path dataDir, final int port, final int ioThreads, final boolean tls,
        final InetSocketAddress upstream) throws IOException, InterruptedException
    {
        final MinimalRelay relay = new MinimalRelay();
        try
        {
            relay.open(dataDir, port, ioThreads, tls, upstream);
            return relay;
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            relay.close();
            throw ex;
        }
    }

    private void open(final Path dataDir, final int port, final int ioThreads, final boolean useTls,
        final InetSocketAddress externalUpstream) throws IOException, InterruptedException
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        final CertificateFiles nodeFiles = pki.issueNode("minimal-relay", DevPki.DEFAULT_DNS_NAMES, DevPki.DEFAULT_IP_ADDRESSES);
        final SslContext tls = useTls ? TlsContexts.server(nodeFiles, PeerPolicy.connectorListener()) : null;
        if (externalUpstream == null)
        {
            simulator = new CardSimulator(CardSimulatorConfig.builder()
                .port(0)
                .dataDirectory(dataDir.resolve("cardsim"))
                .build()).start();
        }
        final InetSocketAddress upstreamAddress = externalUpstream != null ? externalUpstream : simulator.upstreamAddress();

        final Transport transport = Transport.best();
        group = transport.newGroup(ioThreads);
        upstream = new Bootstrap()
            .group(group)
            .channel(transport.channelType())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(
                        new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                        new SofhFrameDecoder(MAX_FRAME_LENGTH),
                        new UpstreamOutcomeHandler(pending));
                }
            })
            .connect(upstreamAddress).sync().channel();

        server = new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelType())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    if (tls != null)
                    {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast(
                        new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                        new IdleStateHandler(0, ConnectorPassThroughHandler.HEARTBEAT_MS, 0, TimeUnit.MILLISECONDS),
                        new SofhFrameDecoder(MAX_FRAME_LENGTH),
                        new ConnectorPassThroughHandler(upstream, pending));
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    public InetSocketAddress address()
    {
        return (InetSocketAddress)server.localAddress();
    }

    /** Requests forwarded and not yet answered (for tests). */
    int pendingCount()
    {
        return pending.size();
    }

    @Override
    public void close()
    {
        if (server != null)
        {
            server.close().awaitUninterruptibly();
        }
        if (upstream != null)
        {
            upstream.close().awaitUninterruptibly();
        }
        if (group != null)
        {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (simulator != null)
        {
            simulator.close();
        }
    }

    /** {@code --data DIR [--port P] [--io-threads N]}; prints one ready line, runs until killed. */
    public static void main(final String[] args) throws Exception
    {
        Path dataDir = null;
        int port = 0;
        int ioThreads = Runtime.getRuntime().availableProcessors();
        boolean tls = true;
        HostPort upstreamAddress = null;
        final List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++)
        {
            final String option = list.get(i);
            if (option.equals("--plaintext"))
            {
                tls = false;
                continue;
            }
            if (i + 1 >= list.size())
            {
                usage(option + ": missing value");
            }
            final String value = list.get(++i);
            switch (option)
            {
                case "--data" -> dataDir = Path.of(value);
                case "--port" -> port = Integer.parseInt(value);
                case "--io-threads" -> ioThreads = Integer.parseInt(value);
                case "--upstream" -> upstreamAddress = upstream(value);
                default -> usage(option + ": unknown option");
            }
        }
        if (dataDir == null)
        {
            usage("--data: missing");
        }
        final MinimalRelay relay = start(dataDir, port, ioThreads, tls, upstreamAddress == null ? null : upstreamAddress.toSocketAddress());
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            relay.close();
            stopped.countDown();
        }, "minimal-relay-shutdown"));
        System.out.println("minimal-relay ready on " + relay.address().getHostString() + ":" + relay.address().getPort()
            + " (pki " + dataDir.resolve("pki") + ", " + (tls ? "TLS " + TlsContexts.providerName() : "plaintext")
            + ", " + ioThreads + " io threads, card management " + (upstreamAddress == null ? "in-process" : upstreamAddress) + ")");
        System.out.flush();
        stopped.await();
    }

    private static HostPort upstream(final String text)
    {
        try
        {
            return HostPort.parse("--upstream", text);
        }
        catch (final IllegalArgumentException ex)
        {
            usage(ex.getMessage());
            return null;
        }
    }

    private static void usage(final String problem)
    {
        System.err.println("minimal-relay: " + problem
            + " (expected: --data DIR [--port P] [--io-threads N] [--plaintext] [--upstream HOST:PORT])");
        System.exit(2);
    }
}
