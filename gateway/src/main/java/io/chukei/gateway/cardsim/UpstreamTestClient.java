package io.chukei.gateway.cardsim;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.ForwardEncoder;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal relay-side client of the card-management protocol, for tests and demos: one
 * connection, pipelined Forwards, Outcomes matched to their Forward by request id, and
 * heartbeats. Thread-safe. Not the relay's upstream pool: no reconnects, no timeouts (use the
 * futures' own).
 *
 * <pre>{@code
 * try (UpstreamTestClient client = UpstreamTestClient.connect("127.0.0.1", sim.port()))
 * {
 *     Outcome outcome = client.forward(ForwardSpec.of(id, Operation.CARD_ISSUE, "123456789012")).get();
 * }
 * }</pre>
 */
public final class UpstreamTestClient implements AutoCloseable
{
    private static final int FRAME_PREFIX = SofhFrame.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;

    private final EventLoopGroup group;
    private final Channel channel;
    private final FrameWriter writer = new FrameWriter();
    private final ForwardEncoder forwardEncoder = new ForwardEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final ConcurrentHashMap<UUID, Queue<CompletableFuture<Outcome>>> awaiting = new ConcurrentHashMap<>();
    private final Queue<CompletableFuture<Long>> heartbeats = new ConcurrentLinkedQueue<>();
    private final Queue<Outcome> received = new ConcurrentLinkedQueue<>();

    /** One Forward to send. {@code submit} is the connector's Submit (SBE header and body). */
    public record ForwardSpec(
        UUID requestId,
        int nodeId,
        String municipalityCode,
        Operation operation,
        Priority priority,
        boolean possibleDuplicate,
        int forwardAttempt,
        long deadlineEpochMs,
        byte[] submit)
    {
        /** A first attempt from node 1 for municipality 131016, deadline a minute away. */
        public static ForwardSpec of(final UUID requestId, final Operation operation, final String cardId)
        {
            final String municipality = "131016";
            return new ForwardSpec(requestId, 1, municipality, operation, Priority.INTERACTIVE, false, 1,
                System.currentTimeMillis() + 60_000, submitBytes(requestId, municipality, operation, cardId));
        }

        /** The same request as a resend: possibleDuplicate set, attempt + 1, from {@code nodeId}. */
        public ForwardSpec resendFrom(final int nodeId)
        {
            return new ForwardSpec(requestId, nodeId, municipalityCode, operation, priority, true, forwardAttempt + 1,
                deadlineEpochMs, submit);
        }
    }

    /** One Outcome as received; {@code receivedNanos} is {@link System#nanoTime()} on arrival. */
    public record Outcome(
        UUID requestId,
        OutcomeStatus status,
        int upstreamCode,
        boolean duplicate,
        String detail,
        byte[] payload,
        long receivedNanos)
    {
    }

    private UpstreamTestClient(final EventLoopGroup group, final Channel channel)
    {
        this.group = group;
        this.channel = channel;
    }

    /** Connects in plaintext. */
    public static UpstreamTestClient connect(final String host, final int port) throws IOException
    {
        return connect(host, port, null);
    }

