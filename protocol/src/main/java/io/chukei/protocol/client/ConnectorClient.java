package io.chukei.protocol.client;

import io.chukei.protocol.client.outbox.ConnectorOutbox;
import io.chukei.protocol.client.outbox.RecoveredRequest;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.RequestState;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;

import java.time.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connector's client for Chukei relay nodes: one session at a time, many requests pipelined
 * on it, every request held until its terminal answer.
 *
 * <pre>{@code
 * try (ConnectorClient client = ConnectorClient.builder()
 *         .nodes(List.of(new InetSocketAddress("relay1.example", 7400)))
 *         .sslContext(sslContext)
 *         .municipalityCode("131016")
 *         .build())
 * {
 *     Submission submission = client.send(SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012").build());
 *     submission.accepted().thenAccept(ack -> ...);       // journaled by the relay
 *     Answer answer = submission.answer().get();          // exactly one terminal answer
 * }
 * }</pre>
 *
 * <h2>Failover</h2>
 * The client talks to the municipality's home node: by default the highest-scored usable node by
 * rendezvous hashing ({@link RendezvousNodeSelector}), usable meaning ACTIVE in the relays'
 * latest cluster view and not recently failed here. It moves to the next node on a connect
 * failure, a handshake timeout, missed heartbeats, a request without Accepted/Rejected/Result
 * within {@link ConnectorClientBuilder#attemptTimeout the attempt timeout}, {@code Redirect} or
 * {@code GoAway}: at once when the next node is another usable one, after a jittered back-off
 * otherwise. An idle session on a node other than home moves home (lazy rebalance).
 *
 * <h2>Resubmission</h2>
 * When a session ends for any reason, every unresolved request, including those the relay had
 * acknowledged, is sent again on the next session with the same request id, the
 * possible-duplicate flag and the next attempt number. The relay and card management deduplicate by request id, so a request
 * takes effect at most once. The first terminal answer completes the request; any later answer
 * for the same id is dropped and counted in {@link ConnectorStats#lateAnswersDropped()}.
 *
 * <h2>Deadlines</h2>
 * When a request's deadline passes without a terminal answer, it is completed with a local
 * {@code Rejected} {@code DEADLINE_EXCEEDED} ({@link Answer.Rejected#local()} is true) and never
 * sent again. It may nevertheless have taken effect: {@link #status(UUID)}, or submitting again
 * with the same request id, finds out without risk of a second effect.
 *
 * <h2>Outcome unknown</h2>
 * A relay's {@code Rejected OUTCOME_UNKNOWN} (the deadline passed after the request was forwarded, so card
 * management may have applied it) does not complete the answer by default: the request waits, off the wire, for
 * the Result the relay pushes once card management answers, and is resent with the same id and a new deadline
 * after a move; only if nothing final comes within {@link ConnectorClientBuilder#outcomeUnknownWait} does the
 * answer complete, with that OUTCOME_UNKNOWN ({@code local()} true). Counted in
 * {@link ConnectorStats#outcomeUnknown()}. Never resubmit such a request under a new id.
 *
 * <h2>Outbox</h2>
 * With {@link ConnectorClientBuilder#outbox an outbox}, a request is recorded in a local Chronicle Queue before its
 * first send and its final answer after it; a client started on the same outbox after a crash sends every request
 * left unresolved again (same id, possible duplicate, the later of its deadline and now + the default timeout) and
 * hands it to the builder's {@code onRecovered}. An answer is delivered at least once across a crash: one the
 * application got just before the crash, before the outbox recorded it, comes again through {@code onRecovered}.
 * What an append survives: {@link io.chukei.protocol.client.outbox.OutboxDurability}.
 *
 * <h2>Threads</h2>
 * {@link #send}, {@link #submit}, {@link #status} and {@link #stats} may be called from any
 * thread; all state changes happen on one event loop, without locks. Futures complete on that
 * loop: callbacks must not block it.
 */
public final class ConnectorClient implements AutoCloseable
{
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final EventLoop loop;
    private final Clock clock;
    private final Duration defaultTimeout;
    private final String municipalityCode;
    private final TimeOrderedRequestIds ids;
    private final Counters counters = new Counters();
    private final RequestBook book;
    private final Connector connector;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConnectorClientBuilder config;
    /** Null without an outbox. */
    private final ConnectorOutbox outbox;
    private final boolean ownOutbox;
    private final List<Submission> recovered;

    ConnectorClient(final ConnectorClientBuilder config)
    {
        this.config = config;
        this.ownGroup = config.eventLoopGroup == null;
        this.group = ownGroup ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : config.eventLoopGroup;
        this.loop = group.next();
        this.clock = config.clock;
        this.defaultTimeout = config.defaultTimeout;
        this.municipalityCode = config.municipalityCode;
        this.ids = new TimeOrderedRequestIds(clock);
        this.book = new RequestBook(config.maxQueued, counters, new StatusQueries(municipalityCode), clock,
            config.outcomeUnknownWait.toMillis());
        this.connector = new Connector(config, loop, book, counters);
        this.ownOutbox = config.outboxConfig != null;
        this.outbox = ownOutbox ? openOutbox(config) : config.outbox;
        this.recovered = outbox == null ? List.of() : recover(config);
        loop.execute(connector::start);
    }

    private static ConnectorOutbox openOutbox(final ConnectorClientBuilder config)
    {
        try
        {
            return ConnectorOutbox.open(config.outboxConfig);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("connector outbox " + config.outboxConfig.directory() + " cannot be opened", ex);
        }
    }

    /** Takes this municipality's unresolved requests from the outbox; the loop runs them before connecting. */
    private List<Submission> recover(final ConnectorClientBuilder config)
    {
        book.useOutbox(outbox, loop);
        final long nowMs = clock.millis();
        final List<Submission> taken = new ArrayList<>();
        for (final RecoveredRequest request : outbox.takeUnresolved(municipalityCode))
        {
            // The process died, not the request's purpose: it gets at least the default timeout from now.
            final long deadlineEpochMs = Math.max(request.deadlineEpochMs(), nowMs + defaultTimeout.toMillis());
            final byte[] frame = request.frame();
            SubmitFrames.setDeadline(frame, deadlineEpochMs);
            final Submission submission = new Submission(request.requestId(), deadlineEpochMs, frame);
            submission.attempt = 1;
            submission.outboxIndex = request.outboxIndex();
            submission.submittedAtMs = request.submittedAtEpochMs();
            taken.add(submission);
            config.onRecovered.accept(submission);
        }
        final List<Submission> handed = List.copyOf(taken);
        loop.execute(() -> book.recover(handed));
        return handed;
    }

    public static ConnectorClientBuilder builder()
    {
        return new ConnectorClientBuilder();
    }

    /**
     * Submits a request and returns its handle. Never blocks. A request that cannot be taken
     * (a field too long to encode, the local queue full, the client closed) is answered at once
     * with a local {@code Rejected}.
     */
    public Submission send(final SubmitRequest request)
    {
        Objects.requireNonNull(request, "request");
        final UUID requestId = request.requestId() != null ? request.requestId() : ids.next();
        final long deadlineEpochMs = request.deadlineEpochMs(clock, defaultTimeout);
        final Answer.Rejected unencodable = SubmitFrames.unencodable(requestId, request);
        if (unencodable != null)
        {
            final Submission refused = new Submission(requestId, deadlineEpochMs, null);
            refused.resolve(unencodable);
            return refused;
        }
        final Submission submission = new Submission(requestId, deadlineEpochMs,
            SubmitFrames.encode(request, requestId, municipalityCode, deadlineEpochMs));
        if (!runOnLoop(() -> book.submit(submission, clock.millis())))
        {
            submission.resolve(shuttingDown(requestId));
        }
        return submission;
    }

    /** {@code send(request).answer()}: the terminal answer, exactly once. */
    public CompletableFuture<Answer> submit(final SubmitRequest request)
    {
        return send(request).answer();
    }

    /**
     * Asks the relay what it knows of {@code requestId} ({@code StatusQuery}). Completes with the
     * terminal answer when there is one, else the node's state; with a local
     * {@code DEADLINE_EXCEEDED} answer when no reply comes within the default timeout.
     */
    public CompletableFuture<RequestStatus> status(final UUID requestId)
    {
        Objects.requireNonNull(requestId, "requestId");
        final CompletableFuture<RequestStatus> future = new CompletableFuture<>();
        final long deadlineEpochMs = clock.millis() + defaultTimeout.toMillis();
        if (!runOnLoop(() -> book.status(requestId, deadlineEpochMs, future)))
        {
            future.complete(new RequestStatus(requestId, Answer.LOCAL_NODE_ID, RequestState.UNKNOWN,
                -1, Optional.of(shuttingDown(requestId))));
        }
        return future;
    }

    /**
     * Declares a batch ({@code BatchDeclare}) to the current node, and again to every node this client moves to
     * afterwards, before resubmitting anything there — so each node that receives members accounts for them. Send it
     * before the batch's first member. Completes with the node's account (or its refusal: {@link BatchStatus#code()}),
     * or a local DEADLINE_EXCEEDED after the default timeout.
     */
    public CompletableFuture<BatchStatus> declareBatch(final BatchManifest manifest)
    {
        Objects.requireNonNull(manifest, "manifest");
        final CompletableFuture<BatchStatus> future = new CompletableFuture<>();
        final long deadlineEpochMs = clock.millis() + defaultTimeout.toMillis();
        if (!runOnLoop(() -> book.declareBatch(manifest, deadlineEpochMs, future)))
        {
            future.complete(BatchCalls.local(manifest.batchId(), ErrorCode.SHUTTING_DOWN, "client closed"));
        }
        return future;
    }

    /**
     * The current node's account of a batch ({@code BatchStatusQuery}, paged to the end). After a failover members
     * may be on several nodes: {@link #batchStatusEverywhere} asks them all.
     */
    public CompletableFuture<BatchStatus> batchStatus(final long batchId)
    {
        return batchStatus(batchId, clock.millis() + defaultTimeout.toMillis());
    }

    /** {@link #batchStatus(long)} with a deadline of the caller's (a local DEADLINE_EXCEEDED after it). */
    CompletableFuture<BatchStatus> batchStatus(final long batchId, final long deadlineEpochMs)
    {
        final CompletableFuture<BatchStatus> future = new CompletableFuture<>();
        if (!runOnLoop(() -> book.batchStatus(batchId, deadlineEpochMs, future)))
        {
            future.complete(BatchCalls.local(batchId, ErrorCode.SHUTTING_DOWN, "client closed"));
        }
        return future;
    }

    /**
     * Every configured node's account of a batch, merged per sequence ({@link BatchStatus#merge}): each node answers
     * for the members it received, so the merge is the batch's whole account. Each node is asked over a short-lived
     * session of its own (the same certificate and municipality). A node that refuses for now (OVERLOADED while it
     * rebuilds its batch accounts after a start, RATE_LIMITED) is asked again after a short back-off. A node that gives
     * no account within the default timeout — silent, or still refusing — is named in {@link BatchStatus#unanswered()}
     * and left out of the merge: then a missing member may be on it.
     */
    public CompletableFuture<BatchStatus> batchStatusEverywhere(final long batchId)
    {
        return BatchStatusEverywhere.ask(batchId, config.nodes, node -> new ConnectorClient(config.forOneNode(node, group)),
            defaultTimeout, clock, group);
    }

    /** The requests an earlier client left unresolved in the outbox and this one sent again (empty without an outbox). */
    public List<Submission> recovered()
    {
        return recovered;
    }

    public ConnectorStats stats()
    {
        return counters.snapshot();
    }

    /**
     * Closes the session and completes every unresolved request with a local
     * {@code SHUTTING_DOWN}; such a request may still take effect (see {@link #status(UUID)}). With an outbox it stays
     * unresolved there, and the next client on that outbox sends it again. An outbox given to the builder as a
     * {@code ConnectorOutbox} stays open (its owner closes it); one given as a config is closed.
     * Shuts down the client's own event loop group, not one given to the builder.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        final boolean inLoop = loop.inEventLoop();
        // Deferred even on the loop, so a callback that closes the client never re-enters the book.
        final Future<?> stopped = loop.submit(() ->
        {
            connector.stop();
            book.closeAll();
        });
        if (!inLoop)
        {
            stopped.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        if (ownOutbox)
        {
            outbox.close();
        }
        if (ownGroup)
        {
            final Future<?> terminated = group.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            if (!inLoop)
            {
                terminated.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    private boolean runOnLoop(final Runnable task)
    {
        try
        {
            loop.execute(task);
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            return false;
        }
    }

    private static Answer.Rejected shuttingDown(final UUID requestId)
    {
        return Answer.Rejected.local(requestId, ErrorCode.SHUTTING_DOWN, FieldId.NONE, "client closed");
    }
}
