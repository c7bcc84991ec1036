package io.chukei.protocol.client;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The session life cycle: pick a node, connect (TLS), send {@code Hello}, wait for
 * {@code Welcome}, keep the session alive with heartbeats, and on any end of it (connection
 * lost, {@code GoAway}, {@code Redirect}, missed heartbeats, handshake timeout, a request without
 * an answer within the per-attempt timeout) hand the unresolved requests back to the
 * {@link RequestBook} and connect again to the node the {@link NodeSelector} picks: at once when
 * that is another usable node, after a jittered back-off otherwise.
 *
 * <p>Cluster views from the relay feed the selector. An idle session on a node other than the
 * selector's {@link NodeSelector#home() home} is closed and reopened there (lazy rebalance).
 *
 * <p>Each connection attempt has a generation number; events from an older connection never
 * touch the current session (answers from it are still honoured by the book). Event-loop
 * confined.
 */
final class Connector
{
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    /** One periodic sweep per client: deadlines, the per-attempt timeout and the rebalance check. */
    private static final long SWEEP_TICK_MS = 10;
    /**
     * Upper bound of the delay before a move to another usable node. When a node dies, all of its
     * connectors (a third of 1,741 with three nodes) notice within the same heartbeat window; a
     * delay of 0-50 ms spreads their TLS handshakes over the survivors instead of landing them in
     * one burst, yet adds little to the failover time. Retries to the same node (or to a node not
     * believed usable) take the exponential back-off with full jitter instead: there the node, or
     * the whole cluster, is down and hammering it helps nobody.
     */
    static final long MOVE_JITTER_MS = 50;
    /**
     * The relay decides at the deadline too, and its verdict (a Result that just made it, or
     * DEADLINE_EXCEEDED with the journal behind it) needs a moment to travel back: the SDK
     * decides locally only this long after the deadline, when the relay has said nothing.
     */
    static final long DEADLINE_GRACE_MS = 500;
    private static final int VAR_LENGTH_HEADER = 2;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final SslContext sslContext;
    private final String municipalityCode;
    private final String connectorName;
    private final long proposedHeartbeatMs;
    private final int missedHeartbeats;
    private final long handshakeTimeoutMs;
    private final long attemptTimeoutNs;
    private final int nodeCount;
    private final Clock clock;
    private final SplittableRandom random;
    private final NodeSelector selector;
    private final Backoff backoff;
    private final RequestBook book;
    private final Counters counters;
    private final FrameWriter writer = new FrameWriter();
    private final HelloEncoder hello = new HelloEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();

    private long generation;
    private Channel channel;
    private InetSocketAddress node;
    private boolean sessionOpen;
    private DisconnectReason closeReason;
    private long retryAfterMs;
    private boolean stopped;
    private ScheduledFuture<?> sweeper;
    /** Sessions ended since the last Welcome: bounds immediate moves when every node fails in turn. */
    private int endsSinceWelcome;

    Connector(final ConnectorClientBuilder config, final EventLoop loop, final RequestBook book, final Counters counters)
    {
        this.loop = loop;
        this.sslContext = config.sslContext;
        this.municipalityCode = config.municipalityCode;
        this.connectorName = config.connectorName;
        this.proposedHeartbeatMs = config.heartbeatInterval.toMillis();
        this.missedHeartbeats = config.missedHeartbeats;
        this.handshakeTimeoutMs = config.handshakeTimeout.toMillis();
        this.attemptTimeoutNs = config.attemptTimeout.toNanos();
        this.nodeCount = config.nodes.size();
        this.clock = config.clock;
        this.random = config.random;
        this.selector = config.nodeSelector != null ? config.nodeSelector :
            new RendezvousNodeSelector(config.municipalityCode, config.nodes, config.clock, config.nodeCoolDown);
        this.backoff = new Backoff(config.reconnectInitial, config.reconnectMax, config.random);
        this.book = book;
        this.counters = counters;
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(config.channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.min(Integer.MAX_VALUE, handshakeTimeoutMs));
    }

