package io.chukei.bench.rawclient;

import io.chukei.gateway.transport.Transport;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.GoAwayDecoder;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.RequestIdDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * A connector written by hand that stops reading its socket and keeps sending (issue 18, item 4): mutual TLS with a
 * dev-PKI connector certificate, Hello, Welcome, then its reads switched off while it writes valid Submits, each with
 * a new id, whenever its own socket takes them (a blocking writer would do the same). Reading resumes on request;
 * every answer is then recorded by request id. Event-loop confined; the counters are read from the test thread.
 */
public final class StuckReaderConnector implements AutoCloseable
{
    private static final int SUBMITS_PER_WRITE = 16;
    /** A small receive buffer: the node's answers back up into the node after a few kilobytes, as they would on a slow link. */
    private static final int RECEIVE_BUFFER_BYTES = 16 * 1024;
    /** A small send buffer of its own too: once the node stops reading, its Submits back up here within moments. */
    private static final int SEND_BUFFER_BYTES = 32 * 1024;

    private final String municipality;
    private final EventLoopGroup group;
    private final Channel channel;
    private final FrameWriter writer = new FrameWriter();
    private final SubmitEncoder submit = new SubmitEncoder();
    private final long idHi = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    /** Completes with the time the connection closed (System.nanoTime). */
    private final CompletableFuture<Long> closed = new CompletableFuture<>();
    /** Ids handed to the socket so far are 1..handedOver (lo part); the node may have read any of them. */
    private final AtomicLong handedOver = new AtomicLong();
    /** Ids whose bytes the kernel took (write completed): 1..flushed. */
    private final AtomicLong flushed = new AtomicLong();
    private final Map<Long, Integer> acceptedCounts = new ConcurrentHashMap<>();
    private final Map<Long, Answer> finalAnswers = new ConcurrentHashMap<>();
    private final Map<Long, Integer> finalCounts = new ConcurrentHashMap<>();
    /** Final answers of this connector's ids received so far (every one, duplicates included). */
    private final AtomicLong finalAnswersReceived = new AtomicLong();
    private volatile ErrorCode goAway;
    private volatile Throwable failure;
    private volatile boolean sending;
    private final AtomicBoolean closing = new AtomicBoolean();
    private double ratePerSecond;
    private long startNs;

