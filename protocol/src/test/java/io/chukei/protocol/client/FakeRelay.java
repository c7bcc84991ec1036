package io.chukei.protocol.client;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.AcceptedEncoder;
import io.chukei.protocol.sbe.BatchMemberState;
import io.chukei.protocol.sbe.BatchState;
import io.chukei.protocol.sbe.BatchStatusQueryDecoder;
import io.chukei.protocol.sbe.BatchStatusReplyEncoder;
import io.chukei.protocol.sbe.DigestCheck;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ClusterViewEncoder;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayEncoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.HelloDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RedirectEncoder;
import io.chukei.protocol.sbe.ResultEncoder;
import io.chukei.protocol.sbe.StatusQueryDecoder;
import io.chukei.protocol.sbe.StatusReplyEncoder;
import io.chukei.protocol.sbe.RequestState;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.WelcomeEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.agrona.sbe.MessageEncoderFlyweight;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A plaintext relay for tests: answers Hello with Welcome, records every Submit and, by mode,
 * answers with Accepted and Result. It can drop its connections, freeze like a SIGSTOPped
 * process (no reads, no writes, TCP stays up), stop listening (connects are refused), and send
 * any answer or cluster message on demand. Welcome carries {@link #view} (by default this node
 * alone, ACTIVE).
 */
final class FakeRelay implements AutoCloseable
{
    enum Mode
    {
        /** Accepted then Result OK for every Submit. */
        ACCEPT_AND_RESULT,
        /** Accepted only; results are sent by the test. */
        ACCEPT_ONLY,
        /** Records Submits, answers nothing. */
        SILENT,
        /** Redirect for every Submit, as a node that is not ACTIVE answers (Welcome first, with {@link #view}). */
        REDIRECT
    }

    /** What the relay saw of one Submit. */
    record ReceivedSubmit(
        UUID requestId,
        String municipalityCode,
        String priority,
        boolean possibleDuplicate,
        int attempt,
        long deadlineEpochMs)
    {
    }

    private static final int MAX_BODY = 4096;

    final int nodeId;
    final BlockingQueue<ReceivedSubmit> submits = new LinkedBlockingQueue<>();
    final BlockingQueue<String> hellos = new LinkedBlockingQueue<>();
    final BlockingQueue<UUID> statusQueries = new LinkedBlockingQueue<>();
    volatile Mode mode = Mode.ACCEPT_AND_RESULT;
    volatile int maxInFlight = 1024;
    volatile boolean frozen;
    /** False: Hello is recorded but never answered, so the client's handshake times out. */
    volatile boolean welcomes = true;
    /** The cluster view sent in Welcome; null: this node alone, ACTIVE. */
    volatile List<ClusterNode> view;
    /** Batch ids of the BatchStatusQueries received, one per query (pages included). */
    final BlockingQueue<Long> batchQueries = new LinkedBlockingQueue<>();
    /** How many BatchStatusQueries are refused with {@link #batchRefusal} before one is answered. */
    final AtomicInteger batchRefusalsLeft = new AtomicInteger();
    /** The code of those refusals; OVERLOADED is what a node rebuilding its batch accounts after a start sends. */
    volatile ErrorCode batchRefusal = ErrorCode.OVERLOADED;
    /** This node's account of any batch asked for: {@link #batchSize} members, batchCompletedFirst..Last OK. */
    volatile int batchSize;
    volatile int batchCompletedFirst;
    volatile int batchCompletedLast;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final InetSocketAddress address;
    private final SslContext tls;
    private volatile Channel server;
    private volatile Channel current;

    FakeRelay(final int nodeId)
    {
        this(nodeId, null);
    }

    /** With {@code tls} (a server context), the relay speaks TLS. */
    FakeRelay(final int nodeId, final SslContext tls)
    {
        this.nodeId = nodeId;
        this.tls = tls;
        this.server = bind(new InetSocketAddress("127.0.0.1", 0));
        this.address = (InetSocketAddress)server.localAddress();
    }

