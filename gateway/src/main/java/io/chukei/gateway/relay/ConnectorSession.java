package io.chukei.gateway.relay;

import io.chukei.gateway.admission.ConnectionLimiter;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.framing.SofhFrameException;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.HeartbeatDecoder;
import io.chukei.protocol.sbe.HelloDecoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.StatusQueryDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.text.SafeText;
import io.chukei.protocol.validation.ConnectorNameRule;
import io.chukei.protocol.validation.ValidationResult;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One connector session: TLS identity → Hello/Welcome → Submits and heartbeats → GoAway.
 *
 * <p>The municipality comes from the client certificate, never from the connector's word:
 * a Hello or Submit for another municipality is refused. The session counts toward its
 * municipality's connection cap from Hello on; before that it is one of the anonymous
 * connections bounded by the {@link PreHelloGuard}, which it removes at Hello, and it ends
 * with GoAway when Hello does not come in time. Bad frames and bad messages are
 * answered with Rejected and counted; the session goes on unless the stream lost its
 * framing. Writes made while reading are flushed once per read batch.
 */
public final class ConnectorSession extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorSession.class);
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();
    /**
     * How long a session that sent its GoAway keeps reading before it closes, unless the connector closes first (it
     * has its GoAway): time enough for the answers queued ahead of it to arrive anywhere but over a stalled link.
     * Past it the session waits on for what the kernel holds to be delivered, up to {@link #LINGER_MAX_MS}.
     */
    static final long LINGER_MS = 2000;
    /** The longest a session lingers after its GoAway left when the connector reads slowly (see {@link SendQueue}). */
    static final long LINGER_MAX_MS = 30_000;
    private static final long DELIVERY_CHECK_MS = 100;
    /** What the kernel still holds for the connector; a test's stand-in for {@link SendQueue#bytes}. */
    static java.util.function.ToIntFunction<Channel> unsentBytes = SendQueue::bytes;
    /** Frames of an unexpected exception named in its WARN line: enough to find the defect, no message text. */
    private static final int THROWN_AT_FRAMES = 6;
    /** Causes followed at most: a chain that loops back on itself must not hold the event loop. */
    private static final int MAX_CAUSE_DEPTH = 16;
    /**
     * The schema version the connector's Hello was written in: what the relay may send it. Kept on the channel,
     * because a final answer is written to whichever channel a request's reply goes to (see {@link #speaks}).
     */
    private static final io.netty.util.AttributeKey<Integer> CONNECTOR_VERSION =
        io.netty.util.AttributeKey.valueOf("chukei.connectorVersion");
    /** The first schema version with ErrorCode / RequestState OUTCOME_UNKNOWN. */
    public static final int OUTCOME_UNKNOWN_SINCE_VERSION = 2;

    /** What a session needs from the node. */
    public record Context(
        RelayCore core,
        RelayMetrics metrics,
        Clock clock,
        int heartbeatIntervalMs,
        int maxFrameLength,
        int maxInFlight,
        io.chukei.protocol.sbe.Durability durability,
        Supplier<ClusterSnapshot> cluster,
        Supplier<NodeState> nodeState,
        MunicipalityOfPeer identity,
        ConnectionLimiter connections,
        ConnectorSessions sessions,
        int rateLimitedReadPauseMaxMs)
    {
        /** The node's default: see connector.rateLimitedReadPauseMaxMs in gateway/README.md. */
        public static final int DEFAULT_RATE_LIMITED_READ_PAUSE_MAX_MS = 200;

        /** For a node with no cluster pushes to make (tests, benchmarks): sessions are tracked in a registry of their own. */
        public Context(
            final RelayCore core,
            final RelayMetrics metrics,
            final Clock clock,
            final int heartbeatIntervalMs,
            final int maxFrameLength,
            final int maxInFlight,
            final io.chukei.protocol.sbe.Durability durability,
            final Supplier<ClusterSnapshot> cluster,
            final Supplier<NodeState> nodeState,
            final MunicipalityOfPeer identity,
            final ConnectionLimiter connections)
        {
            this(core, metrics, clock, heartbeatIntervalMs, maxFrameLength, maxInFlight, durability, cluster, nodeState,
                identity, connections, new ConnectorSessions(), DEFAULT_RATE_LIMITED_READ_PAUSE_MAX_MS);
        }
    }

    /** Reads the municipality code bound to the peer's certificate, or null when there is none. */
    @FunctionalInterface
    public interface MunicipalityOfPeer
    {
        String municipality(Channel channel);
    }

    private enum Phase
    {
        HANDSHAKE,
        AWAIT_HELLO,
        OPEN,
        CLOSING
    }

    private final Context context;
    private final MessageReader reader = new MessageReader();
    private final long connectionId = CONNECTION_IDS.incrementAndGet();
    private final byte[] municipalityBytes = new byte[6];
    private Channel channel;
    private Phase phase = Phase.HANDSHAKE;
    private String municipality;
    private boolean pendingFlush;
    private boolean countedForMunicipality;
    private boolean readsPaused;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ConnectorSession(final Context context)
    {
        this.context = context;
    }

    public Channel channel()
    {
        return channel;
    }

    /**
     * Whether the connector on {@code channel} said Hello in schema {@code version} or later, so values added in
     * that version may be sent to it (a generated decoder of an older version throws on an enum value it lacks).
     */
    public static boolean speaks(final Channel channel, final int version)
    {
        final Integer spoken = channel == null ? null : channel.attr(CONNECTOR_VERSION).get();
        return spoken != null && spoken >= version;
    }

    public long connectionId()
    {
        return connectionId;
    }

    public String municipality()
    {
        return municipality;
    }

    /** Requests accepted on this session and not yet finally answered. */
    AtomicInteger inFlight()
    {
        return inFlight;
    }

    int maxInFlight()
    {
        return context.maxInFlight();
    }

    /** This node's own state now: anything but ACTIVE means new Submits are redirected. */
    NodeState nodeState()
    {
        return context.nodeState().get();
    }

    /** The cluster view now, as Welcome, Redirect and GoAway carry it. */
    ClusterSnapshot cluster()
    {
        return context.cluster().get();
    }

    /** True when the 6 ASCII bytes at {@code offset} are this session's certified municipality. */
    boolean mayActFor(final DirectBuffer buffer, final int offset)
    {
        for (int i = 0; i < municipalityBytes.length; i++)
        {
            if (buffer.getByte(offset + i) != municipalityBytes[i])
            {
                return false;
            }
        }
        return true;
    }

    /** Queues an answer; flushed at the end of the current read batch, or now when called from elsewhere. */
    void write(final ByteBuf frame)
    {
        if (channel.eventLoop().inEventLoop() && phase != Phase.CLOSING)
        {
            if (!readsPaused && context.rateLimitedReadPauseMaxMs() > 0)
            {
                pauseReadsIfRateLimited(frame);
            }
            channel.write(frame, channel.voidPromise());
            pendingFlush = true;
        }
        else
        {
            channel.writeAndFlush(frame, channel.voidPromise());
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        context.metrics().connectionOpened();
        context.sessions().add(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        context.metrics().connectionClosed();
        context.sessions().remove(this);
        if (countedForMunicipality)
        {
            countedForMunicipality = false;
            context.connections().closed(municipality);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof SslHandshakeCompletionEvent)
        {
            final SslHandshakeCompletionEvent handshake = (SslHandshakeCompletionEvent)event;
            if (!handshake.isSuccess())
            {
                ctx.close();
                return;
            }
            municipality = context.identity().municipality(ctx.channel());
            if (municipality == null || municipality.length() != 6)
            {
                LOG.warn("Connection {} from {}: client certificate names no municipality; closing", connectionId,
                    ctx.channel().remoteAddress());
                goAway(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED, "client certificate: no municipality identity " +
                    "(expected: one SAN URI urn:chukei:municipality:DDDDDD)");
                return;
            }
            municipality.getBytes(0, 6, municipalityBytes, 0);
            phase = Phase.AWAIT_HELLO;
        }
        else if (event instanceof PreHelloGuard.HelloDeadlinePassed)
        {
            if (phase == Phase.AWAIT_HELLO)
            {
                goAway(ErrorCode.HELLO_REQUIRED, "session: no Hello within " +
                    ((PreHelloGuard.HelloDeadlinePassed)event).timeoutMs() + " ms of the TLS handshake (expected: Hello " +
                    "first, within connector.helloTimeoutMs; nothing else extends it) (rule: HELLO_REQUIRED)");
            }
            return;
        }
        else if (event instanceof IdleStateEvent)
        {
            onIdle((IdleStateEvent)event);
        }
        ctx.fireUserEventTriggered(event);
    }

    private void onIdle(final IdleStateEvent idle)
    {
        switch (idle.state())
        {
            case READER_IDLE:
                // Before Hello the Hello deadline rules alone (PreHelloGuard): one rule, one answer, HELLO_REQUIRED.
                if (phase == Phase.OPEN)
                {
                    goAway(ErrorCode.HEARTBEAT_TIMEOUT, "no message or heartbeat from the connector within the idle timeout");
                }
                break;
            case WRITER_IDLE:
                if (phase == Phase.OPEN)
                {
                    channel.writeAndFlush(Replies.current().heartbeat(channel.alloc(), context.clock().millis(),
                        context.nodeState().get()), channel.voidPromise());
                }
                break;
            default:
                break;
        }
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            if (phase == Phase.CLOSING || phase == Phase.HANDSHAKE)
            {
                return;
            }
            final ErrorCode check = reader.wrap(frame);
            if (check != ErrorCode.NO_ERROR)
            {
                // A Submit's id is named even when the rest is unreadable: a pipelining connector learns which failed.
                context.core().rejectUnaccepted(this, reader.requestIdHi(), reader.requestIdLo(), check,
                    reader.problem().field(), -1, -1, -1, reader.problem().detail());
                return;
            }
            // A newer sender's fields this version cannot check are neither journaled nor forwarded.
            reader.toThisVersion(frame);
            dispatch(frame);
        }
        finally
        {
            frame.release();
        }
    }

    private void dispatch(final ByteBuf frame)
    {
        switch (reader.templateId())
        {
            case HelloDecoder.TEMPLATE_ID:
                onHello(reader.hello());
                break;
            case SubmitDecoder.TEMPLATE_ID:
                if (phase != Phase.OPEN)
                {
                    refuseOutOfOrder("Submit before Welcome", ErrorCode.HELLO_REQUIRED);
                    return;
                }
                context.core().onSubmit(this, reader, frame);
                break;
            case StatusQueryDecoder.TEMPLATE_ID:
                if (phase != Phase.OPEN)
                {
                    refuseOutOfOrder("StatusQuery before Welcome", ErrorCode.HELLO_REQUIRED);
                    return;
                }
                context.core().onStatusQuery(this, reader);
                break;
            case io.chukei.protocol.sbe.BatchDeclareDecoder.TEMPLATE_ID:
                if (phase != Phase.OPEN)
                {
                    refuseOutOfOrder("BatchDeclare before Welcome", ErrorCode.HELLO_REQUIRED);
                    return;
                }
                context.core().onBatchDeclare(this, reader);
                break;
            case io.chukei.protocol.sbe.BatchStatusQueryDecoder.TEMPLATE_ID:
                if (phase != Phase.OPEN)
                {
                    refuseOutOfOrder("BatchStatusQuery before Welcome", ErrorCode.HELLO_REQUIRED);
                    return;
                }
                context.core().onBatchStatusQuery(this, reader);
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
                break;
            default:
                refuseOutOfOrder("template " + reader.templateId() + " is not sent by connectors", ErrorCode.PROTOCOL_VIOLATION);
                break;
        }
    }

    private void onHello(final HelloDecoder hello)
    {
        if (phase != Phase.AWAIT_HELLO)
        {
            refuseOutOfOrder("second Hello", ErrorCode.PROTOCOL_VIOLATION);
            return;
        }
        // The version the connector writes is the one it reads.
        channel.attr(CONNECTOR_VERSION).set(reader.version());
        final String claimed = hello.municipalityCode();
        if (!municipality.equals(claimed))
        {
            goAway(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED, "municipalityCode: " + SafeText.of(claimed) + " (expected: " +
                municipality + ", the municipality of the client certificate) (rule: MUNICIPALITY_NOT_AUTHORIZED)");
            return;
        }
        if (refusedConnectorName(hello))
        {
            return;
        }
        // Counted from Hello, not from the handshake: a session that never says Hello holds none of its
        // municipality's places (it holds a pre-Hello place until the Hello deadline).
        if (context.connections().tryOpen(municipality) != null)
        {
            goAway(ErrorCode.OVERLOADED, "connections: municipality " + municipality + " already holds " +
                context.connections().connections(municipality) + " (expected: at most " +
                "admission.connections.perMunicipality) (rule: OVERLOADED)");
            return;
        }
        countedForMunicipality = true;
        final PreHelloGuard guard = channel.pipeline().get(PreHelloGuard.class);
        if (guard != null)
        {
            // Past Hello: the connection leaves the anonymous bounds and its deadline.
            channel.pipeline().remove(guard);
        }
        phase = Phase.OPEN;
        write(Replies.current().welcome(channel.alloc(), context.core().nodeId(), connectionId,
            context.heartbeatIntervalMs(), context.maxFrameLength(), context.maxInFlight(), context.durability(),
            context.cluster().get()));
    }

    /**
     * A connectorName that is not short printable ASCII is refused precisely; the session still awaits
     * a Hello (the Hello deadline runs on), so a corrected one opens it.
     */
    private boolean refusedConnectorName(final HelloDecoder hello)
    {
        final byte[] name = new byte[hello.connectorNameLength()];
        hello.getConnectorName(name, 0, name.length);
        final ValidationResult result = new ValidationResult();
        final ErrorCode code = ConnectorNameRule.check(name, result);
        if (code == ErrorCode.NO_ERROR)
        {
            return false;
        }
        context.core().rejectUnaccepted(this, 0, 0, code, result.field(), result.position(), result.codePoint(), -1,
            result.detail());
        return true;
    }

    private void refuseOutOfOrder(final String what, final ErrorCode code)
    {
        context.core().rejectUnaccepted(this, reader.requestIdHi(), reader.requestIdLo(), code, FieldId.MESSAGE_HEADER,
            -1, -1, -1, "session: " + what + " (expected: Hello, then Welcome, then Submit/StatusQuery/Heartbeat) (rule: " +
                code.name() + ")");
    }

    /** Tells the connector why the session ends and where else to go, then closes (after lingering, when open). */
    public void goAway(final ErrorCode code, final String detail)
    {
        goAway(code, detail, context.cluster().get());
    }

    /** As {@link #goAway(ErrorCode, String)}, closing as soon as the GoAway is out: the peer may have nothing more (revoked). */
    public void goAwayAndClose(final ErrorCode code, final String detail)
    {
        goAway(code, detail, context.cluster().get(), false);
    }

    private void goAway(final ErrorCode code, final String detail, final ClusterSnapshot view)
    {
        // A session that had its Welcome may have answers queued ahead of the GoAway: let them reach the connector.
        goAway(code, detail, view, phase == Phase.OPEN);
    }

    private void goAway(final ErrorCode code, final String detail, final ClusterSnapshot view, final boolean linger)
    {
        if (phase == Phase.CLOSING)
        {
            return;
        }
        phase = Phase.CLOSING;
        context.metrics().rejected(code);
        final io.netty.channel.ChannelFuture sent = channel.writeAndFlush(
            Replies.current().goAway(channel.alloc(), context.core().nodeId(), code, view, detail));
        sent.addListener(linger ? (ChannelFutureListener)this::lingerThenClose : ChannelFutureListener.CLOSE);
    }

    /**
     * Everything written before the GoAway has left for the kernel, but may not have reached the connector. Closing a
     * socket with the connector's unread Submits still in it makes Linux reset the connection and drop what it had not
     * sent yet: the tail of the answers (a connector that had stopped reading and then read again lost 404 of its
     * 1,952 accepted requests' answers so, StuckReaderSystemTest). So the node reads on, and drops (phase CLOSING),
     * what the connector still sends, and closes when the connector does, or after {@link #LINGER_MS} once the kernel
     * has delivered everything (a connector reading slowly after a stall took 10 s for its queued answers, and lost the
     * GoAway to a reset 2 s after it had left), at the latest after {@link #LINGER_MAX_MS}.
     */
    private void lingerThenClose(final io.netty.channel.ChannelFuture sent)
    {
        if (!sent.isSuccess() || !channel.isActive())
        {
            channel.close();
            return;
        }
        readsPaused = false;
        channel.config().setAutoRead(true);
        channel.eventLoop().schedule(() -> closeOnceDelivered((LINGER_MAX_MS - LINGER_MS) / DELIVERY_CHECK_MS),
            LINGER_MS, TimeUnit.MILLISECONDS);
    }

    /** Closes now if the kernel holds nothing more for the connector, or no check is left; else checks again soon. */
    private void closeOnceDelivered(final long checksLeft)
    {
        if (!channel.isActive())
        {
            return;
        }
        // UNKNOWN (no binding, no descriptor) closes as 0 does: the fixed linger alone, as before the check.
        if (checksLeft > 0 && unsentBytes.applyAsInt(channel) > 0)
        {
            channel.eventLoop().schedule(() -> closeOnceDelivered(checksLeft - 1), DELIVERY_CHECK_MS, TimeUnit.MILLISECONDS);
            return;
        }
        channel.close();
    }

    /**
     * The node left ACTIVE: GoAway with the view that says so. Before the TLS handshake there is no
     * way to speak; such a connection gets Welcome and then Redirect on its first Submit.
     * Call on the session's event loop.
     */
    void goAwayIfPastHandshake(final ErrorCode code, final String detail, final ClusterSnapshot view)
    {
        if (phase == Phase.AWAIT_HELLO || phase == Phase.OPEN)
        {
            goAway(code, detail, view);
        }
    }

    /** A changed view, to a session that had its Welcome. Call on the session's event loop. */
    void pushView(final ClusterSnapshot view)
    {
        if (phase == Phase.OPEN && channel.isActive())
        {
            context.metrics().viewPushed();
            channel.writeAndFlush(Replies.current().clusterView(channel.alloc(), context.core().nodeId(), view),
                channel.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        if (pendingFlush)
        {
            pendingFlush = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        // Back pressure: a connector that does not read its answers stops being read from. Closing, the node reads on
        // (and drops) what it sends, so that the close finds nothing unread (lingerThenClose).
        ctx.channel().config().setAutoRead(phase == Phase.CLOSING || ctx.channel().isWritable() && !readsPaused);
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * A connector just told RATE_LIMITED would have every new Submit refused until its retry-after: its
     * municipality's bucket is empty. Reading nothing from it until then (at most the configured pause) costs
     * it nothing it could have had, and leaves a flood in the TCP buffers — back pressure on the flooder —
     * instead of decoding, refusing and answering each Submit of it. What is already read is still answered.
     * Resends of known ids and StatusQueries wait as long, at most the pause, which is well inside every
     * heartbeat and attempt timeout.
     */
    private void pauseReadsIfRateLimited(final ByteBuf frame)
    {
        final long retryAfterMs = RateLimitedAnswers.retryAfterMs(frame);
        if (retryAfterMs <= 0)
        {
            return;
        }
        readsPaused = true;
        context.metrics().readPaused();
        channel.config().setAutoRead(false);
        channel.eventLoop().schedule(this::resumeReads, Math.min(retryAfterMs, context.rateLimitedReadPauseMaxMs()),
            TimeUnit.MILLISECONDS);
    }

    private void resumeReads()
    {
        readsPaused = false;
        channel.config().setAutoRead(phase == Phase.CLOSING || channel.isWritable());
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof SofhFrameException)
        {
            final SofhFrameException frameError = (SofhFrameException)cause;
            if (frameError.isFatal())
            {
                // No linger: the stream is unreadable from here on, and a hostile sender gets no more of the node's time.
                goAway(frameError.errorCode(), frameError.getMessage(), context.cluster().get(), false);
            }
            else if (phase != Phase.HANDSHAKE && phase != Phase.CLOSING)
            {
                context.core().rejectUnaccepted(this, 0, 0, frameError.errorCode(), FieldId.FRAME, -1, -1, -1,
                    frameError.getMessage() + " (rule: " + frameError.errorCode().name() + ")");
                ctx.flush();
            }
            return;
        }
        if (fromTheNetwork(cause))
        {
            // TLS failures and resets: expected noise from the network, one line each, no stack.
            LOG.debug("Connection {} from {} closed: {}", connectionId, ctx.channel().remoteAddress(),
                SafeText.of(cause.toString()));
        }
        else
        {
            // A defect of this node's own handling: it closes this connection alone, and must be seen. The message is
            // left out (it may quote a request's fields); the class and where it was thrown say what to look at.
            LOG.atWarn().addKeyValue("event", "connection-defect").addKeyValue("municipality", municipality)
                .log("Connection {} from {} ({}) closed after an unexpected {} at {}", connectionId,
                    ctx.channel().remoteAddress(), municipality, cause.getClass().getName(), thrownAt(cause));
        }
        ctx.close();
    }

    /**
     * A reset, a broken pipe, a TLS failure or bytes that are no TLS record, possibly wrapped by a decoder: the peer's
     * or the network's doing.
     */
    static boolean fromTheNetwork(final Throwable cause)
    {
        Throwable t = cause;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; t = t.getCause(), depth++)
        {
            if (t instanceof java.io.IOException || t instanceof io.netty.handler.ssl.NotSslRecordException)
            {
                return true;
            }
            if (!(t instanceof io.netty.handler.codec.DecoderException))
            {
                return false;
            }
        }
        return false;
    }

    /**
     * The innermost cause's first frames, outermost cause's class first: where a defect was thrown. An exception the
     * JIT threw without a stack (a repeated NullPointerException in hot code) gives the frames of the nearest one
     * around it that has a stack.
     */
    static String thrownAt(final Throwable cause)
    {
        Throwable innermost = cause;
        Throwable innermostWithStack = cause;
        for (int depth = 0; depth < MAX_CAUSE_DEPTH && innermost.getCause() != null && innermost.getCause() != innermost;
            depth++)
        {
            innermost = innermost.getCause();
            if (innermost.getStackTrace().length > 0)
            {
                innermostWithStack = innermost;
            }
        }
        final StringBuilder where = new StringBuilder();
        if (innermost != cause)
        {
            where.append("(caused by ").append(innermost.getClass().getName()).append(") ");
        }
        StackTraceElement[] frames = innermost.getStackTrace();
        if (frames.length == 0)
        {
            where.append("(no stack; around it) ");
            frames = innermostWithStack.getStackTrace();
        }
        for (int i = 0; i < Math.min(THROWN_AT_FRAMES, frames.length); i++)
        {
            where.append(i == 0 ? "" : " < ").append(frames[i].getClassName()).append('.').append(frames[i].getMethodName())
                .append(':').append(frames[i].getLineNumber());
        }
        return where.toString();
    }
}
