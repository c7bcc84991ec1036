package io.chukei.gateway.relay;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.admission.Offer;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.AcceptedDecoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeEncoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.RejectedDecoder;
import io.chukei.protocol.sbe.ResultDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.chukei.protocol.validation.ValidationConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One connector session without sockets: a {@link SofhFrameDecoder} and a {@link ConnectorSession}
 * in an {@link EmbeddedChannel}, a real {@link RelayCore} over a real {@link Journal} in PROCESS
 * mode, and a {@link Forwarding} that only records what it is given, so the test plays card
 * management by calling {@link #answer}. Time is frozen: deadlines pass only through {@link #passTime}.
 */
final class SessionHarness implements AutoCloseable
{
    static final String MUNICIPALITY = "131016";
    static final int NODE_ID = 3;
    static final Instant NOW = Instant.parse("2026-11-30T01:00:00Z");
    static final String CARD_ID = "123456789012";

    private final Clock clock = Clock.fixed(NOW, ZoneId.of("Asia/Tokyo"));
    private final Journal journal;
    private final RelayCore core;
    private final EmbeddedChannel channel;
    private final List<InFlightRequest> forwarded = new ArrayList<>();
    private final List<Boolean> possibleDuplicates = new ArrayList<>();
    private final List<ByteBuf> framesSent = new ArrayList<>();
    private final FrameWriter writer = new FrameWriter();
    private final ConnectorSessions sessions = new ConnectorSessions();
    private final RelayMetrics metrics;
    private final io.chukei.gateway.admission.ConnectionLimiter connections = new io.chukei.gateway.admission.ConnectionLimiter(1_000);
    private volatile NodeState nodeState = NodeState.ACTIVE;
    private volatile ClusterSnapshot cluster = new ClusterSnapshot(
        List.of(new ClusterSnapshot.Node(NODE_ID, NodeState.ACTIVE, "127.0.0.1:7000")));

    SessionHarness(final Path journalDirectory, final int maxInFlight)
    {
        this(journalDirectory, maxInFlight, new io.netty.channel.ChannelHandler[0]);
    }

    /** With {@code front} handlers before the frame decoder, where the listener puts TLS and the {@link PreHelloGuard}. */
    SessionHarness(final Path journalDirectory, final int maxInFlight, final io.netty.channel.ChannelHandler... front)
    {
        journal = Journal.open(JournalConfig.builder().directory(journalDirectory).nodeId(NODE_ID).build());
        final RelayMetrics metrics = new RelayMetrics(NODE_ID);
        core = new RelayCore(NODE_ID, journal, Durability.PROCESS, metrics, clock,
            ValidationConfig.builder().clock(clock).build(), journal.recover().requests(),
            new MunicipalityRateLimiter(AdmissionConfig.builder().defaultRate(1_000_000, 1_000_000).build()));
        core.forwarding(new Forwarding()
        {
            @Override
            public Offer reserve(final String municipality)
            {
                return Offer.QUEUED;
            }

            @Override
            public void cancel(final String municipality)
            {
            }

            @Override
            public void forward(final InFlightRequest request, final boolean possibleDuplicate)
            {
                forwarded.add(request);
                possibleDuplicates.add(possibleDuplicate);
            }
        });
        this.metrics = metrics;
        // Small bounds, so tests reach them: 4 accounts of at most 100 members.
        core.batches(new io.chukei.gateway.batch.BatchLedger(4, 100));
        final ConnectorSession.Context context = new ConnectorSession.Context(core, metrics, clock, 5_000,
            SofhFrame.DEFAULT_MAX_FRAME_LENGTH, maxInFlight, Durability.PROCESS, () -> cluster, () -> nodeState,
            peer -> MUNICIPALITY, connections, sessions, ConnectorSession.Context.DEFAULT_RATE_LIMITED_READ_PAUSE_MAX_MS);
        final io.netty.channel.ChannelHandler[] handlers = java.util.Arrays.copyOf(front, front.length + 2);
        handlers[front.length] = new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH);
        handlers[front.length + 1] = new ConnectorSession(context);
        channel = new EmbeddedChannel(handlers);
        channel.freezeTime();
    }

    /** As {@link #open()}, with a Hello written in schema {@code version} (an older connector's). */
    Reply open(final int version)
    {
        handshake();
        final ByteBuf hello = hello(MUNICIPALITY);
        // The SBE header's version field, after the SOFH header: blockLength, templateId, schemaId, version.
        hello.setShortLE(SofhFrame.HEADER_LENGTH + 6, version);
        send(hello);
        return nextReply();
    }

    /** A StatusQuery for request id {@code idLo} of this harness's municipality. */
    ByteBuf statusQuery(final long idLo)
    {
        final ByteBuf frame = Unpooled.buffer();
        final io.chukei.protocol.sbe.StatusQueryEncoder query =
            writer.begin(frame, new io.chukei.protocol.sbe.StatusQueryEncoder(), 64);
        query.requestId().hi(idHi()).lo(idLo);
        query.municipalityCode(MUNICIPALITY);
        writer.finish(query);
        return frame;
    }

    /** The event loop of the session's channel, as a timer loop for requests the node adopts after a restart. */
    io.netty.channel.EventLoop loop()
    {
        return channel.eventLoop();
    }

    /** Journal entries of request {@code idLo}, readable. */
    List<io.chukei.gateway.journal.JournalEvent> trace(final long idLo)
    {
        return journal.trace(idHi(), idLo);
    }

    /** What the upstream link does as a forward attempt leaves: counts it; returns the attempt number (0: not sent). */
    int sendUpstream(final InFlightRequest request)
    {
        return request.nextForwardAttempt();
    }

    /** TLS is done (the session reads the municipality), Hello sent; returns the answer to Hello. */
    Reply open()
    {
        handshake();
        send(hello(MUNICIPALITY));
        return nextReply();
    }

    /** What the TLS handler reports once the peer's certificate is verified; the session then awaits Hello. */
    void handshake()
    {
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    }

    ByteBuf hello(final String municipality)
    {
        final ByteBuf frame = Unpooled.buffer();
        final HelloEncoder hello = writer.begin(frame, new HelloEncoder(), 128);
        hello.municipalityCode(municipality).heartbeatIntervalMs(5_000).connectorName("harness");
        writer.finish(hello);
        return frame;
    }

    /** A Hello proposing {@code heartbeatIntervalMs} (a uint32), naming the connector with {@code name}'s raw bytes. */
    ByteBuf hello(final String municipality, final long heartbeatIntervalMs, final byte[] name)
    {
        final ByteBuf frame = Unpooled.buffer();
        final HelloEncoder hello = writer.begin(frame, new HelloEncoder(), 64 + name.length);
        hello.municipalityCode(municipality).heartbeatIntervalMs(heartbeatIntervalMs).putConnectorName(name, 0, name.length);
        writer.finish(hello);
        return frame;
    }

    /** A valid CARD_STATUS for {@link #MUNICIPALITY}, due {@code deadlineAfter} from now. */
    ByteBuf cardStatus(final long idLo, final String cardId, final Duration deadlineAfter, final boolean possibleDuplicate)
    {
        return submit(idLo, Operation.CARD_STATUS, "", cardId, "", deadlineAfter, possibleDuplicate);
    }

    ByteBuf cardStatus(final long idLo)
    {
        return cardStatus(idLo, CARD_ID, Duration.ofSeconds(30), false);
    }

    /** A CERT_CHANGE: carries a personal number and an address, so it can break the text and digit rules. */
    ByteBuf certChange(final long idLo, final String personalNumber, final String address)
    {
        return submit(idLo, Operation.CERT_CHANGE, personalNumber, CARD_ID, address, Duration.ofSeconds(30), false);
    }

    private ByteBuf submit(final long idLo, final Operation operation, final String personalNumber, final String cardId,
        final String address, final Duration deadlineAfter, final boolean possibleDuplicate)
    {
        final ByteBuf frame = Unpooled.buffer();
        final SubmitEncoder submit = writer.begin(frame, new SubmitEncoder(), 512);
        submit.requestId().hi(idHi()).lo(idLo);
        submit.municipalityCode(MUNICIPALITY).operation(operation).priority(Priority.INTERACTIVE)
            .possibleDuplicate(possibleDuplicate ? BooleanType.TRUE : BooleanType.FALSE).attempt(possibleDuplicate ? 2 : 1)
            .deadlineEpochMs(NOW.plus(deadlineAfter).toEpochMilli())
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue())
            .personalNumber(personalNumber).residentCode("").dateOfBirth("");
        submit.nameKanji("").nameKana("").address(address).cardId(cardId).applicationId("");
        submit.putPinBlock(new byte[0], 0, 0);
        writer.finish(submit);
        return frame;
    }

    /** A CARD_STATUS that is member {@code sequence} of {@code size} in batch {@code batchId}. */
    ByteBuf batchMember(final long idLo, final long batchId, final long sequence, final long size)
    {
        final ByteBuf frame = Unpooled.buffer();
        final SubmitEncoder submit = writer.begin(frame, new SubmitEncoder(), 512);
        submit.requestId().hi(idHi()).lo(idLo);
        submit.municipalityCode(MUNICIPALITY).operation(Operation.CARD_STATUS).priority(Priority.BATCH)
            .possibleDuplicate(BooleanType.FALSE).attempt(1).deadlineEpochMs(NOW.plus(Duration.ofSeconds(30)).toEpochMilli())
            .batchId(batchId).batchSequence(sequence).batchSize(size).personalNumber("").residentCode("").dateOfBirth("");
        submit.nameKanji("").nameKana("").address("").cardId(CARD_ID).applicationId("");
        submit.putPinBlock(new byte[0], 0, 0);
        writer.finish(submit);
        return frame;
    }

    /** A BatchDeclare naming {@code municipality}. */
    ByteBuf batchDeclare(final long batchId, final long size, final byte[] digest, final String municipality)
    {
        final ByteBuf frame = Unpooled.buffer();
        final io.chukei.protocol.sbe.BatchDeclareEncoder declare =
            writer.begin(frame, new io.chukei.protocol.sbe.BatchDeclareEncoder(), 64);
        declare.batchId(batchId).municipalityCode(municipality).batchSize(size).putMemberDigest(digest, 0, 32);
        writer.finish(declare);
        return frame;
    }

    /** A BatchStatusQuery naming {@code municipality}, from sequence 1. */
    ByteBuf batchQuery(final long batchId, final String municipality)
    {
        final ByteBuf frame = Unpooled.buffer();
        final io.chukei.protocol.sbe.BatchStatusQueryEncoder query =
            writer.begin(frame, new io.chukei.protocol.sbe.BatchStatusQueryEncoder(), 64);
        query.batchId(batchId).municipalityCode(municipality).fromSequence(1);
        writer.finish(query);
        return frame;
    }

    Journal journal()
    {
        return journal;
    }

    static long idHi()
    {
        return 0x0190c6a852e47b31L;
    }

    /**
     * The bytes go through the pipeline as a socket read hands them over, but the read batch does not end:
     * the event loop's queued tasks (deadline expiries, consolidated flushes) have not run yet.
     */
    void receive(final ByteBuf frame)
    {
        framesSent.add(frame);
        channel.pipeline().fireChannelRead(frame);
    }

    /** {@link #receive}, the end of the read batch (flush), then the event loop's queued tasks. */
    void send(final ByteBuf frame)
    {
        receive(frame);
        channel.pipeline().fireChannelReadComplete();
        runQueuedTasks();
    }

    void runQueuedTasks()
    {
        channel.runPendingTasks();
    }

    /** Moves the frozen event-loop clock on and runs the timers that came due. */
    void passTime(final Duration duration)
    {
        channel.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /** Card management's final answer to a forwarded request, as the upstream link hands it over. */
    void answer(final InFlightRequest request, final OutcomeStatus status, final String detail, final byte[] payload)
    {
        answer(request, request.idLo(), status, detail, payload);
    }

    /** An Outcome for request id {@code idLo} handed over with {@code request}, which may be a stale reference. */
    void answer(
        final InFlightRequest request, final long idLo, final OutcomeStatus status, final String detail, final byte[] payload)
    {
        final ByteBuf frame = Unpooled.buffer();
        final OutcomeEncoder outcome = writer.begin(frame, new OutcomeEncoder(), 512);
        outcome.requestId().hi(idHi()).lo(idLo);
        outcome.status(status).upstreamCode(200).duplicate(BooleanType.FALSE).detail(detail);
        outcome.putPayload(payload, 0, payload.length);
        writer.finish(outcome);
        final MessageReader reader = new MessageReader();
        assertThat(reader.wrap(frame.slice(SofhFrame.HEADER_LENGTH, frame.readableBytes() - SofhFrame.HEADER_LENGTH)))
            .isEqualTo(ErrorCode.NO_ERROR);
        try
        {
            core.onOutcome(request, reader.outcome());
        }
        finally
        {
            frame.release();
        }
    }

    /** The next frame the relay wrote, decoded; the written buffer is released here and must be freed by that. */
    Reply nextReply()
    {
        final ByteBuf frame = channel.readOutbound();
        assertThat(frame).as("a frame written by the relay").isNotNull();
        final byte[] bytes = ByteBufUtil.getBytes(frame);
        assertThat(frame.release()).as("the written frame's last reference").isTrue();
        return Reply.of(bytes);
    }

    /** Frames the relay wrote and the test has not read yet. */
    int pendingReplies()
    {
        return channel.outboundMessages().size();
    }

    /** This node's own state and view from now on, as the cluster view would change them. */
    void nodeState(final NodeState state, final ClusterSnapshot view)
    {
        nodeState = state;
        cluster = view;
    }

    /** The node's session registry, as RelayNode uses it for GoAway and view pushes. */
    ConnectorSessions sessions()
    {
        return sessions;
    }

    RelayMetrics metrics()
    {
        return metrics;
    }

    /** The per-municipality connection cap the session counts itself in from Hello on. */
    io.chukei.gateway.admission.ConnectionLimiter connectionLimiter()
    {
        return connections;
    }

    boolean channelOpen()
    {
        return channel.isOpen();
    }

    /** {@code cause} reaches the session as a handler before it would have thrown it. */
    void failInPipeline(final Throwable cause)
    {
        channel.pipeline().fireExceptionCaught(cause);
        channel.runPendingTasks();
    }

    /**
     * The way upstream lets go of a forwarded request, as the upstream pool does once card management's
     * verdict is applied; the harness otherwise keeps every forwarded request held.
     */
    void letGo(final InFlightRequest request)
    {
        request.drop();
    }

    List<InFlightRequest> forwarded()
    {
        return forwarded;
    }

    List<Boolean> possibleDuplicates()
    {
        return possibleDuplicates;
    }

    RelayCore core()
    {
        return core;
    }

    /** Journal entry types of one request, in journal order. */
    List<JournalEventType> journaled(final long idLo)
    {
        return journal.trace(idHi(), idLo).stream().map(e -> e.type()).collect(Collectors.toList());
    }

    /** Frames given to the pipeline that still hold a reference (the relay must release each one). */
    List<ByteBuf> unreleasedFramesSent()
    {
        return framesSent.stream().filter(f -> f.refCnt() != 0).collect(Collectors.toList());
    }

    /**
     * Closes the channel (releasing unread frames), gives up requests still in flight, closes the journal.
     * Call {@link #unreleasedFramesSent()} after this.
     */
    @Override
    public void close()
    {
        channel.finishAndReleaseAll();
        for (final InFlightRequest request : core.inFlight())
        {
            request.release();
        }
        journal.close();
    }

    /** A frame the relay wrote, decoded from a copy of its bytes. */
    static final class Reply
    {
        private final MessageReader reader = new MessageReader();

        private Reply()
        {
        }

        static Reply of(final byte[] frame)
        {
            final Reply reply = new Reply();
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            assertThat(reply.reader.wrap(buffer, SofhFrame.HEADER_LENGTH, frame.length - SofhFrame.HEADER_LENGTH))
                .isEqualTo(ErrorCode.NO_ERROR);
            return reply;
        }

        int templateId()
        {
            return reader.templateId();
        }

        WelcomeDecoder welcome()
        {
            return reader.welcome();
        }

        AcceptedDecoder accepted()
        {
            return reader.accepted();
        }

        ResultDecoder result()
        {
            return reader.result();
        }

        RejectedDecoder rejected()
        {
            return reader.rejected();
        }

        io.chukei.protocol.sbe.StatusReplyDecoder statusReply()
        {
            return reader.statusReply();
        }

        io.chukei.protocol.sbe.RedirectDecoder redirect()
        {
            return reader.redirect();
        }

        io.chukei.protocol.sbe.GoAwayDecoder goAway()
        {
            return reader.goAway();
        }

        io.chukei.protocol.sbe.ClusterViewDecoder clusterView()
        {
            return reader.clusterView();
        }

        io.chukei.protocol.sbe.BatchStatusReplyDecoder batchStatusReply()
        {
            assertThat(reader.templateId()).isEqualTo(io.chukei.protocol.sbe.BatchStatusReplyDecoder.TEMPLATE_ID);
            return reader.batchStatusReply();
        }
    }
}