    /** Connects, over TLS when {@code clientTls} is not null. */
    public static UpstreamTestClient connect(final String host, final int port, final SslContext clientTls)
        throws IOException
    {
        final EventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("upstream-test-client"), NioIoHandler.newFactory());
        final Inbound inbound = new Inbound();
        try
        {
            final Channel channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        if (clientTls != null)
                        {
                            ch.pipeline().addLast(clientTls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline()
                            .addLast(new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH))
                            .addLast(inbound);
                    }
                })
                .connect(host, port)
                .sync()
                .channel();
            final UpstreamTestClient client = new UpstreamTestClient(group, channel);
            inbound.client = client;
            return client;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("connect " + host + ":" + port + ": interrupted", ex);
        }
        catch (final Exception ex)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("connect " + host + ":" + port + ": " + ex, ex);
        }
    }

    /** Sends one Forward; the future completes with its Outcome. */
    public CompletableFuture<Outcome> forward(final ForwardSpec spec)
    {
        Objects.requireNonNull(spec, "spec");
        final CompletableFuture<Outcome> answer = new CompletableFuture<>();
        awaiting.computeIfAbsent(spec.requestId(), id -> new ConcurrentLinkedQueue<>()).add(answer);
        channel.writeAndFlush(encode(spec));
        return answer;
    }

    /** Sends every Forward with one flush at the end; futures in the same order. */
    public List<CompletableFuture<Outcome>> forwardAll(final List<ForwardSpec> specs)
    {
        final List<CompletableFuture<Outcome>> answers = new ArrayList<>(specs.size());
        for (final ForwardSpec spec : specs)
        {
            final CompletableFuture<Outcome> answer = new CompletableFuture<>();
            awaiting.computeIfAbsent(spec.requestId(), id -> new ConcurrentLinkedQueue<>()).add(answer);
            answers.add(answer);
            channel.write(encode(spec));
        }
        channel.flush();
        return answers;
    }

    /** Sends a Heartbeat; the future completes with {@link System#nanoTime()} when the reply arrives. */
    public CompletableFuture<Long> heartbeat()
    {
        final CompletableFuture<Long> reply = new CompletableFuture<>();
        heartbeats.add(reply);
        final ByteBuf frame;
        synchronized (writer)
        {
            frame = channel.alloc().buffer(FRAME_PREFIX + HeartbeatEncoder.BLOCK_LENGTH);
            writer.finish(writer.begin(frame, heartbeatEncoder, HeartbeatEncoder.BLOCK_LENGTH)
                .timestampEpochMs(System.currentTimeMillis())
                .nodeState(NodeState.ACTIVE));
        }
        channel.writeAndFlush(frame);
        return reply;
    }

    /** Every Outcome received so far, in arrival order. */
    public List<Outcome> outcomes()
    {
        return new ArrayList<>(received);
    }

    public int outcomeCount()
    {
        return received.size();
    }

    public boolean isConnected()
    {
        return channel.isActive();
    }

    @Override
    public void close()
    {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private ByteBuf encode(final ForwardSpec spec)
    {
        final int maxBody = ForwardEncoder.BLOCK_LENGTH + ForwardEncoder.submitHeaderLength() + spec.submit().length;
        synchronized (writer)
        {
            final ByteBuf frame = channel.alloc().buffer(FRAME_PREFIX + maxBody);
            final ForwardEncoder forward = writer.begin(frame, forwardEncoder, maxBody);
            forward.requestId()
                .hi(spec.requestId().getMostSignificantBits())
                .lo(spec.requestId().getLeastSignificantBits());
            forward.nodeId(spec.nodeId())
                .municipalityCode(spec.municipalityCode())
                .operation(spec.operation())
                .priority(spec.priority())
                .possibleDuplicate(spec.possibleDuplicate() ? BooleanType.TRUE : BooleanType.FALSE)
                .forwardAttempt(spec.forwardAttempt())
                .deadlineEpochMs(spec.deadlineEpochMs())
                .putSubmit(spec.submit(), 0, spec.submit().length);
            writer.finish(forward);
            return frame;
        }
    }

    /** A connector's Submit for {@code requestId} with only the fields card management reads filled in. */
    public static byte[] submitBytes(
        final UUID requestId, final String municipality, final Operation operation, final String cardId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final SubmitEncoder submit = new SubmitEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        submit.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        submit.municipalityCode(municipality)
            .operation(operation)
            .priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(1)
            .deadlineEpochMs(System.currentTimeMillis() + 60_000)
            .batchId(SubmitEncoder.batchIdNullValue())
            .batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue());
        submit.nameKanji("").nameKana("").address("").cardId(cardId).applicationId("");
        submit.putPinBlock(new byte[0], 0, 0);
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + submit.encodedLength()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private void onOutcome(final OutcomeDecoder decoder)
    {
        final UUID requestId = new UUID(decoder.requestId().hi(), decoder.requestId().lo());
        final OutcomeStatus status = decoder.status();
        final int upstreamCode = decoder.upstreamCode();
        final boolean duplicate = decoder.duplicate() == BooleanType.TRUE;
        final String detail = decoder.detail();
        final byte[] payload = new byte[decoder.payloadLength()];
        decoder.getPayload(payload, 0, payload.length);
        final Outcome outcome = new Outcome(requestId, status, upstreamCode, duplicate, detail, payload, System.nanoTime());
        received.add(outcome);
        final Queue<CompletableFuture<Outcome>> waiting = awaiting.get(requestId);
        final CompletableFuture<Outcome> answer = waiting == null ? null : waiting.poll();
        if (answer != null)
        {
            answer.complete(outcome);
        }
    }

    private void onHeartbeat()
    {
        final CompletableFuture<Long> reply = heartbeats.poll();
        if (reply != null)
        {
            reply.complete(System.nanoTime());
        }
    }

    private void onClosed()
    {
        final IOException closed = new IOException("connection closed");
        awaiting.values().forEach(queue -> queue.forEach(answer -> answer.completeExceptionally(closed)));
        heartbeats.forEach(reply -> reply.completeExceptionally(closed));
    }

    private static final class Inbound extends SimpleChannelInboundHandler<ByteBuf>
    {
        private final MessageReader reader = new MessageReader();
        private volatile UpstreamTestClient client;

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf message)
        {
            if (reader.wrap(message) != ErrorCode.NO_ERROR)
            {
                return;
            }
            if (reader.templateId() == OutcomeDecoder.TEMPLATE_ID)
            {
                client.onOutcome(reader.outcome());
            }
            else if (reader.templateId() == HeartbeatDecoder.TEMPLATE_ID)
            {
                client.onHeartbeat();
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            final UpstreamTestClient owner = client;
            if (owner != null)
            {
                owner.onClosed();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