    void start()
    {
        sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_TICK_MS, SWEEP_TICK_MS, TimeUnit.MILLISECONDS);
        connect(selector.select(DisconnectReason.NONE), DisconnectReason.NONE);
    }

    void stop()
    {
        stopped = true;
        if (sweeper != null)
        {
            sweeper.cancel(false);
        }
        if (channel != null)
        {
            channel.close();
        }
    }

    private void connect(final InetSocketAddress target, final DisconnectReason reason)
    {
        if (stopped)
        {
            return;
        }
        if (reason != DisconnectReason.NONE)
        {
            counters.reconnects++;
        }
        node = target;
        final long attempt = ++generation;
        closeReason = null;
        retryAfterMs = 0;
        sessionOpen = false;
        final ChannelFuture connected = bootstrap.clone()
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    initPipeline(ch, attempt);
                }
            })
            .connect(node);
        channel = connected.channel();
        connected.addListener(future ->
        {
            if (!future.isSuccess())
            {
                LOG.debug("connect to {} failed: {}", node, future.cause().toString());
                close(attempt, DisconnectReason.CONNECT_FAILED);
            }
        });
        channel.closeFuture().addListener(future -> onClosed(attempt));
        loop.schedule(() -> handshakeTimeout(attempt), handshakeTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private void initPipeline(final SocketChannel ch, final long attempt)
    {
        final ChannelPipeline pipeline = ch.pipeline();
        if (sslContext != null)
        {
            pipeline.addLast(sslContext.newHandler(ch.alloc(), node.getHostString(), node.getPort()));
        }
        pipeline.addLast(new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH));
        pipeline.addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        pipeline.addLast(ConnectionHandler.NAME, new ConnectionHandler(this, book, attempt, sslContext != null));
    }

    /** TCP (and TLS, when used) is up: open the session. */
    void transportReady(final long attempt, final Channel ch)
    {
        if (attempt != generation)
        {
            ch.close();
            return;
        }
        final ByteBuf buffer = ch.alloc().directBuffer(64 + connectorName.length());
        writer.begin(buffer, hello, HelloEncoder.BLOCK_LENGTH + VAR_LENGTH_HEADER + connectorName.length());
        hello.municipalityCode(municipalityCode).heartbeatIntervalMs(proposedHeartbeatMs).connectorName(connectorName);
        writer.finish(hello);
        ch.writeAndFlush(buffer, ch.voidPromise());
    }

    void welcome(final long attempt, final Channel ch, final WelcomeDecoder welcome)
    {
        if (attempt != generation || sessionOpen)
        {
            LOG.warn("unexpected Welcome from {} (session already open or superseded); ignored", node);
            return;
        }
        final long heartbeatMs = welcome.heartbeatIntervalMs() > 0 ? welcome.heartbeatIntervalMs() : proposedHeartbeatMs;
        final int nodeId = welcome.nodeId();
        final int maxInFlight = (int)Math.min(Integer.MAX_VALUE, welcome.maxInFlight());
        final int maxFrameLength = (int)Math.min(Integer.MAX_VALUE, welcome.maxFrameLength());
        final List<ClusterNode> view = ClusterViews.of(welcome.nodes());
        selector.viewReceived(node, nodeId, view);
        ch.pipeline().addBefore(ConnectionHandler.NAME, "heartbeat",
            new IdleStateHandler(heartbeatMs * missedHeartbeats, heartbeatMs, 0, TimeUnit.MILLISECONDS));
        sessionOpen = true;
        counters.sessionOpen = true;
        if (takesWork(nodeId, view))
        {
            // Only a node that takes work ends the back-off: one that is not ACTIVE welcomes and then redirects every
            // Submit, and starting the back-off afresh at each Welcome made a connector reconnect to it every ~50 ms
            // (a TLS handshake each) for as long as no node was ACTIVE.
            backoff.reset();
            endsSinceWelcome = 0;
        }
        LOG.info("session open with node {} at {} (heartbeat {} ms, maxInFlight {})", nodeId, node, heartbeatMs, maxInFlight);
        book.sessionOpened(ch, attempt, maxInFlight, maxFrameLength);
    }

    /** Whether the Welcome's view shows its node ACTIVE (a view that does not name it: taken as ACTIVE). */
    private static boolean takesWork(final int nodeId, final List<ClusterNode> view)
    {
        for (final ClusterNode each : view)
        {
            if (each.nodeId() == nodeId)
            {
                return each.state() == io.chukei.protocol.sbe.NodeState.ACTIVE;
            }
        }
        return true;
    }

    /** Nothing written for one heartbeat interval. */
    void sendHeartbeat(final Channel ch)
    {
        final ByteBuf buffer = ch.alloc().directBuffer(32);
        writer.begin(buffer, heartbeat, HeartbeatEncoder.BLOCK_LENGTH);
        heartbeat.timestampEpochMs(clock.millis()).nodeState(NodeState.ACTIVE);
        writer.finish(heartbeat);
        ch.writeAndFlush(buffer, ch.voidPromise());
    }

    /** A cluster view arrived on the connection of {@code attempt}. */
    void view(final long attempt, final int sourceNodeId, final List<ClusterNode> view)
    {
        if (attempt == generation)
        {
            selector.viewReceived(node, sourceNodeId, view);
        }
    }

    void goAway(final long attempt, final long retryAfterMs)
    {
        if (attempt == generation)
        {
            this.retryAfterMs = retryAfterMs;
        }
        close(attempt, DisconnectReason.GO_AWAY);
    }

    /** Ends the connection of {@code attempt} for {@code reason}, if it is the current one. */
    void close(final long attempt, final DisconnectReason reason)
    {
        if (attempt != generation || channel == null)
        {
            return;
        }
        if (closeReason == null)
        {
            closeReason = reason;
        }
        channel.close();
    }

    private void sweep()
    {
        book.expire(clock.millis() - DEADLINE_GRACE_MS);
        if (!sessionOpen || closeReason != null)
        {
            return;
        }
        if (book.attemptOverdue(System.nanoTime(), attemptTimeoutNs))
        {
            LOG.warn("node {} left a request unanswered beyond the attempt timeout; moving", node);
            counters.attemptTimeouts++;
            close(generation, DisconnectReason.ATTEMPT_TIMEOUT);
        }
        else if (book.unresolvedCount() == 0)
        {
            final InetSocketAddress home = selector.home();
            if (home != null && !home.equals(node))
            {
                // Idle: nothing to resubmit, so moving costs one handshake and no duplicate.
                LOG.info("home node {} usable again; leaving {}", home, node);
                counters.rebalances++;
                close(generation, DisconnectReason.REBALANCE);
            }
        }
    }

    private void handshakeTimeout(final long attempt)
    {
        if (attempt == generation && !sessionOpen)
        {
            close(attempt, DisconnectReason.HANDSHAKE_TIMEOUT);
        }
    }

    private void onClosed(final long attempt)
    {
        if (attempt != generation)
        {
            return;
        }
        final DisconnectReason reason = closeReason != null ? closeReason : DisconnectReason.CONNECTION_LOST;
        if (sessionOpen)
        {
            if (stopped)
            {
                // The caller closed the client: expected, and loud at INFO when hundreds close together.
                LOG.debug("session with {} ended: client closed", node);
            }
            else
            {
                LOG.info("session with {} ended: {}", node, reason);
            }
            book.sessionClosed();
        }
        sessionOpen = false;
        counters.sessionOpen = false;
        channel = null;
        if (stopped)
        {
            return;
        }
        endsSinceWelcome++;
        final InetSocketAddress left = node;
        final InetSocketAddress next = selector.select(reason);
        final long delayMs = moveAtOnce(left, next) ?
            random.nextLong(MOVE_JITTER_MS + 1) : Math.max(backoff.nextDelayMs(), retryAfterMs);
        loop.schedule(() -> connect(next, reason), delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * A move to another node believed usable goes at once (with a little jitter); so does every
     * node in turn once, but a round through all nodes without a session backs off.
     */
    private boolean moveAtOnce(final InetSocketAddress left, final InetSocketAddress next)
    {
        return !next.equals(left) && selector.usable(next) && endsSinceWelcome < nodeCount;
    }
}
