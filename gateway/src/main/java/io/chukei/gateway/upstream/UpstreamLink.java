package io.chukei.gateway.upstream;

import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.gateway.relay.RequestIdMap;
import io.chukei.gateway.tls.PeerChain;
import io.chukei.gateway.tls.PeerRecheck;
import io.chukei.protocol.codec.ByteBufAccess;
import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.framing.SofhFrameDecoder;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.ForwardEncoder;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.text.SafeText;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One persistent, pipelined connection to a card-management endpoint. All of its state is
 * confined to its event loop: a forward made on that loop is sent at once, one from another
 * thread is handed over with {@code execute}; outcomes and timers run there too.
 *
 * <p>Health is application-level: the endpoint must answer heartbeats. A stalled endpoint
 * keeps its TCP connection open and ACKs bytes, so only a missed heartbeat reveals it; the
 * link then closes, and everything outstanding on it goes to another endpoint, flagged as a
 * possible duplicate.
 */
final class UpstreamLink implements LinkChoice.Candidate
{
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLink.class);
    private static final int FORWARD_OVERHEAD = 128;
    private static final int SPARE_ATTEMPTS = 4096;
    private static final int MUNICIPALITY_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.municipalityCodeEncodingOffset();

    private final int id;
    private final HostPort endpoint;
    private final UpstreamPool pool;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    /** Whether the link speaks TLS: it then takes work from its handshake (and the server's check) on, not its connect. */
    private final boolean tls;
    // Attempts waiting for their Outcome, by request key (for the Outcome) and in send order (for the timeout).
    private final RequestIdMap<Attempt> outstanding = new RequestIdMap<>();
    private final AttemptQueue attempts = new AttemptQueue(SPARE_ATTEMPTS);
    private final long attemptTimeoutNanos;
    private final Runnable expireDueAttempts = this::expireDueAttempts;
    // The one timer for the oldest attempt's timeout; null while none is armed.
    private ScheduledFuture<?> attemptTimer;
    // A forward being sent on the loop right now: another one reached from inside it (a permit it ended let the
    // next request go) is handed over instead, so such chains never nest deeper than one send per link.
    private boolean sending;
    private final FrameWriter writer = new FrameWriter();
    private final ForwardEncoder forwardEncoder = new ForwardEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final MessageReader reader = new MessageReader();
    private final UnsafeBuffer submitView = new UnsafeBuffer(0, 0);
    private final SubmitDecoder submitDecoder = new SubmitDecoder();
    private final byte[] municipality = new byte[6];
    private volatile Channel channel;
    private volatile boolean healthy;
    private volatile boolean closed;
    // Since when forwards have waited on this link with no Outcome coming back; 0 while none waits. Written on
    // the link's loop, read by the metrics and readiness: a stalled endpoint keeps its connection (and may
    // even answer heartbeats), so only this tells it from a healthy one.
    private volatile long waitingSinceNanos;
    private int reconnectDelayMs;
    private final long heartbeatNanos;
    // When a frame was last written on the connection; a heartbeat goes out after heartbeatNanos without one.
    private long lastWriteNanos;

    UpstreamLink(
        final int id,
        final HostPort endpoint,
        final UpstreamPool pool,
        final EventLoop loop,
        final UpstreamTls tls,
        final UpstreamPool.Settings settings)
    {
        this.id = id;
        this.endpoint = endpoint;
        this.pool = pool;
        this.loop = loop;
        this.tls = tls != null;
        this.attemptTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.attemptTimeoutMs());
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(settings.heartbeatIntervalMs());
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(pool.channelType())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMs())
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    if (tls != null)
                    {
                        ch.pipeline().addLast(tls.context().newHandler(ch.alloc(), endpoint.host(), endpoint.port()),
                            new PeerRecheck(tls.peers()));
                    }
                    ch.pipeline().addLast(
                        // Forwards are written one by one; their flushes are batched per event-loop turn.
                        new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                        // Reader idle only. Netty's writer idle would swap every Forward's void promise for a real
                        // one with a listener (JFR: a promise, a listener entry and a notification per Forward);
                        // the heartbeat's own timer below reads the time of the last write instead.
                        new IdleStateHandler(settings.heartbeatIntervalMs() * settings.missedHeartbeats(), 0, 0,
                            TimeUnit.MILLISECONDS),
                        new SofhFrameDecoder(pool.maxFrameLength()),
                        new Handler());
                }
            });
    }

    @Override
    public int id()
    {
        return id;
    }

    HostPort endpoint()
    {
        return endpoint;
    }

    @Override
    public boolean isHealthy()
    {
        return healthy;
    }

    /** Connected, and no forward has waited longer than {@code stallNanos} without any Outcome on this link. */
    boolean isAnswering(final long nowNanos, final long stallNanos)
    {
        final long since = waitingSinceNanos;
        return healthy && (since == 0 || nowNanos - since <= stallNanos);
    }

    private void progressed(final long nowNanos)
    {
        waitingSinceNanos = outstanding.size() == 0 ? 0 : nowNanos;
    }

    void connect()
    {
        if (closed)
        {
            return;
        }
        bootstrap.connect(endpoint.toSocketAddress()).addListener((ChannelFuture future) ->
        {
            if (future.isSuccess())
            {
                channel = future.channel();
                if (!tls)
                {
                    established();
                }
            }
            else
            {
                scheduleReconnect();
            }
        });
    }

    /**
     * Connected, and with TLS the handshake done and the server's certificate accepted: the link takes work. Only
     * then does the reconnect back-off start afresh; a server refusing (or refused at) every handshake is retried at
     * the back-off's pace, not every 50 ms.
     */
    private void established()
    {
        reconnectDelayMs = 0;
        healthy = true;
        LOG.info("Upstream {} ({}) connected", id, endpoint);
    }

    private void scheduleReconnect()
    {
        if (closed)
        {
            return;
        }
        reconnectDelayMs = Math.min(2000, Math.max(50, reconnectDelayMs * 2));
        // Jitter so that several nodes do not reconnect to a recovering endpoint in lock-step.
        final int delay = reconnectDelayMs / 2 + ThreadLocalRandom.current().nextInt(reconnectDelayMs / 2 + 1);
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public EventLoop loop()
    {
        return loop;
    }

    /**
     * Sends a forward now when called on this link's event loop (no hand-over: the pool picks the link on the
     * loop of the request's connector where it can), else hands it to that loop.
     */
    void send(final InFlightRequest request, final boolean possibleDuplicate)
    {
        if (loop.inEventLoop() && !sending)
        {
            try
            {
                sendOnLoop(request, possibleDuplicate);
            }
            catch (final RuntimeException e)
            {
                // As the event loop would for a task: logged, and the caller's own work goes on.
                LOG.error("Upstream {} ({}): a forward failed: {}", id, endpoint, SafeText.of(e.toString()));
            }
            return;
        }
        loop.execute(() -> sendOnLoop(request, possibleDuplicate));
    }

    private void sendOnLoop(final InFlightRequest request, final boolean possibleDuplicate)
    {
        // What this send sets off (a permit it ends lets the next request go) is handed over, not nested.
        sending = true;
        try
        {
            sendNow(request, possibleDuplicate);
        }
        finally
        {
            sending = false;
        }
    }

    private void sendNow(final InFlightRequest request, final boolean possibleDuplicate)
    {
        final Channel ch = channel;
        if (request.isCompleted())
        {
            pool.giveUp(request);
            return;
        }
        if (ch == null || !ch.isActive() || !healthy)
        {
            pool.retry(request, id);
            return;
        }
        if (!request.retainSubmit())
        {
            // Completed meanwhile: its Submit is already released.
            pool.giveUp(request);
            return;
        }
        final ByteBuf submit = request.submit();
        ByteBuf frame = null;
        try
        {
            final int attempt = request.nextForwardAttempt();
            if (attempt == 0)
            {
                // Its deadline completed it first, with nothing forwarded: it must stay that way.
                pool.giveUp(request);
                return;
            }
            // Accepted before the node woke from a stall: another node may have forwarded it meanwhile.
            final boolean dup = possibleDuplicate || attempt > 1 || pool.acceptedBeforeStall(request);
            // Write-ahead: the journal says the attempt may have left before it can. A forward the journal could not
            // record (a full disk's last margin spent, a write that failed) would leave a restart believing the
            // request never left, and answering DEADLINE_EXCEEDED for what card management may have applied.
            if (!pool.journalForward(request, id, attempt, dup))
            {
                // It keeps its window place, so requests queued behind it wait in their fair queue, not in retries.
                pool.attemptNotApplied(request);
                pool.retry(request, id);
                return;
            }
            final int length = submit.readableBytes();
            ByteBufAccess.wrap(submitView, submit, submit.readerIndex(), length);
            submitDecoder.wrap(submitView, MessageHeaderDecoder.ENCODED_LENGTH, SubmitDecoder.BLOCK_LENGTH,
                SubmitDecoder.SCHEMA_VERSION);
            frame = ch.alloc().buffer(FORWARD_OVERHEAD + length);
            final ForwardEncoder forward = writer.begin(frame, forwardEncoder, FORWARD_OVERHEAD + length);
            submitView.getBytes(MUNICIPALITY_OFFSET, municipality, 0, municipality.length);
            forward.requestId().hi(request.idHi()).lo(request.idLo());
            forward.nodeId(pool.nodeId())
                .putMunicipalityCode(municipality, 0)
                .operation(submitDecoder.operation())
                .priority(submitDecoder.priority())
                .possibleDuplicate(dup ? BooleanType.TRUE : BooleanType.FALSE)
                .forwardAttempt(attempt)
                .deadlineEpochMs(request.deadlineEpochMs());
            forward.putSubmit(submitView, 0, length);
            writer.finish(forward);

            final long sentNanos = System.nanoTime();
            if (attempt == 1)
            {
                pool.firstForwardSent(request, sentNanos);
            }
            // Not cut at the request's deadline: a verdict after it is still the truth (the request turns outcome
            // unknown, not failed), so the attempt waits its full time before another is tried.
            final Attempt replaced = outstanding.put(attempts.add(request, sentNanos));
            if (replaced != null)
            {
                // Never expected (an attempt leaves this link before its request can come back to it); if it
                // happens, the newer attempt speaks for the request and the older one must not time out too.
                attempts.remove(replaced);
                attempts.recycle(replaced);
            }
            armAttemptTimer(sentNanos);
            if (waitingSinceNanos == 0)
            {
                waitingSinceNanos = sentNanos;
            }
            final ByteBuf written = frame;
            frame = null;
            ch.writeAndFlush(written, ch.voidPromise());
            lastWriteNanos = sentNanos;
        }
        finally
        {
            if (frame != null)
            {
                // Something failed before the write took the frame over (the write releases it from then on).
                frame.release();
            }
            submitView.wrap(0, 0);
            submit.release();
        }
    }

    /**
     * Arms the link's one attempt timer for the oldest attempt, unless it is armed already or none waits. Armed
     * for the oldest, not the newest: a send made while expired attempts are being handled (their ended permits
     * let queued requests go) must not put the timer off for attempts queued before it.
     */
    private void armAttemptTimer(final long nowNanos)
    {
        final long delay = attempts.nanosUntilOldestDue(nowNanos, attemptTimeoutNanos);
        if (attemptTimer == null && delay >= 0)
        {
            attemptTimer = loop.schedule(expireDueAttempts, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** The attempt timer: every attempt whose time is up goes elsewhere; the timer is armed again for the next. */
    private void expireDueAttempts()
    {
        attemptTimer = null;
        final long now = System.nanoTime();
        try
        {
            while (attempts.oldestDue(now, attemptTimeoutNanos))
            {
                final Attempt oldest = attempts.oldest();
                attempts.remove(oldest);
                final boolean waiting = outstanding.remove(oldest);
                final InFlightRequest request = oldest.request;
                attempts.recycle(oldest);
                if (waiting)
                {
                    timeOut(request);
                }
            }
        }
        finally
        {
            armAttemptTimer(now);
        }
    }

    private void timeOut(final InFlightRequest request)
    {
        try
        {
            attemptTimedOut(request);
        }
        catch (final RuntimeException e)
        {
            // One attempt's failure must not leave the others queued behind it without a timer.
            LOG.error("Upstream {} ({}): handling an attempt timeout failed: {}", id, endpoint, SafeText.of(e.toString()));
        }
    }

    private void attemptTimedOut(final InFlightRequest request)
    {
        if (outstanding.size() == 0)
        {
            // A timeout is no answer: the link stays "waiting" only while other forwards wait.
            waitingSinceNanos = 0;
        }
        pool.attemptFailed(id, "attempt timeout");
        pool.endPermit(request, true);
        pool.retry(request, id);
    }

    private void onOutcome(final OutcomeDecoder outcome)
    {
        // Card management echoes the Forward's municipality (schema version 1): one id may be in flight for two.
        final int scope = MunicipalityCodes.parse(outcome.buffer(),
            outcome.offset() + OutcomeDecoder.municipalityCodeEncodingOffset());
        final Attempt done = outstanding.remove(scope, outcome.requestId().hi(), outcome.requestId().lo());
        if (done == null)
        {
            // Late answer to an attempt that timed out and went elsewhere. Card management deduplicates by
            // (municipality, request id), so another attempt would carry the same verdict; but this one is here
            // now, and the request (outcome unknown, maybe) is still open: it answers it.
            if (outcome.status() == OutcomeStatus.OK || outcome.status() == OutcomeStatus.REFUSED)
            {
                pool.lateOutcome(scope, outcome);
            }
            return;
        }
        attempts.remove(done);
        final InFlightRequest request = done.request;
        final long now = System.nanoTime();
        final long latencyNanos = now - done.sentNanos;
        // Before anything below may send another forward on this link, which would reuse it.
        attempts.recycle(done);
        progressed(now);
        pool.upstreamLatency(latencyNanos);
        pool.endPermit(request, false);
        if (outcome.status() == OutcomeStatus.TRANSIENT_FAILURE)
        {
            pool.attemptFailed(id, "transient failure");
            // Not applied (upstream contract): this attempt cannot make the request's outcome unknown.
            pool.attemptNotApplied(request);
            pool.retry(request, id);
            return;
        }
        pool.answered(id, latencyNanos);
        pool.completed(request, outcome);
    }

    /**
     * What in an Outcome this version does not define, or null. Not guessed at: a status read as "not applied" could
     * answer DEADLINE_EXCEEDED for a request card management applied. Found before the Outcome touches its attempt:
     * that attempt alone fails ({@link #onUnreadableOutcome}), its request forwarded again as a possible duplicate.
     */
    static String undefinedValue(final OutcomeDecoder outcome)
    {
        final short status = outcome.statusRaw();
        if (status != OutcomeStatus.OK.value() && status != OutcomeStatus.REFUSED.value() &&
            status != OutcomeStatus.TRANSIENT_FAILURE.value())
        {
            return "status " + status;
        }
        final short duplicate = outcome.duplicateRaw();
        if (duplicate != BooleanType.TRUE.value() && duplicate != BooleanType.FALSE.value())
        {
            return "duplicate " + duplicate;
        }
        return null;
    }

    /**
     * An Outcome with a value this version does not define (a newer or broken card management) is not guessed at: a
     * status read as "not applied" could answer DEADLINE_EXCEEDED for an applied request. Its attempt alone fails, its
     * effect unknown, and the request is forwarded again as a possible duplicate after the back-off (card management's
     * stored outcome answers that; at its deadline it is OUTCOME_UNKNOWN). The link and the other requests waiting on it
     * are left alone: closing it moved every municipality's requests, again at each retry of one such request.
     */
    private void onUnreadableOutcome(final OutcomeDecoder outcome, final String undefined)
    {
        final int scope = MunicipalityCodes.parse(outcome.buffer(),
            outcome.offset() + OutcomeDecoder.municipalityCodeEncodingOffset());
        final Attempt done = outstanding.remove(scope, outcome.requestId().hi(), outcome.requestId().lo());
        LOG.warn("Upstream {} ({}) answered a forward with an Outcome with {}, which this version does not define; {}",
            id, endpoint, undefined, done == null ? "no attempt waits for it, ignored" :
                "that attempt's effect is unknown and the request is forwarded again");
        if (done == null)
        {
            return;
        }
        attempts.remove(done);
        final InFlightRequest request = done.request;
        attempts.recycle(done);
        progressed(System.nanoTime());
        pool.attemptFailed(id, "Outcome with " + undefined);
        pool.endPermit(request, true);
        pool.retry(request, id);
    }

    private void connectionLost()
    {
        pool.attemptFailed(id, "connection lost");
        healthy = false;
        channel = null;
        if (attemptTimer != null)
        {
            attemptTimer.cancel(false);
            attemptTimer = null;
        }
        final List<InFlightRequest> orphans = new ArrayList<>(attempts.size());
        Attempt oldest;
        while ((oldest = attempts.oldest()) != null)
        {
            attempts.remove(oldest);
            orphans.add(oldest.request);
            attempts.recycle(oldest);
        }
        outstanding.clear();
        waitingSinceNanos = 0;
        for (final InFlightRequest orphan : orphans)
        {
            pool.endPermit(orphan, true);
            pool.retry(orphan, id);
        }
        scheduleReconnect();
    }

    void close()
    {
        closed = true;
        final Channel ch = channel;
        if (ch != null)
        {
            ch.close();
        }
    }

    /**
     * Closes the connection when its server's certificate is one {@code revoked} names (a CRL reload revoked it); the
     * requests waiting on it move to another endpoint as after any lost connection. On the link's loop.
     */
    void closeIfServerRevoked(final Predicate<X509Certificate> revoked)
    {
        loop.execute(() ->
        {
            final Channel ch = channel;
            final X509Certificate server = ch == null ? null : PeerChain.leaf(ch);
            if (server != null && revoked.test(server))
            {
                LOG.warn("Upstream {} ({}): its certificate (serial {}) is revoked by the CRL reloaded; closing the link "
                    + "and moving its {} requests", id, endpoint, server.getSerialNumber().toString(16), outstanding.size());
                ch.close();
            }
        });
    }

    private final class Handler extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf frame = (ByteBuf)msg;
            try
            {
                final ErrorCode check = reader.wrap(frame);
                if (check != ErrorCode.NO_ERROR)
                {
                    LOG.warn("Upstream {} ({}) sent a bad message: {}; closing the link", id, endpoint, check);
                    ctx.close();
                    return;
                }
                if (reader.templateId() == OutcomeDecoder.TEMPLATE_ID)
                {
                    final String undefined = undefinedValue(reader.outcome());
                    if (undefined != null)
                    {
                        onUnreadableOutcome(reader.outcome(), undefined);
                        return;
                    }
                    onOutcome(reader.outcome());
                }
                else if (reader.templateId() != HeartbeatDecoder.TEMPLATE_ID)
                {
                    LOG.warn("Upstream {} ({}) sent template {}; ignored", id, endpoint, reader.templateId());
                }
            }
            finally
            {
                frame.release();
            }
        }

        // This connection's heartbeat timer: armed while the connection is active.
        private ScheduledFuture<?> heartbeatTimer;

        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            lastWriteNanos = System.nanoTime();
            heartbeatTimer = ctx.executor().schedule(() -> heartbeatIfIdle(ctx), heartbeatNanos, TimeUnit.NANOSECONDS);
            ctx.fireChannelActive();
        }

        /** A heartbeat when nothing was written for the interval, as Netty's writer-idle event did; then the next check. */
        private void heartbeatIfIdle(final ChannelHandlerContext ctx)
        {
            if (!ctx.channel().isActive())
            {
                return;
            }
            try
            {
                final long now = System.nanoTime();
                long next = heartbeatNanos - (now - lastWriteNanos);
                if (next <= 0)
                {
                    writeHeartbeat(ctx);
                    lastWriteNanos = now;
                    next = heartbeatNanos;
                }
                heartbeatTimer = ctx.executor().schedule(() -> heartbeatIfIdle(ctx), next, TimeUnit.NANOSECONDS);
            }
            catch (final RuntimeException e)
            {
                // Closed now with the real cause, not later for "missed heartbeats" once the timer has stopped.
                exceptionCaught(ctx, e);
            }
        }

        private void writeHeartbeat(final ChannelHandlerContext ctx)
        {
            final ByteBuf beat = ctx.alloc().buffer(32);
            try
            {
                final HeartbeatEncoder h = writer.begin(beat, heartbeatEncoder, HeartbeatEncoder.BLOCK_LENGTH);
                h.timestampEpochMs(pool.clock().millis()).nodeState(NodeState.ACTIVE);
                writer.finish(h);
            }
            catch (final RuntimeException e)
            {
                beat.release();
                throw e;
            }
            ctx.writeAndFlush(beat, ctx.voidPromise());
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
        {
            if (event instanceof SslHandshakeCompletionEvent && ((SslHandshakeCompletionEvent)event).isSuccess())
            {
                // PeerRecheck passes this on only for a server whose certificate it accepted again.
                established();
            }
            if (event instanceof IdleStateEvent
                && ((IdleStateEvent)event).state() == io.netty.handler.timeout.IdleState.READER_IDLE)
            {
                LOG.warn("Upstream {} ({}) missed its heartbeats; closing the link and moving its {} requests",
                    id, endpoint, outstanding.size());
                ctx.close();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (heartbeatTimer != null)
            {
                heartbeatTimer.cancel(false);
            }
            LOG.info("Upstream {} ({}) disconnected", id, endpoint);
            connectionLost();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.warn("Upstream {} ({}): {}; closing the link", id, endpoint, SafeText.of(cause.toString()));
            ctx.close();
        }
    }
}