    private Channel bind(final InetSocketAddress at)
    {
        return new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    connections.add(ch);
                    current = ch;
                    if (tls != null)
                    {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast(new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH), new SessionHandler());
                }
            })
            .bind(at)
            .syncUninterruptibly()
            .channel();
    }

    InetSocketAddress address()
    {
        return address;
    }

    /** {@code host:port} as the cluster view writes it. */
    String viewAddress()
    {
        return address.getHostString() + ":" + address.getPort();
    }

    /** This node in a cluster view, in {@code state}. */
    ClusterNode inState(final NodeState state)
    {
        return new ClusterNode(nodeId, state, viewAddress());
    }

    /** Closes the listener and every connection: connects are refused until {@link #listen()}. */
    void stopListening()
    {
        server.close().syncUninterruptibly();
        dropConnections();
    }

    /** Listens again on the same port, as a restarted process would. */
    void listen()
    {
        server = bind(address);
    }

    ReceivedSubmit nextSubmit() throws InterruptedException
    {
        final ReceivedSubmit submit = submits.poll(10, TimeUnit.SECONDS);
        if (submit == null)
        {
            throw new AssertionError("relay " + nodeId + " received no Submit within 10 s");
        }
        return submit;
    }

    /** Closes every connection, as a crashed process would. */
    void dropConnections()
    {
        connections.close().syncUninterruptibly();
    }

    /** Stops reading and writing on every connection while TCP stays up, as SIGSTOP would. */
    void freeze()
    {
        frozen = true;
        for (final Channel connection : connections)
        {
            connection.config().setAutoRead(false);
        }
    }

    /** Completes once the Result is written to the socket. */
    CompletableFuture<Void> sendResult(final UUID requestId, final String detail)
    {
        return send(new ResultEncoder(), result -> result(result, requestId, detail));
    }

    /** What a relay says when a request's deadline passed after a forward: Rejected OUTCOME_UNKNOWN (not final). */
    CompletableFuture<Void> sendOutcomeUnknown(final UUID requestId)
    {
        return send(new io.chukei.protocol.sbe.RejectedEncoder(), rejected ->
        {
            rejected.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
            rejected.nodeId(nodeId).code(ErrorCode.OUTCOME_UNKNOWN).field(io.chukei.protocol.sbe.FieldId.DEADLINE)
                .position(io.chukei.protocol.sbe.RejectedEncoder.positionNullValue())
                .codePoint(io.chukei.protocol.sbe.RejectedEncoder.codePointNullValue())
                .retryAfterMs(io.chukei.protocol.sbe.RejectedEncoder.retryAfterMsNullValue());
            rejected.detail("outcome unknown (rule: OUTCOME_UNKNOWN)");
        });
    }

    CompletableFuture<Void> sendGoAway()
    {
        return sendGoAway(List.of());
    }

    CompletableFuture<Void> sendGoAway(final List<ClusterNode> nodes)
    {
        return send(new GoAwayEncoder(), goAway ->
        {
            goAway.nodeId(nodeId).code(ErrorCode.NODE_UNAVAILABLE).retryAfterMs(GoAwayEncoder.retryAfterMsNullValue());
            final GoAwayEncoder.NodesEncoder group = goAway.nodesCount(nodes.size());
            for (final ClusterNode node : nodes)
            {
                group.next().nodeId(node.nodeId()).state(node.state()).address(node.address());
            }
            goAway.detail("draining");
        });
    }

    CompletableFuture<Void> sendRedirect(final UUID requestId)
    {
        return sendRedirect(requestId, List.of());
    }

    CompletableFuture<Void> sendRedirect(final UUID requestId, final List<ClusterNode> nodes)
    {
        return send(new RedirectEncoder(), redirect -> redirect(redirect, requestId, NodeState.DRAINING, nodes));
    }

    private void redirect(final RedirectEncoder redirect, final UUID requestId, final NodeState own,
        final List<ClusterNode> nodes)
    {
        redirect.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        redirect.nodeId(nodeId).state(own);
        final RedirectEncoder.NodesEncoder group = redirect.nodesCount(nodes.size());
        for (final ClusterNode node : nodes)
        {
            group.next().nodeId(node.nodeId()).state(node.state()).address(node.address());
        }
    }

    /** Pushes a cluster view, as a relay does when any node's state changes. */
    CompletableFuture<Void> sendClusterView(final List<ClusterNode> nodes)
    {
        return send(new ClusterViewEncoder(), clusterView ->
        {
            final ClusterViewEncoder.NodesEncoder group = clusterView.nodeId(nodeId).nodesCount(nodes.size());
            for (final ClusterNode node : nodes)
            {
                group.next().nodeId(node.nodeId()).state(node.state()).address(node.address());
            }
        });
    }

    private <T extends MessageEncoderFlyweight> CompletableFuture<Void> send(final T encoder, final Consumer<T> fill)
    {
        final Channel channel = current;
        final CompletableFuture<Void> written = new CompletableFuture<>();
        channel.eventLoop().execute(() -> write(channel, encoder, fill).addListener(future ->
        {
            if (future.isSuccess())
            {
                written.complete(null);
            }
            else
            {
                written.completeExceptionally(future.cause());
            }
        }));
        return written;
    }

    private static <T extends MessageEncoderFlyweight> ChannelFuture write(
        final Channel channel,
        final T encoder,
        final Consumer<T> fill)
    {
        final ByteBuf buffer = channel.alloc().buffer(256);
        final FrameWriter writer = new FrameWriter();
        fill.accept(writer.begin(buffer, encoder, MAX_BODY));
        writer.finish(encoder);
        return channel.writeAndFlush(buffer);
    }

    private void accepted(final AcceptedEncoder accepted, final UUID requestId)
    {
        accepted.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        accepted.nodeId(nodeId).journalPosition(42L).durability(Durability.PROCESS).alreadyKnown(BooleanType.FALSE);
    }

    private void result(final ResultEncoder result, final UUID requestId, final String detail)
    {
        result.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        result.nodeId(nodeId).status(OutcomeStatus.OK).upstreamCode(0).completedEpochMs(System.currentTimeMillis());
        result.detail(detail).putPayload(new byte[] {7}, 0, 1);
    }

    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class SessionHandler extends ChannelInboundHandlerAdapter
    {
        private final MessageReader reader = new MessageReader();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf message = (ByteBuf)msg;
            try
            {
                if (reader.wrap(message) != ErrorCode.NO_ERROR || frozen)
                {
                    return;
                }
                switch (reader.templateId())
                {
                    case HelloDecoder.TEMPLATE_ID:
                        hello(ctx, reader.hello());
                        break;
                    case SubmitDecoder.TEMPLATE_ID:
                        submit(ctx, reader.submit());
                        break;
                    case StatusQueryDecoder.TEMPLATE_ID:
                        statusQuery(ctx, reader.statusQuery());
                        break;
                    case BatchStatusQueryDecoder.TEMPLATE_ID:
                        batchStatusQuery(ctx, reader.batchStatusQuery());
                        break;
                    default:
                        break;
                }
            }
            finally
            {
                message.release();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
        {
            if (event instanceof IdleStateEvent && !frozen)
            {
                write(ctx.channel(), new HeartbeatEncoder(),
                    heartbeat -> heartbeat.timestampEpochMs(System.currentTimeMillis()).nodeState(NodeState.ACTIVE));
            }
        }

        private void hello(final ChannelHandlerContext ctx, final HelloDecoder hello)
        {
            final String municipalityCode = hello.municipalityCode();
            final long heartbeatMs = hello.heartbeatIntervalMs();
            hellos.add(municipalityCode + " " + hello.connectorName());
            if (!welcomes)
            {
                return;
            }
            ctx.pipeline().addFirst(new IdleStateHandler(0, heartbeatMs, 0, TimeUnit.MILLISECONDS));
            write(ctx.channel(), new WelcomeEncoder(), welcome ->
            {
                welcome.nodeId(nodeId).sessionId(1).heartbeatIntervalMs(heartbeatMs)
                    .maxFrameLength(SofhFrame.DEFAULT_MAX_FRAME_LENGTH).maxInFlight(maxInFlight).durability(Durability.PROCESS);
                final List<ClusterNode> nodes = view != null ? view : List.of(inState(NodeState.ACTIVE));
                final WelcomeEncoder.NodesEncoder group = welcome.nodesCount(nodes.size());
                for (final ClusterNode node : nodes)
                {
                    group.next().nodeId(node.nodeId()).state(node.state()).address(node.address());
                }
            });
        }

        private void submit(final ChannelHandlerContext ctx, final SubmitDecoder submit)
        {
            // Read once: a test switches modes as soon as it sees this Submit.
            final Mode answering = mode;
            final UUID requestId = new UUID(submit.requestId().hi(), submit.requestId().lo());
            submits.add(new ReceivedSubmit(requestId, submit.municipalityCode(), submit.priority().name(),
                submit.possibleDuplicate() == BooleanType.TRUE, submit.attempt(), submit.deadlineEpochMs()));
            if (answering == Mode.REDIRECT)
            {
                final List<ClusterNode> nodes = view != null ? view : List.of();
                final NodeState own = nodes.stream().filter(node -> node.nodeId() == nodeId).map(ClusterNode::state)
                    .findFirst().orElse(NodeState.DRAINING);
                write(ctx.channel(), new RedirectEncoder(), redirect -> redirect(redirect, requestId, own, nodes));
                return;
            }
            if (answering != Mode.SILENT)
            {
                write(ctx.channel(), new AcceptedEncoder(), accepted -> accepted(accepted, requestId));
            }
            if (answering == Mode.ACCEPT_AND_RESULT)
            {
                write(ctx.channel(), new ResultEncoder(), result -> result(result, requestId, "done by " + nodeId));
            }
        }

        /**
         * Refused while {@link #batchRefusalsLeft} lasts; then sequences batchCompletedFirst..Last COMPLETED_OK and the
         * rest NEVER_SEEN, in one page.
         */
        private void batchStatusQuery(final ChannelHandlerContext ctx, final BatchStatusQueryDecoder query)
        {
            final long batchId = query.batchId();
            batchQueries.add(batchId);
            final boolean refuse = batchRefusalsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
            write(ctx.channel(), new BatchStatusReplyEncoder(), reply ->
            {
                reply.batchId(batchId).nodeId(nodeId).field(FieldId.BATCH_ID)
                    .nextSequence(BatchStatusReplyEncoder.nextSequenceNullValue()).digestCheck(DigestCheck.NOT_CHECKED)
                    .batchSize(0).accepted(0).completedOk(0).completedRefused(0).rejected(0).outcomeUnknown(0)
                    .neverSeen(0).lastMemberEpochMs(0);
                if (refuse)
                {
                    reply.code(batchRefusal).batchState(BatchState.UNKNOWN);
                    reply.rangesCount(0);
                    reply.detail("batchId: refused by the fake relay (rule: " + batchRefusal + ")");
                    return;
                }
                final int first = batchCompletedFirst;
                final int last = batchCompletedLast;
                reply.code(ErrorCode.NO_ERROR).batchState(BatchState.OPEN).batchSize(batchSize)
                    .completedOk(last - first + 1).neverSeen(batchSize - (last - first + 1))
                    .lastMemberEpochMs(System.currentTimeMillis());
                final boolean before = first > 1;
                final boolean after = last < batchSize;
                final BatchStatusReplyEncoder.RangesEncoder ranges = reply.rangesCount(1 + (before ? 1 : 0) +
                    (after ? 1 : 0));
                if (before)
                {
                    ranges.next().firstSequence(1).length(first - 1).state(BatchMemberState.NEVER_SEEN);
                }
                ranges.next().firstSequence(first).length(last - first + 1).state(BatchMemberState.COMPLETED_OK);
                if (after)
                {
                    ranges.next().firstSequence(last + 1).length(batchSize - last).state(BatchMemberState.NEVER_SEEN);
                }
                reply.detail("");
            });
        }

        private void statusQuery(final ChannelHandlerContext ctx, final StatusQueryDecoder query)
        {
            final UUID requestId = new UUID(query.requestId().hi(), query.requestId().lo());
            statusQueries.add(requestId);
            write(ctx.channel(), new StatusReplyEncoder(), reply ->
            {
                reply.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
                reply.nodeId(nodeId).state(RequestState.FORWARDED).journalPosition(42L);
            });
        }
    }
}
