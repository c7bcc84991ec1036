package io.chukei.gateway.admin;

import io.chukei.gateway.config.HostPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.PeerRecheck;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An admin HTTP listener. With a TLS context it is the admin listener proper: mutual TLS, the client's
 * role from its certificate, {@link AdminAccess} deciding what it may do. Without one it is the plain
 * listener: health and metrics only. Both bound their connections ({@link AdminConnections}).
 */
public final class AdminServer
{
    /** Hears each refused request (journaled by the node, with the caller's identity). */
    public interface RefusalAudit
    {
        void refused(AdminCaller caller, AdminAccess.Refusal refusal);
    }

    /** The listener's bounds: {@code admin.idleTimeoutMs}, {@code admin.maxConnections}. */
    public record Limits(int idleTimeoutMs, int maxConnections)
    {
    }

    private final String name;
    private final HostPort listen;
    private final SslContext tls;
    private final PeerPolicy peers;
    private final AdminRoutes routes;
    private final Limits limits;
    private final AdminConnections connections;
    private final Refusals refusals;
    private Channel serverChannel;

    /**
     * @param name {@code admin} or {@code plain}: the metrics' {@code listener} tag
     * @param tls  the server context (client certificates required), or null for the plain listener
     */
    /** {@code peers}: the policy {@code tls} checks peers by, checked again after each handshake; null without TLS. */
    public AdminServer(final String name, final HostPort listen, final SslContext tls, final PeerPolicy peers,
        final AdminRoutes routes, final Limits limits, final RefusalAudit audit, final MeterRegistry registry)
    {
        this.name = Objects.requireNonNull(name, "name");
        this.listen = listen;
        if ((tls == null) != (peers == null))
        {
            throw new IllegalArgumentException("peers: " + peers + " (expected: the policy of the TLS context, and " +
                "none without TLS)");
        }
        this.tls = tls;
        this.peers = peers;
        this.routes = routes;
        this.limits = limits;
        this.connections = new AdminConnections(name, limits.maxConnections());
        this.refusals = new Refusals(name, audit, registry);
        connections.bindTo(registry);
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
                    final ChannelPipeline pipeline = ch.pipeline();
                    // The idle timer starts at accept (an idle socket that never handshakes is bounded too); a
                    // connection over the cap is closed next, before its TLS handshake costs anything.
                    pipeline.addLast(new IdleStateHandler(0, 0, limits.idleTimeoutMs(), TimeUnit.MILLISECONDS));
                    pipeline.addLast(connections);
                    if (tls != null)
                    {
                        // A silent handshake ends at the idle timeout; one dripping a byte now and then at Netty's
                        // handshake timeout (10 s).
                        pipeline.addLast(tls.newHandler(ch.alloc()));
                        // A resumed session skips the trust manager: its certificate is checked again (revocation).
                        pipeline.addLast(PeerRecheck.NAME, new PeerRecheck(peers));
                    }
                    pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                        new AdminHttpHandler(routes, refusals, peers));
                }
            })
            .bind(listen.host(), listen.port()).sync().channel();
        return (InetSocketAddress)serverChannel.localAddress();
    }

    public String name()
    {
        return name;
    }

    /** Connections open now. */
    public int openConnections()
    {
        return connections.open();
    }

    public void stop()
    {
        if (serverChannel != null)
        {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /** Counts refusals per reason ({@code chukei.admin.requests.refused{listener, reason}}) and tells the audit. */
    static final class Refusals
    {
        private final String listener;
        private final RefusalAudit audit;
        private final MeterRegistry registry;
        private final Map<String, Counter> counters = new ConcurrentHashMap<>();

        Refusals(final String listener, final RefusalAudit audit, final MeterRegistry registry)
        {
            this.listener = listener;
            this.audit = audit;
            this.registry = registry;
            for (final String tag : new String[] {"role", "cross_origin", "plain_listener"})
            {
                counter(tag);
            }
        }

        private Counter counter(final String tag)
        {
            return counters.computeIfAbsent(tag, t -> Counter.builder("chukei.admin.requests.refused")
                .description("Admin requests refused: role (403), cross_origin (403), plain_listener (404)")
                .tag("listener", listener).tag("reason", t).register(registry));
        }

        void refused(final AdminCaller caller, final AdminAccess.Refusal refusal)
        {
            counter(refusal.tag()).increment();
            audit.refused(caller, refusal);
        }
    }
}
