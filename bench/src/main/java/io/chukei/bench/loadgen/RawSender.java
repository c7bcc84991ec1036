package io.chukei.bench.loadgen;

import io.chukei.gateway.transport.Transport;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code loadgen --raw}: sends pre-encoded Submit frames on hand-made sessions, one per municipality, without the
 * SDK, so the generator spends as little as it can per request and can saturate a fast target (issue 17). Per
 * request the send thread picks a template and queues three primitives for the connection's event loop
 * ({@link RawLoop}); the loop copies the template into the connection's buffer, patches id, municipality and
 * deadline, and writes once per turn; answers are decoded in place into the recorders by the schedule index in
 * their id ({@link RawRequestIds}). The open-loop schedule and the latency from the intended start are the SDK
 * sender's.
 *
 * <p>What it gives up: the SDK's failover, resends and local deadlines. One target only; a request whose session
 * closed fails, and one never answered stays unanswered.
 */
final class RawSender implements RequestSender, AutoCloseable
{
    /** Below the relay's pre-Hello bound per address (32): connecting more at once would be refused. */
    private static final int CONNECT_WAVE = 24;
    /** Well under the relay's default heartbeat interval (400 ms), which it enforces on silent sessions. */
    private static final long HEARTBEAT_IDLE_MS = 150;

    private final EventLoopGroup group;
    private final RawLoop[] loops;
    private final RawConnection[] connectionsByRank;
    private final List<Channel> channels = new ArrayList<>();
    private final RawFrameTemplates templates;
    private final SplittableRandom random;

