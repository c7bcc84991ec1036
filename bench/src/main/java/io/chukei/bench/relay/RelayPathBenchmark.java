package io.chukei.bench.relay;

import io.chukei.bench.codec.ForkOptions;
import io.chukei.bench.codec.SubmitFixtures;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalDurability;
import io.chukei.gateway.journal.RequestIndex;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.gateway.relay.ConnectorSession;
import io.chukei.gateway.relay.Forwarding;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.gateway.relay.RelayCore;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.AcceptedEncoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.chukei.protocol.sbe.OutcomeEncoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.ResultEncoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.sbe.WelcomeDecoder;
import io.chukei.protocol.validation.SubmitValidator;
import io.chukei.protocol.validation.ValidationConfig;
import io.chukei.protocol.validation.ValidationResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cost of one request through the relay's own handlers, in process, per operation:
 * <ul>
 *   <li>{@code relayOneRequest}: a ~280-byte PREISSUE_SETUP Submit frame (a new request id each
 *       time) enters a pipeline of {@link SofhFrameDecoder} and {@link ConnectorSession} as a socket
 *       read hands it over ({@code fireChannelRead}, {@code fireChannelReadComplete}); the session
 *       validates it, {@link RelayCore} journals it (Chronicle Queue, PROCESS mode, temporary
 *       directory), arms its deadline timer, writes Accepted once the journal reports it durable and
 *       forwards it; the forward is captured, and card management's Outcome (already decoded, as the
 *       upstream link hands it over) is applied with {@link RelayCore#onOutcome}, which journals it,
 *       writes the Result and remembers the answer for resends; the request object then goes back to
 *       its pool as the upstream pool lets go of it. The Accepted and Result frames are read from the
 *       channel and released.</li>
 *   <li>{@code baselineCodec}: the codec work of the same request alone: {@link MessageReader#wrap}
 *       of the Submit, its id and deadline read, an Accepted and a Result encoded with
 *       {@link FrameWriter} into a reused buffer.</li>
 *   <li>{@code baselineCodecAndValidation}: the same plus {@link SubmitValidator#validate}, the
 *       largest codec-side cost, so {@code relayOneRequest - baselineCodecAndValidation} is what the
 *       relay itself adds: journal, maps, timer, pipeline, writes.</li>
 * </ul>
 * Not included: TLS, the socket, the upstream link's Forward encoding and Outcome decoding. The
 * Outcome is applied on the connector's thread; in the relay it usually arrives on another event
 * loop, which adds a task hand-off for the Result write.
 *
 * <p>The channel uses {@link PooledByteBufAllocator#DEFAULT} as the relay's connector channels do;
 * benchmark threads are {@link io.chukei.bench.codec.EventLoopThreadExecutor} threads, leak sampling
 * is off ({@link ForkOptions}). The journal's checkpointer is not started (see {@link #setup()}), so
 * its catch-up scans do not land in the figures. The bounded store of answers ({@code AnsweredRequests}, 200,000)
 * is full after the warm-up, so each operation also evicts the eldest answer, as on a busy node.
 * Run from the worktree root after {@code mvn -B -o -q -DskipTests package}:
 * <pre>
 *   ops/chukei jmh RelayPath -prof gc                                   # full
 *   ops/chukei jmh RelayPath -f 1 -wi 5 -w 2s -i 5 -r 1s -prof gc       # quick
 * </pre>
 * Read ns/op as ratios to the baselines measured in the same run, and gc.alloc.rate.norm (B/op)
 * against the goal of at most 64 bytes per request on the hot path (the baselines allocate nothing).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsPrepend = {
    ForkOptions.EXECUTOR, ForkOptions.EXECUTOR_CLASS, ForkOptions.NO_LEAK_DETECTION})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 1)
public class RelayPathBenchmark
{
    /** The municipality of {@link SubmitFixtures#writePreissueSetup}'s Submit, and so of the session's certificate. */
    static final String MUNICIPALITY = "422011";
    static final int NODE_ID = 1;
    /** The journal's default request index capacity. */
    private static final int REQUEST_INDEX_CAPACITY = 1_000_000;
    private static final int REQUEST_ID_LO_OFFSET = SofhFrame.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH +
        SubmitDecoder.requestIdEncodingOffset() + Long.BYTES;
    private static final int OUTCOME_ID_LO_OFFSET = SofhFrame.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH +
        OutcomeDecoder.requestIdEncodingOffset() + Long.BYTES;
    private static final int TEMPLATE_ID_OFFSET = SofhFrame.HEADER_LENGTH + 2;
    private static final int SMALL_BODY = 128;
    private static final byte[] RESULT_DETAIL = "applied".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESULT_PAYLOAD = "PREISSUED".getBytes(StandardCharsets.US_ASCII);

    private final CapturingForwarding forwarding = new CapturingForwarding();
    private final MessageReader reader = new MessageReader();
    private final FrameWriter writer = new FrameWriter();
    private final AcceptedEncoder acceptedEncoder = new AcceptedEncoder();
    private final ResultEncoder resultEncoder = new ResultEncoder();
    private final ValidationResult validation = new ValidationResult();
    private SubmitValidator validator;
    private Path journalDirectory;
    private Journal journal;
    private RelayCore core;
    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private ByteBuf wire;
    private ByteBuf message;
    private ByteBuf replies;
    private ByteBuf outcomeFrame;
    private OutcomeDecoder outcome;
    private long sequence;
    private int lastFrames;
    private int lastTemplates;

    /**
     * Keeps the request {@link RelayCore} forwards, as the upstream pool would take it (with its hold,
     * dropped once the Outcome is applied, as the pool does).
     */
    static final class CapturingForwarding implements Forwarding
    {
        private InFlightRequest forwarded;

        @Override
        public io.chukei.gateway.admission.Offer reserve(final String municipality)
        {
            // No queue here: the benchmark measures the request path, not waiting for upstream capacity.
            return io.chukei.gateway.admission.Offer.QUEUED;
        }

        @Override
        public void cancel(final String municipality)
        {
        }

        @Override
        public void forward(final InFlightRequest request, final boolean possibleDuplicate)
        {
            forwarded = request;
        }

        InFlightRequest take()
        {
            final InFlightRequest request = forwarded;
            if (request == null)
            {
                throw new IllegalStateException("forwarded: none (expected: the Submit just read, accepted and forwarded)");
            }
            forwarded = null;
            return request;
        }
    }

    @Setup
    public void setup()
    {
        try
        {
            journalDirectory = Files.createTempDirectory("chukei-bench-relay-path");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Clock clock = Clock.systemUTC();
        journal = Journal.open(JournalConfig.builder().directory(journalDirectory).nodeId(NODE_ID)
            .durability(JournalDurability.PROCESS).build());
        final RelayMetrics metrics = new RelayMetrics(NODE_ID);
        // Not journal.recover(): that starts the checkpointer, whose final catch-up at close (replaying
        // every request of the run, ~2 KB/request) would run in the last measured iteration. An empty
        // index is what recover() returns for a new journal; RelayCore looks every new id up in it.
        core = new RelayCore(NODE_ID, journal, Durability.PROCESS, metrics, clock, ValidationConfig.defaults(),
            new RequestIndex(REQUEST_INDEX_CAPACITY), new io.chukei.gateway.admission.MunicipalityRateLimiter(
                io.chukei.gateway.admission.AdmissionConfig.builder().defaultRate(1_000_000, 1_000_000).build()));
        core.forwarding(forwarding);
        validator = new SubmitValidator(ValidationConfig.defaults());

        final ClusterSnapshot cluster = new ClusterSnapshot(
            List.of(new ClusterSnapshot.Node(NODE_ID, NodeState.ACTIVE, "127.0.0.1:7000")));
        final ConnectorSession.Context context = new ConnectorSession.Context(core, metrics, clock, 5_000,
            SofhFrame.DEFAULT_MAX_FRAME_LENGTH, 64, Durability.PROCESS, () -> cluster, () -> NodeState.ACTIVE,
            peer -> MUNICIPALITY, new io.chukei.gateway.admission.ConnectionLimiter(1_000));
        channel = new EmbeddedChannel(new SofhFrameDecoder(SofhFrame.DEFAULT_MAX_FRAME_LENGTH), new ConnectorSession(context));
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        pipeline = channel.pipeline();
        openSession();

        wire = PooledByteBufAllocator.DEFAULT.directBuffer(SofhFrame.HEADER_LENGTH + SubmitFixtures.MAX_BODY_LENGTH * 2);
        final int frameLength = SubmitFixtures.writePreissueSetup(
            writer, new SubmitEncoder(), wire, SubmitFixtures.deadlineADayFromNow());
        message = wire.slice(SofhFrame.HEADER_LENGTH, frameLength - SofhFrame.HEADER_LENGTH);
        replies = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        outcomeFrame = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        outcome = encodeOutcome(outcomeFrame);
    }

    @TearDown
    public void tearDown()
    {
        channel.finishAndReleaseAll();
        for (final InFlightRequest request : core.inFlight())
        {
            request.release();
        }
        journal.close();
        wire.release();
        replies.release();
        outcomeFrame.release();
        deleteRecursively(journalDirectory);
    }

    @Benchmark
    public int relayOneRequest()
    {
        // A new request id each time: a repeated one would be answered from the store of answers.
        wire.setLongLE(REQUEST_ID_LO_OFFSET, ++sequence);
        // The frame decoder releases the buffer it has read completely: keep the fixture alive.
        wire.retain();
        wire.readerIndex(0);
        pipeline.fireChannelRead(wire);
        // Flushes the session's writes and, as EmbeddedChannel reads again, runs the queued durability callback.
        pipeline.fireChannelReadComplete();
        final InFlightRequest request = forwarding.take();
        // Card management's Outcome carries the request's id, as the upstream link matches it.
        outcomeFrame.setLongLE(OUTCOME_ID_LO_OFFSET, sequence);
        outcome.sbeRewind();
        core.onOutcome(request, outcome);
        // The upstream pool lets go of the request after its verdict: the object goes back to its pool.
        request.drop();
        return drainReplies();
    }

    @Benchmark
    public int baselineCodec()
    {
        return decodeSubmit() + encodeReplies();
    }

    @Benchmark
    public int baselineCodecAndValidation()
    {
        final int decoded = decodeSubmit();
        final ErrorCode code = validator.validate(reader.submit(), reader.length(), validation);
        return decoded + code.value() + encodeReplies();
    }

    private int decodeSubmit()
    {
        if (reader.wrap(message) != ErrorCode.NO_ERROR)
        {
            return -1;
        }
        final SubmitDecoder submit = reader.submit();
        return (int)(submit.requestId().hi() ^ submit.requestId().lo() ^ submit.deadlineEpochMs());
    }

    /** An Accepted and a Result, as {@code Replies} writes them. */
    private int encodeReplies()
    {
        replies.clear();
        final AcceptedEncoder a = writer.begin(replies, acceptedEncoder, AcceptedEncoder.BLOCK_LENGTH);
        a.requestId().hi(SubmitFixtures.REQUEST_ID_HI).lo(sequence);
        a.nodeId(NODE_ID).journalPosition(sequence).durability(Durability.PROCESS).alreadyKnown(BooleanType.FALSE);
        writer.finish(a);
        final ResultEncoder r = writer.begin(replies, resultEncoder,
            SMALL_BODY + RESULT_DETAIL.length + RESULT_PAYLOAD.length);
        r.requestId().hi(SubmitFixtures.REQUEST_ID_HI).lo(sequence);
        r.nodeId(NODE_ID).status(OutcomeStatus.OK).upstreamCode(200).completedEpochMs(sequence);
        r.putDetail(RESULT_DETAIL, 0, RESULT_DETAIL.length);
        r.putPayload(RESULT_PAYLOAD, 0, RESULT_PAYLOAD.length);
        writer.finish(r);
        return replies.writerIndex();
    }

    /** Reads and releases what the relay wrote; remembers how many frames and which templates for the tests. */
    private int drainReplies()
    {
        int frames = 0;
        int templates = 0;
        ByteBuf frame;
        while ((frame = channel.readOutbound()) != null)
        {
            frames++;
            templates = templates * 100 + frame.getUnsignedShortLE(TEMPLATE_ID_OFFSET);
            frame.release();
        }
        lastFrames = frames;
        lastTemplates = templates;
        return templates;
    }

    private void openSession()
    {
        pipeline.fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        final ByteBuf hello = channel.alloc().buffer();
        final HelloEncoder h = writer.begin(hello, new HelloEncoder(), 128);
        h.municipalityCode(MUNICIPALITY).heartbeatIntervalMs(5_000).connectorName("bench");
        writer.finish(h);
        pipeline.fireChannelRead(hello);
        pipeline.fireChannelReadComplete();
        if (drainReplies() != WelcomeDecoder.TEMPLATE_ID || lastFrames != 1)
        {
            throw new IllegalStateException("Hello answered with templates " + lastTemplates + " (expected: one Welcome, " +
                WelcomeDecoder.TEMPLATE_ID + ")");
        }
    }

    /** Card management's answer to every request: OK, "applied", a short payload. */
    private static OutcomeDecoder encodeOutcome(final ByteBuf target)
    {
        final FrameWriter outcomeWriter = new FrameWriter();
        final OutcomeEncoder o = outcomeWriter.begin(target, new OutcomeEncoder(), SMALL_BODY + 64);
        o.requestId().hi(SubmitFixtures.REQUEST_ID_HI).lo(0);
        o.status(OutcomeStatus.OK).upstreamCode(200).duplicate(BooleanType.FALSE);
        o.putDetail(RESULT_DETAIL, 0, RESULT_DETAIL.length);
        o.putPayload(RESULT_PAYLOAD, 0, RESULT_PAYLOAD.length);
        outcomeWriter.finish(o);
        final MessageReader outcomeReader = new MessageReader();
        final ErrorCode code = outcomeReader.wrap(
            target.slice(SofhFrame.HEADER_LENGTH, target.readableBytes() - SofhFrame.HEADER_LENGTH));
        if (code != ErrorCode.NO_ERROR)
        {
            throw new IllegalStateException("outcome fixture: " + code + " (expected: NO_ERROR)");
        }
        return outcomeReader.outcome();
    }

    private static void deleteRecursively(final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path path : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("Cannot delete " + directory, ex);
        }
    }

    /** Frames the relay wrote in the last operation (2: Accepted, Result). */
    int lastFrames()
    {
        return lastFrames;
    }

    /** Template ids of those frames as decimal pairs, first frame first (e.g. 405: Accepted 4, Result 5). */
    int lastTemplates()
    {
        return lastTemplates;
    }

    RelayCore core()
    {
        return core;
    }

    ByteBuf wire()
    {
        return wire;
    }

    ByteBuf replies()
    {
        return replies;
    }

    ValidationResult validation()
    {
        return validation;
    }
}