    private StuckReaderConnector(final InetSocketAddress node, final SslContext tls, final String municipality)
        throws InterruptedException
    {
        this.municipality = municipality;
        final Transport transport = Transport.best();
        group = transport.newGroup(1);
        channel = new Bootstrap().group(group).channel(transport.channelType())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
            .option(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
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
        channel.closeFuture().addListener(f -> closed.complete(System.nanoTime()));
    }

    /** Connects and says Hello; {@link #welcomed()} completes with the Welcome. */
    public static StuckReaderConnector open(final InetSocketAddress node, final SslContext tls, final String municipality)
        throws InterruptedException
    {
        return new StuckReaderConnector(node, tls, municipality);
    }

    public CompletableFuture<Void> welcomed()
    {
        return welcomed;
    }

    public String municipality()
    {
        return municipality;
    }

    public long idHi()
    {
        return idHi;
    }

    /** Stops reading the socket and starts sending {@code perSecond} Submits a second, as far as the socket takes them. */
    public void stopReadingAndSend(final double perSecond)
    {
        channel.eventLoop().execute(() ->
        {
            channel.config().setAutoRead(false);
            ratePerSecond = perSecond;
            startNs = System.nanoTime();
            sending = true;
            pump();
        });
    }

    /** Stops sending and reads again: everything the node queued for this connection arrives now. */
    public void stopSendingAndRead()
    {
        sending = false;
        channel.eventLoop().execute(() ->
        {
            channel.config().setAutoRead(true);
            channel.read();
        });
    }

    public long handedOver()
    {
        return handedOver.get();
    }

    public long flushed()
    {
        return flushed.get();
    }

    public boolean writable()
    {
        return channel.isWritable();
    }

    /** Completes, with the time it happened (System.nanoTime), when the connection closes. */
    public CompletableFuture<Long> closed()
    {
        return closed;
    }

    /** When the connection closed (System.nanoTime), or 0 while it is open. */
    public long closedAtNanos()
    {
        return closed.getNow(0L);
    }

    public ErrorCode goAway()
    {
        return goAway;
    }

    /** Final answers received so far, all ids: still growing while the node's queued answers arrive. */
    public long finalAnswersReceived()
    {
        return finalAnswersReceived.get();
    }

    /** What ended the connection from this side (e.g. a reset by the node), or null. */
    public Throwable failure()
    {
        return failure;
    }

    public UUID requestId(final long lo)
    {
        return new UUID(idHi, lo);
    }

    /** Every id handed to the socket (the node may have read any of them). */
    public List<UUID> sentIds()
    {
        return LongStream.rangeClosed(1, handedOver.get()).mapToObj(this::requestId).toList();
    }

    /** How many Accepted frames came for this id on this connection. */
    public int accepted(final UUID id)
    {
        return id.getMostSignificantBits() == idHi ? acceptedCounts.getOrDefault(id.getLeastSignificantBits(), 0) : 0;
    }

    /** How many final answers (Result or Rejected) came for this id on this connection. */
    public int finalAnswers(final UUID id)
    {
        return id.getMostSignificantBits() == idHi ? finalCounts.getOrDefault(id.getLeastSignificantBits(), 0) : 0;
    }

    /** The first final answer for this id on this connection, or null. */
    public Answer answer(final UUID id)
    {
        return id.getMostSignificantBits() == idHi ? finalAnswers.get(id.getLeastSignificantBits()) : null;
    }

    private void pump()
    {
        if (!sending || !channel.isActive())
        {
            return;
        }
        long due = (long)((System.nanoTime() - startNs) * ratePerSecond / 1e9) - handedOver.get();
        while (channel.isWritable() && due > 0)
        {
            final int count = (int)Math.min(SUBMITS_PER_WRITE, due);
            final ByteBuf buffer = channel.alloc().directBuffer(count * (RawFrames.MAX_SUBMIT_BODY + 16));
            final long first = handedOver.get() + 1;
            for (int n = 0; n < count; n++)
            {
                encodeSubmit(buffer, first + n);
            }
            final long last = handedOver.addAndGet(count);
            due -= count;
            channel.writeAndFlush(buffer).addListener(f ->
            {
                if (f.isSuccess())
                {
                    flushed.accumulateAndGet(last, Math::max);
                }
            });
        }
        // Unwritable: channelWritabilityChanged resumes once the node reads again. Otherwise the next millisecond's.
        if (channel.isWritable())
        {
            channel.eventLoop().schedule(this::pump, 1, TimeUnit.MILLISECONDS);
        }
    }

    private void encodeSubmit(final ByteBuf buffer, final long lo)
    {
        RawFrames.cardStatus(writer, submit, buffer, idHi, lo, municipality, cardId(lo), System.currentTimeMillis() + 120_000);
    }

    /** The card id of request {@code lo}'s CARD_STATUS Submit: a resend of that id must carry the same. */
    public static String cardId(final long lo)
    {
        return String.format("%012d", lo);
    }

    @Override
    public void close()
    {
        sending = false;
        if (closing.compareAndSet(false, true))
        {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Records every answer by request id (Hello and Welcome: {@link RawConnectorHandler}). */
    private final class Answers extends RawConnectorHandler
    {
        Answers()
        {
            super(writer, municipality, "chukei-stuck-reader", welcomed);
        }

        @Override
        protected void onMessage(final MessageReader message)
        {
            // The answers carry their request id in their own body (the reader's requestIdHi/Lo are the Submit's and
            // StatusQuery's only).
            switch (message.templateId())
            {
                case AcceptedDecoder.TEMPLATE_ID ->
                {
                    final RequestIdDecoder id = message.accepted().requestId();
                    if (id.hi() == idHi)
                    {
                        acceptedCounts.merge(id.lo(), 1, Integer::sum);
                    }
                }
                case ResultDecoder.TEMPLATE_ID ->
                {
                    final ResultDecoder result = message.result();
                    final long hi = result.requestId().hi();
                    final long lo = result.requestId().lo();
                    record(hi, lo, new Answer.Result(new UUID(hi, lo), result.nodeId(), result.status(),
                        result.upstreamCode(), result.completedEpochMs(), "", new byte[0]));
                }
                case RejectedDecoder.TEMPLATE_ID ->
                {
                    final RejectedDecoder rejected = message.rejected();
                    final long hi = rejected.requestId().hi();
                    final long lo = rejected.requestId().lo();
                    record(hi, lo, new Answer.Rejected(new UUID(hi, lo), rejected.nodeId(), rejected.code(),
                        FieldId.NULL_VAL, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), "", false));
                }
                case GoAwayDecoder.TEMPLATE_ID -> goAway = message.goAway().code();
                default -> { }
            }
        }

        private void record(final long hi, final long lo, final Answer answer)
        {
            if (hi != idHi)
            {
                return;
            }
            finalCounts.merge(lo, 1, Integer::sum);
            finalAnswersReceived.incrementAndGet();
            finalAnswers.putIfAbsent(lo, answer);
        }

        @Override
        protected void onWritable()
        {
            pump();
        }

        @Override
        protected void onFailure(final Throwable cause)
        {
            if (failure == null)
            {
                failure = cause;
            }
        }
    }
}