    private RawSender(final EventLoopGroup group, final RawLoop[] loops, final RawConnection[] connectionsByRank,
        final RawFrameTemplates templates, final long seed)
    {
        this.group = group;
        this.loops = loops;
        this.connectionsByRank = connectionsByRank;
        this.templates = templates;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Encodes the templates, then connects one session per municipality to {@code node} in waves and waits for each
     * wave's Welcomes. Throws {@link IllegalStateException} naming the municipality when a session does not open
     * within {@code connectTimeout}.
     */
    static RawSender connect(final InetSocketAddress node, final DevPki pki, final List<String> municipalityCodes,
        final int ioThreads, final Duration requestTimeout, final OperationMix mix, final RequestFactory requests,
        final RunRecorders recorders, final long seed, final Duration connectTimeout, final PrintStream progress)
    {
        if (recorders.schedule().size() - 1 > RawRequestIds.MAX_INDEX)
        {
            throw new IllegalArgumentException("--raw: " + recorders.schedule().size() + " requests in the run (expected: at most " +
                (RawRequestIds.MAX_INDEX + 1) + ")");
        }
        final RawFrameTemplates templates = new RawFrameTemplates(mix.entries(), requests);
        progress.println("loadgen: raw sender, " + templates.count() + " Submit frames encoded once (" + mix.entries().size() +
            " kinds x " + RequestFactory.POOL_SIZE + " field picks)");
        final Transport transport = Transport.best();
        final EventLoopGroup group = transport.newGroup(ioThreads, ConnectorThreads.normal("raw-connectors"));
        final RawConnection[] connections = new RawConnection[municipalityCodes.size()];
        final List<RawLoop> loopList = new ArrayList<>();
        for (final EventExecutor executor : group)
        {
            loopList.add(new RawLoop((EventLoop)executor, connections, templates, recorders, requestTimeout.toMillis(), HEARTBEAT_IDLE_MS));
        }
        final RawSender sender = new RawSender(group, loopList.toArray(RawLoop[]::new), connections, templates, seed);
        try
        {
            // Before the first session opens: a session welcomed early must not fall silent while later waves connect.
            for (final RawLoop loop : sender.loops)
            {
                loop.startHeartbeats();
            }
            sender.open(node, pki, municipalityCodes, transport, new RawRequestIds(System.currentTimeMillis(), new SplittableRandom(seed)),
                recorders, connectTimeout, progress);
            return sender;
        }
        catch (final RuntimeException ex)
        {
            sender.close();
            throw ex;
        }
    }

    private void open(final InetSocketAddress node, final DevPki pki, final List<String> codes, final Transport transport,
        final RawRequestIds ids, final RunRecorders recorders, final Duration connectTimeout, final PrintStream progress)
    {
        final long deadlineNs = System.nanoTime() + connectTimeout.toNanos();
        for (int first = 0; first < codes.size(); first += CONNECT_WAVE)
        {
            final int end = Math.min(codes.size(), first + CONNECT_WAVE);
            final List<CompletableFuture<Void>> welcomes = new ArrayList<>();
            for (int rank = first; rank < end; rank++)
            {
                final CompletableFuture<Void> welcomed = new CompletableFuture<>();
                final RawConnection connection = RawConnection.create(codes.get(rank), ids, recorders, welcomed);
                connectionsByRank[rank] = connection;
                final RawLoop loop = loops[rank % loops.length];
                loop.own(connection);
                channels.add(connect(node, loop.eventLoop(), transport,
                    TlsContexts.client(pki.issueConnector(codes.get(rank)), PeerPolicy.relayClient()), connection, welcomed));
                welcomes.add(welcomed);
            }
            for (int i = 0; i < welcomes.size(); i++)
            {
                await(welcomes.get(i), codes.get(first + i), node, deadlineNs);
            }
            if (end % 200 < CONNECT_WAVE || end == codes.size())
            {
                progress.println("loadgen: " + end + "/" + codes.size() + " raw sessions open");
            }
        }
    }

    /** Connects; a refused or unreachable address fails {@code welcomed} at once (no pipeline event would). */
    private static Channel connect(final InetSocketAddress node, final EventLoop loop, final Transport transport, final SslContext tls,
        final RawConnection connection, final CompletableFuture<Void> welcomed)
    {
        return new Bootstrap()
            .group(loop)
            .channel(transport.channelType())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), node.getHostString(), node.getPort()),
                        new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH), connection);
                }
            })
            .connect(node)
            .addListener(connected ->
            {
                if (!connected.isSuccess())
                {
                    welcomed.completeExceptionally(connected.cause());
                }
            })
            .channel();
    }

    private static void await(final CompletableFuture<Void> welcomed, final String municipality, final InetSocketAddress node,
        final long deadlineNs)
    {
        try
        {
            welcomed.get(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("raw session of " + municipality + " to " + Connections.name(node) + " did not open: " +
                ex.getCause(), ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("raw session of " + municipality + " to " + Connections.name(node) + " not welcomed in time");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", ex);
        }
    }

    @Override
    public void send(final long index, final int phase, final long intendedNs, final int rank, final int kindIndex,
        final OperationMix.Entry kind)
    {
        loops[rank % loops.length].offer(index, rank, RawFrameTemplates.template(kindIndex, random.nextInt(RequestFactory.POOL_SIZE)));
    }

    /**
     * None: parked to the due time, the send loop wakes up to the timer's slack late (measured, in the latency), and
     * the requests due by then leave in one hand-over and one write per connection. Spinning would cost the
     * generator the CPU it is meant to save, on the core it shares with its event loop.
     */
    @Override
    public long spinBeforeDueNs()
    {
        return 0;
    }

    /** Sessions that ended during the run, with the reason, e.g. {@code 131016: GoAway HEARTBEAT_TIMEOUT}. */
    List<String> closedSessions()
    {
        final List<String> closed = new ArrayList<>();
        for (final RawConnection connection : connectionsByRank)
        {
            if (connection != null && !connection.open() && connection.closedBecause() != null)
            {
                closed.add(connection.municipality() + ": " + connection.closedBecause());
            }
        }
        return closed;
    }

    /** Answers carrying an id this run never sent, or none (a refusal about the session). */
    long foreignAnswers()
    {
        long foreign = 0;
        for (final RawConnection connection : connectionsByRank)
        {
            if (connection != null)
            {
                foreign += connection.foreignAnswers();
            }
        }
        return foreign;
    }

    @Override
    public void close()
    {
        for (final RawLoop loop : loops)
        {
            loop.stopHeartbeats();
        }
        for (final Channel channel : channels)
        {
            channel.close();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        templates.release();
    }
}
