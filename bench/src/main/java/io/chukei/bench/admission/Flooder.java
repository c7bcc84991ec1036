package io.chukei.bench.admission;

import io.chukei.bench.rawclient.RawConnectorHandler;
import io.chukei.bench.rawclient.RawFrames;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connector that sends Submits as fast as its connection takes them, or at a set rate far
 * above its limit: pipelined, no window,
 * each with a fresh request id (a resend of a known id would skip the rate limit), writing
 * whenever the socket is writable and reading every answer. The shape of a buggy or hostile
 * connector that ignores RATE_LIMITED and its retry-after. Written by hand, as a connector in
 * another language would be: the SDK would queue behind its in-flight allowance instead.
 *
 * <p>Event-loop confined once opened; the counters are read from elsewhere.
 */
final class Flooder implements AutoCloseable
{
    /** Submits per buffer written: a few kilobytes per write, as a busy client's socket would carry. */
    private static final int SUBMITS_PER_WRITE = 32;
    /** Writes per turn of the flooder's event loop, so its own reads are not starved by its writes. */
    private static final int WRITES_PER_TURN = 4;
    /** Below the node's default heartbeat interval (400 ms), so an idle flooder is never taken for dead. */
    private static final long HEARTBEAT_MS = 200;

    private final String municipality;
    private final FrameWriter writer = new FrameWriter();
    private final SubmitEncoder submit = new SubmitEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final long idHi = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong results = new AtomicLong();
    private final Map<ErrorCode, AtomicLong> rejected = new EnumMap<>(ErrorCode.class);
    private final Channel channel;
    private long nextIdLo = 1;
    private volatile boolean flooding;
    /** Submits per second, 0 for as fast as the connection takes them. */
    private double ratePerSecond;
    private long startNs;

    private Flooder(final InetSocketAddress node, final SslContext tls, final String municipality, final EventLoopGroup group,
        final Class<? extends SocketChannel> channelType) throws InterruptedException
    {
        this.municipality = municipality;
        for (final ErrorCode code : ErrorCode.values())
        {
            rejected.put(code, new AtomicLong());
        }
        channel = new Bootstrap().group(group).channel(channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), node.getHostString(), node.getPort()),
                        new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH), new Answers());
                }
            })
            .connect(node).sync().channel();
    }

    /** Connects, says Hello and waits for Welcome (from the returned future). */
    static Flooder open(final InetSocketAddress node, final SslContext tls, final String municipality, final EventLoopGroup group,
        final Class<? extends SocketChannel> channelType) throws InterruptedException
    {
        return new Flooder(node, tls, municipality, group, channelType);
    }

    CompletableFuture<Void> welcomed()
    {
        return welcomed;
    }

    /** Starts flooding at {@code perSecond} Submits a second, or as fast as the connection takes them when 0. */
    void start(final double perSecond)
    {
        channel.eventLoop().execute(() ->
        {
            ratePerSecond = perSecond;
            startNs = System.nanoTime();
            flooding = true;
            pump();
        });
    }

    void stop()
    {
        flooding = false;
    }

    long sent()
    {
        return sent.get();
    }

    long accepted()
    {
        return accepted.get();
    }

    long results()
    {
        return results.get();
    }

    long rejected(final ErrorCode code)
    {
        return rejected.get(code).get();
    }

    long rejectedAll()
    {
        return rejected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void pump()
    {
        if (!flooding || !channel.isActive())
        {
            return;
        }
        long due = ratePerSecond == 0 ? Long.MAX_VALUE :
            (long)((System.nanoTime() - startNs) * ratePerSecond / 1e9) - sent.get();
        for (int i = 0; i < WRITES_PER_TURN && channel.isWritable() && due > 0; i++)
        {
            final int count = (int)Math.min(SUBMITS_PER_WRITE, due);
            final ByteBuf buffer = channel.alloc().directBuffer(count * (RawFrames.MAX_SUBMIT_BODY + 16));
            for (int n = 0; n < count; n++)
            {
                encodeSubmit(buffer);
            }
            sent.addAndGet(count);
            due -= count;
            channel.write(buffer, channel.voidPromise());
        }
        channel.flush();
        if (!channel.isWritable())
        {
            // channelWritabilityChanged resumes once the node has read enough: TCP back pressure.
            return;
        }
        if (due > 0)
        {
            // Next turn: the loop reads the node's answers in between.
            channel.eventLoop().execute(this::pump);
        }
        else
        {
            channel.eventLoop().schedule(this::pump, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void encodeSubmit(final ByteBuf buffer)
    {
        RawFrames.cardStatus(writer, submit, buffer, idHi, nextIdLo++, municipality, "123456789012",
            System.currentTimeMillis() + 30_000);
    }

    /** Keeps the session alive while not flooding: the node sends a connector silent for its idle timeout away. */
    private void heartbeat()
    {
        if (!channel.isActive())
        {
            return;
        }
        if (!flooding)
        {
            final ByteBuf buffer = channel.alloc().directBuffer(32);
            final HeartbeatEncoder heartbeat = writer.begin(buffer, heartbeatEncoder, HeartbeatEncoder.BLOCK_LENGTH);
            heartbeat.timestampEpochMs(System.currentTimeMillis()).nodeState(NodeState.ACTIVE);
            writer.finish(heartbeat);
            channel.writeAndFlush(buffer, channel.voidPromise());
        }
        channel.eventLoop().schedule(this::heartbeat, HEARTBEAT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close()
    {
        flooding = false;
        channel.close().syncUninterruptibly();
    }

    /** Counts Accepted, Result and Rejected by code; heartbeats from the Welcome on (Hello: {@link RawConnectorHandler}). */
    private final class Answers extends RawConnectorHandler
    {
        Answers()
        {
            super(writer, municipality, "chukei-flooder", welcomed);
        }

        @Override
        protected void onMessage(final MessageReader message)
        {
            switch (message.templateId())
            {
                case WelcomeDecoder.TEMPLATE_ID -> heartbeat();
                case AcceptedDecoder.TEMPLATE_ID -> accepted.incrementAndGet();
                case ResultDecoder.TEMPLATE_ID -> results.incrementAndGet();
                case RejectedDecoder.TEMPLATE_ID -> rejected.get(message.rejected().code()).incrementAndGet();
                default -> { }
            }
        }

        @Override
        protected void onWritable()
        {
            pump();
        }
    }
}
