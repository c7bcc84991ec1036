package io.chukei.gateway.cardsim;

import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.PeerRecheck;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.gateway.transport.Transport;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A simulated card-management system: relay nodes connect over TCP (optionally TLS with
 * client certificates, relay-node certificates only: {@link PeerPolicy#upstreamListener()}), send Forward messages in SOFH frames and get one Outcome per Forward,
 * pipelined and possibly out of order (matched by request id). Every request id takes effect
 * at most once, recorded in a {@link Ledger} that survives restarts. Service time,
 * concurrency and failures ({@link #faults()}) are configurable; an optional admin HTTP
 * endpoint switches the failures at runtime.
 *
 * <p>One system of record, reached through one or more upstream endpoints (ports, see {@link
 * CardSimulatorConfig#ports()}): all endpoints share one service core, one dedup map and one
 * ledger, so a request id applied through endpoint 0 is a duplicate through endpoint 1. Each
 * endpoint also has failure switches of its own ({@link #faults(int)}).
 *
 * <pre>{@code
 * try (CardSimulator sim = new CardSimulator(config).start())
 * {
 *     connect to 127.0.0.1:sim.port() ...       // or any of sim.ports()
 *     sim.faults().errorRate(0.1);               // every endpoint
 *     sim.faults(1).stall(Duration.ofSeconds(5)); // the second endpoint only
 * }
 * }</pre>
 */
public final class CardSimulator implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CardSimulator.class);
    private static final int ADMIN_MAX_REQUEST_BYTES = 64 * 1024;
    private static final int FLUSH_CONSOLIDATION = 256;

    private final CardSimulatorConfig config;
    private final CardSimStats stats;
    private final PeerPolicy peers = PeerPolicy.upstreamListener();
    private final Transport transport = Transport.best();
    private SslContext sslContext;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Ledger ledger;
    private CardService service;
    private final List<Channel> upstreamChannels = new ArrayList<>();
    private Channel adminChannel;
    private boolean started;
    private boolean closed;

    public CardSimulator(final CardSimulatorConfig config)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.stats = new CardSimStats(config.endpointCount());
    }

    /**
     * Loads the ledger (so request ids decided before a restart stay decided) and binds every
     * upstream endpoint's port and, if configured, the admin port.
     *
     * @throws IOException when the ledger cannot be read or opened, or a port cannot be bound.
     */
    public synchronized CardSimulator start() throws IOException
    {
        if (started)
        {
            throw new IllegalStateException("CardSimulator: already started");
        }
        started = true;
        // First, so that unusable certificate files fail the start before anything is opened.
        sslContext = config.tls() == null ? null : TlsContexts.server(config.tls(), config.tlsProvider(), peers);
        final DecidedRequests decided = new DecidedRequests();
        ledger = Ledger.open(config.dataDirectory(), entry ->
        {
            final Verdict verdict = Verdict.stored(entry.operation(), entry.status(), entry.upstreamCode());
            if (entry.isApplied() && verdict != null)
            {
                decided.putIfAbsent(new RequestKey(entry.municipality(), entry.requestId()), verdict);
            }
        });
        LOG.info("cardsim ledger {}: {} request id(s) already decided", ledger.file(), decided.size());

        // Native epoll where it loads, as the node: its timers fire to the microsecond, where NIO's selector waits in
        // whole milliseconds and spins through the last half of one (each request's service time is such a timer).
        bossGroup = transport.newGroup(1, new DefaultThreadFactory("cardsim-accept"));
        workerGroup = transport.newGroup(config.ioThreads(), new DefaultThreadFactory("cardsim-io"));
        // The service on an I/O loop, not a thread of its own: with one I/O thread (the default) a Forward and its
        // Outcome cross no thread. A loop of its own cost two thread wake-ups per request, most of the simulator's
        // CPU on a shared core (bench/README.md, "Where the tail at 8,000/s was").
        service = new CardService(workerGroup.next(), ledger, decided, config, stats);
        try
        {
            for (final UpstreamEndpoint endpoint : service.endpoints())
            {
                upstreamChannels.add(bindUpstream(endpoint, config.ports().get(endpoint.index)));
            }
            if (config.adminPort() != CardSimulatorConfig.ADMIN_DISABLED)
            {
                final CardSimAdminHandler admin = new CardSimAdminHandler(service.faults(), service.recordFaults(), stats, ledger.file());
                adminChannel = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(transport.serverChannelType())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>()
                    {
                        @Override
                        protected void initChannel(final SocketChannel channel)
                        {
                            channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(ADMIN_MAX_REQUEST_BYTES))
                                .addLast(admin);
                        }
                    })
                    .bind(config.host(), config.adminPort())
                    .sync()
                    .channel();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("cardsim: interrupted while binding", ex);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
        catch (final Exception ex)
        {
            // Netty rethrows bind failures (checked, e.g. BindException) from sync().
            close();
            if (ex instanceof IOException io)
            {
                throw io;
            }
            throw new IOException("cardsim: bind failed", ex);
        }
        LOG.info("cardsim listening on {}, admin {}", upstreamAddresses(),
            adminChannel == null ? "disabled" : adminAddress());
        return this;
    }

    private Channel bindUpstream(final UpstreamEndpoint endpoint, final int port) throws InterruptedException
    {
        return new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(transport.serverChannelType())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    initUpstream(channel, endpoint);
                }
            })
            .bind(config.host(), port)
            .sync()
            .channel();
    }

    private void initUpstream(final SocketChannel channel, final UpstreamEndpoint endpoint)
    {
        if (sslContext != null)
        {
            // The peer's address goes to the engine only so that a refused certificate's log line can name it.
            final SslHandler tls = sslContext.newHandler(channel.alloc(), channel.remoteAddress().getHostString(),
                channel.remoteAddress().getPort());
            // Card management only talks to relays it knows: a client certificate is required.
            tls.engine().setNeedClientAuth(true);
            channel.pipeline().addLast(tls);
            // A resumed session skips the trust manager: its certificate is checked again (revocation).
            channel.pipeline().addLast(PeerRecheck.NAME, new PeerRecheck(peers));
        }
        channel.pipeline()
            .addLast(new SofhFrameDecoder(config.maxFrameLength()))
            .addLast(new FlushConsolidationHandler(FLUSH_CONSOLIDATION, true))
            .addLast(new UpstreamSessionHandler(service, endpoint, stats));
    }

    /** The first endpoint's bound upstream port (useful with port 0). */
    public int port()
    {
        return upstreamAddress().getPort();
    }

    /** The first endpoint's bound upstream address. */
    public InetSocketAddress upstreamAddress()
    {
        requireStarted();
        return (InetSocketAddress)upstreamChannels.get(0).localAddress();
    }

    /** Every endpoint's bound upstream port, in endpoint order. */
    public List<Integer> ports()
    {
        final List<Integer> ports = new ArrayList<>(upstreamChannels.size());
        for (final InetSocketAddress address : upstreamAddresses())
        {
            ports.add(address.getPort());
        }
        return List.copyOf(ports);
    }

    /** Every endpoint's bound upstream address, in endpoint order. */
    public List<InetSocketAddress> upstreamAddresses()
    {
        requireStarted();
        final List<InetSocketAddress> addresses = new ArrayList<>(upstreamChannels.size());
        for (final Channel channel : upstreamChannels)
        {
            addresses.add((InetSocketAddress)channel.localAddress());
        }
        return List.copyOf(addresses);
    }

    /** How many upstream endpoints this simulator serves. */
    public int endpointCount()
    {
        return config.endpointCount();
    }

    /** The bound admin HTTP port, or -1 when the admin endpoint is disabled. */
    public int adminPort()
    {
        requireStarted();
        return adminChannel == null ? CardSimulatorConfig.ADMIN_DISABLED : adminAddress().getPort();
    }

    private InetSocketAddress adminAddress()
    {
        return (InetSocketAddress)adminChannel.localAddress();
    }

    /** Relay connections open now on endpoint {@code endpoint} (0-based, in port order). */
    public int connections(final int endpoint)
    {
        requireStarted();
        return service.endpoint(endpoint).channels.size();
    }

    /** Faults of the system of record itself (acknowledge without applying, lose an Outcome, drop a batch member). */
    public RecordFaults recordFaults()
    {
        return service.recordFaults();
    }

    /** Runtime failure switches for every endpoint at once. */
    public CardSimFaults faults()
    {
        requireStarted();
        return service.faults();
    }

    /**
     * Runtime failure switches of endpoint {@code endpoint} alone (0-based, in port order),
     * applied in addition to {@link #faults()}.
     *
     * @throws IllegalArgumentException when there is no such endpoint.
     */
    public EndpointFaults faults(final int endpoint)
    {
        requireStarted();
        return service.endpoint(endpoint).faults;
    }

    public CardSimStats stats()
    {
        return stats;
    }

    /** What the upstream listener accepts (relay nodes) and how many peers it refused, by reason. */
    public PeerPolicy peers()
    {
        return peers;
    }

    /** The ledger file; read it with {@link Ledger#appliedCounts(Path)}. */
    public Path ledgerFile()
    {
        return Ledger.file(config.dataDirectory());
    }

    public CardSimulatorConfig config()
    {
        return config;
    }

    private void requireStarted()
    {
        if (service == null || upstreamChannels.size() != config.endpointCount())
        {
            throw new IllegalStateException("CardSimulator: not started");
        }
    }

    /**
     * Stops listening, closes every connection, shuts the event loops down (which cancels the service timers still
     * pending: their Forwards stay undecided, neither written to the ledger nor answered) and then closes the ledger,
     * which only the loops write. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeChannel(adminChannel);
        for (final Channel channel : upstreamChannels)
        {
            closeChannel(channel);
        }
        if (service != null)
        {
            service.channels().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        shutdown(workerGroup);
        shutdown(bossGroup);
        if (ledger != null)
        {
            try
            {
                ledger.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cardsim: closing ledger " + ledger.file(), ex);
            }
        }
    }

    private static void closeChannel(final Channel channel)
    {
        if (channel != null)
        {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static void shutdown(final io.netty.util.concurrent.EventExecutorGroup group)
    {
        if (group != null)
        {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
