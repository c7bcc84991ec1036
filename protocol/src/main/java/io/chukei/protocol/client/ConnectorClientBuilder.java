package io.chukei.protocol.client;

import io.chukei.protocol.client.outbox.ConnectorOutbox;
import io.chukei.protocol.client.outbox.OutboxConfig;
import io.chukei.protocol.validation.ConnectorNameRule;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Configuration of a {@link ConnectorClient}: defaults, setters, and one {@link #build()} that
 * checks the fields against each other. Obtain one with {@link ConnectorClient#builder()}.
 */
public final class ConnectorClientBuilder
{
    List<InetSocketAddress> nodes;
    NodeSelector nodeSelector;
    SslContext sslContext;
    boolean plaintext;
    String municipalityCode;
    String connectorName = "chukei-java-sdk";
    Duration heartbeatInterval = Duration.ofMillis(400);
    int missedHeartbeats = 3;
    Duration handshakeTimeout = Duration.ofSeconds(2);
    Duration attemptTimeout = Duration.ofSeconds(1);
    Duration nodeCoolDown = Duration.ofSeconds(5);
    Duration defaultTimeout = Duration.ofSeconds(10);
    Duration reconnectInitial = Duration.ofMillis(100);
    Duration reconnectMax = Duration.ofSeconds(5);
    int maxQueued = 10_000;
    Duration outcomeUnknownWait = Duration.ofMinutes(2);
    EventLoopGroup eventLoopGroup;
    Class<? extends SocketChannel> channelType = NioSocketChannel.class;
    Clock clock = Clock.systemUTC();
    SplittableRandom random = new SplittableRandom();
    ConnectorOutbox outbox;
    OutboxConfig outboxConfig;
    Consumer<Submission> onRecovered;

    ConnectorClientBuilder()
    {
    }

    /**
     * The relay nodes' connector listeners, as in the cluster list ({@code host:port} as written
     * there: the rendezvous score and the matching of cluster views use it). One is enough for a
     * single node.
     */
    public ConnectorClientBuilder nodes(final List<InetSocketAddress> nodes)
    {
        this.nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        return this;
    }

    /**
     * Replaces the default {@link RendezvousNodeSelector} over {@link #nodes(List)} (with
     * {@link #nodeCoolDown(Duration)}), e.g. with a {@link RoundRobinNodeSelector}.
     */
    public ConnectorClientBuilder nodeSelector(final NodeSelector nodeSelector)
    {
        this.nodeSelector = Objects.requireNonNull(nodeSelector, "nodeSelector");
        return this;
    }

    /**
     * The client TLS context (TLS 1.3, the connector's certificate and key, the relay's trust
     * anchors), built by the caller, e.g. with {@code SslContextBuilder.forClient()}.
     */
    public ConnectorClientBuilder sslContext(final SslContext sslContext)
    {
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        if (!sslContext.isClient())
        {
            throw new IllegalArgumentException("sslContext: a server context (expected: a client context)");
        }
        this.plaintext = false;
        return this;
    }

    /** Talks without TLS. Only for tests against a local fake relay: real relays require TLS. */
    public ConnectorClientBuilder plaintext()
    {
        this.plaintext = true;
        this.sslContext = null;
        return this;
    }

    /** This connector's 6-digit local government code, sent in Hello and in every Submit. */
    public ConnectorClientBuilder municipalityCode(final String municipalityCode)
    {
        this.municipalityCode = Objects.requireNonNull(municipalityCode, "municipalityCode");
        return this;
    }

    /** Vendor/product/version, shown to operators. ASCII. */
    public ConnectorClientBuilder connectorName(final String connectorName)
    {
        this.connectorName = Objects.requireNonNull(connectorName, "connectorName");
        return this;
    }

    /** The interval proposed in Hello (default 400 ms); the relay's Welcome says which one is in force. */
    public ConnectorClientBuilder heartbeatInterval(final Duration heartbeatInterval)
    {
        this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        return this;
    }

    /** Intervals without any byte from the relay before the session is given up (default 3). */
    public ConnectorClientBuilder missedHeartbeats(final int missedHeartbeats)
    {
        this.missedHeartbeats = missedHeartbeats;
        return this;
    }

    /** Time from the start of a connection attempt to Welcome (default 2 s). */
    public ConnectorClientBuilder handshakeTimeout(final Duration handshakeTimeout)
    {
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        return this;
    }

    /**
     * How long a request sent on a session may wait for the node's {@code Accepted},
     * {@code Rejected} or {@code Result} (default 1 s). Past it the node is taken as not serving:
     * the session ends ({@link DisconnectReason#ATTEMPT_TIMEOUT}) and every unresolved request
     * moves to the next node. Covers only the wait after the send, not time queued locally.
     */
    public ConnectorClientBuilder attemptTimeout(final Duration attemptTimeout)
    {
        this.attemptTimeout = Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        return this;
    }

    /**
     * How long the default selector avoids a node this client left for a failure (default 5 s),
     * whatever the cluster view says of it.
     */
    public ConnectorClientBuilder nodeCoolDown(final Duration nodeCoolDown)
    {
        this.nodeCoolDown = Objects.requireNonNull(nodeCoolDown, "nodeCoolDown");
        return this;
    }

    /** Deadline of requests that set none, counted from submit (default 10 s). */
    public ConnectorClientBuilder defaultTimeout(final Duration defaultTimeout)
    {
        this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        return this;
    }

    /**
     * Back-off bounds for reconnects to the same node, or to a node not believed usable (default
     * 100 ms doubling up to 5 s), with full jitter. A move to another usable node waits only
     * 0-50 ms.
     */
    public ConnectorClientBuilder reconnectBackoff(final Duration initial, final Duration max)
    {
        this.reconnectInitial = Objects.requireNonNull(initial, "initial");
        this.reconnectMax = Objects.requireNonNull(max, "max");
        return this;
    }

    /**
     * What the SDK does with a relay's {@code Rejected OUTCOME_UNKNOWN} (the deadline passed after the request was
     * forwarded: card management may have applied it). By default (2 minutes) the request stays unresolved and the
     * SDK resolves it: the relay pushes the real Result when card management answers, and after a move to another
     * session the request is resent with the same id, {@code possibleDuplicate} and a new deadline (the end of this
     * wait). Only if nothing final comes within {@code wait} does the answer complete, as a local
     * {@code Rejected OUTCOME_UNKNOWN} — never a plain failure. {@link Duration#ZERO}: the relay's OUTCOME_UNKNOWN
     * completes the answer at once (the caller resolves it with {@code status(requestId)} or a resend).
     */
    public ConnectorClientBuilder outcomeUnknownWait(final Duration wait)
    {
        this.outcomeUnknownWait = Objects.requireNonNull(wait, "wait");
        if (wait.isNegative())
        {
            throw new IllegalArgumentException("outcomeUnknownWait: " + wait + " (expected: >= 0)");
        }
        return this;
    }

    /** Requests held locally, beyond the relay's maxInFlight, before submit fails fast with OVERLOADED (default 10,000). */
    public ConnectorClientBuilder maxQueued(final int maxQueued)
    {
        this.maxQueued = maxQueued;
        return this;
    }

    /**
     * Runs the client on one loop of this NIO group, which the caller owns and shuts down. By default
     * the client has its own.
     */
    public ConnectorClientBuilder eventLoopGroup(final EventLoopGroup eventLoopGroup)
    {
        return eventLoopGroup(eventLoopGroup, NioSocketChannel.class);
    }

    /**
     * Runs the client on one loop of this group with this channel type, which must suit the group's
     * I/O handler (e.g. Netty's native {@code EpollSocketChannel} for an epoll group, cheaper per
     * request than NIO). The caller owns the group and shuts it down.
     */
    public ConnectorClientBuilder eventLoopGroup(final EventLoopGroup eventLoopGroup, final Class<? extends SocketChannel> channelType)
    {
        this.eventLoopGroup = Objects.requireNonNull(eventLoopGroup, "eventLoopGroup");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        return this;
    }

    /** The clock for deadlines and generated request ids (default: system UTC). */
    public ConnectorClientBuilder clock(final Clock clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Records every request in a durable local outbox before its first send, and every final answer, in
     * {@code config.directory()} (opened at {@link #build()} and closed with the client). On start, every request an
     * earlier client left there unresolved (a crash, a kill -9, a close before its answer) is sent again with the
     * same id and the possible-duplicate flag, and handed to {@code onRecovered} (on the thread calling
     * {@code build()}, before it returns, so callbacks can be attached to its answer). Off by default.
     * Needs Chronicle Queue on the class path and its JVM flags (protocol/README.md, "Outbox").
     */
    public ConnectorClientBuilder outbox(final OutboxConfig config, final Consumer<Submission> onRecovered)
    {
        this.outboxConfig = Objects.requireNonNull(config, "config");
        this.outbox = null;
        this.onRecovered = Objects.requireNonNull(onRecovered, "onRecovered");
        return this;
    }

    /**
     * As {@link #outbox(OutboxConfig, Consumer)}, with an outbox the caller opened, shares between the clients of
     * one process (each takes back its own municipality's requests) and closes after them.
     */
    public ConnectorClientBuilder outbox(final ConnectorOutbox outbox, final Consumer<Submission> onRecovered)
    {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.outboxConfig = null;
        this.onRecovered = Objects.requireNonNull(onRecovered, "onRecovered");
        return this;
    }

    /** Seeds the back-off jitter; for tests that need a repeatable sequence. */
    ConnectorClientBuilder random(final SplittableRandom random)
    {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** Checks the configuration and starts a client, which connects at once in the background. */
    public ConnectorClient build()
    {
        validate();
        return new ConnectorClient(this);
    }

    void validate()
    {
        if (nodes == null || nodes.isEmpty())
        {
            throw new IllegalArgumentException("nodes: " + nodes + " (expected: at least one relay node address)");
        }
        if (sslContext == null && !plaintext)
        {
            throw new IllegalArgumentException("sslContext: null (expected: a client SslContext, or plaintext() for tests)");
        }
        if (municipalityCode == null || municipalityCode.length() != 6)
        {
            throw new IllegalArgumentException("municipalityCode: " + municipalityCode + " (expected: 6 characters)");
        }
        if (!municipalityCode.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            throw new IllegalArgumentException("municipalityCode: " + municipalityCode + " (expected: digits only)");
        }
        final String nameProblem = ConnectorNameRule.problem(connectorName);
        if (nameProblem != null)
        {
            // The relay refuses such a Hello (protocol/README.md, Hello): say so before connecting.
            throw new IllegalArgumentException(nameProblem);
        }
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(attemptTimeout, "attemptTimeout");
        if (nodeCoolDown.isNegative())
        {
            throw new IllegalArgumentException("nodeCoolDown: " + nodeCoolDown + " (expected: >= 0)");
        }
        requirePositive(defaultTimeout, "defaultTimeout");
        requirePositive(reconnectInitial, "reconnectBackoff initial");
        if (reconnectMax.compareTo(reconnectInitial) < 0)
        {
            throw new IllegalArgumentException(
                "reconnectBackoff max: " + reconnectMax + " (expected: >= initial " + reconnectInitial + ")");
        }
        if (missedHeartbeats < 1)
        {
            throw new IllegalArgumentException("missedHeartbeats: " + missedHeartbeats + " (expected: >= 1)");
        }
        if (maxQueued < 0)
        {
            throw new IllegalArgumentException("maxQueued: " + maxQueued + " (expected: >= 0)");
        }
    }

    /**
     * This configuration for a short-lived client of one node only, on {@code group} (not shut down by it): how
     * {@link ConnectorClient#batchStatusEverywhere} asks every node. The same identity and timeouts; no view
     * following, no moves.
     */
    ConnectorClientBuilder forOneNode(final InetSocketAddress node, final EventLoopGroup group)
    {
        final ConnectorClientBuilder one = new ConnectorClientBuilder();
        one.nodes = List.of(node);
        one.nodeSelector = new RoundRobinNodeSelector(List.of(node));
        one.sslContext = sslContext;
        one.plaintext = plaintext;
        one.municipalityCode = municipalityCode;
        one.connectorName = connectorName;
        one.heartbeatInterval = heartbeatInterval;
        one.missedHeartbeats = missedHeartbeats;
        one.handshakeTimeout = handshakeTimeout;
        one.attemptTimeout = attemptTimeout;
        one.nodeCoolDown = nodeCoolDown;
        one.defaultTimeout = defaultTimeout;
        one.reconnectInitial = reconnectInitial;
        one.reconnectMax = reconnectMax;
        one.maxQueued = maxQueued;
        one.outcomeUnknownWait = outcomeUnknownWait;
        one.eventLoopGroup = group;
        one.channelType = channelType;
        one.clock = clock;
        return one;
    }

    private static void requirePositive(final Duration value, final String name)
    {
        if (value.isNegative() || value.isZero())
        {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
