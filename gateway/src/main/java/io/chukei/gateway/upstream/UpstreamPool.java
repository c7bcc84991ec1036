package io.chukei.gateway.upstream;

import io.chukei.gateway.admission.UpstreamLimiter.Permit;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.latency.Stage;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.gateway.relay.RelayCore;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The card-management endpoints as one forwarding target: round-robin over healthy links that
 * are not ejected ({@link EndpointEjection}), the one on the request's own event loop first
 * ({@link LinkChoice}); a failed attempt (error, timeout, lost or stalled
 * connection) is retried on another endpoint with the same request id and the possible-duplicate
 * flag, after a short back-off, until the request's deadline ends it.
 */
public final class UpstreamPool
{
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPool.class);

    /** Timing of forwards and health checks, and when an endpoint is ejected. */
    public record Settings(
        int attemptTimeoutMs, int heartbeatIntervalMs, int missedHeartbeats, int retryBackoffMs, int connectTimeoutMs,
        int ejectAfterErrors, int ejectionMs, int maxEjectionPercent, double outlierFactor, int connectionsPerEndpoint)
    {
        /** {@code eventLoops} resolves {@code upstream.connectionsPerEndpoint=0}: one connection per event loop. */
        public static Settings from(final RelayConfig.Upstream upstream, final int eventLoops)
        {
            return new Settings(upstream.attemptTimeoutMs(), upstream.heartbeatIntervalMs(), upstream.missedHeartbeats(),
                upstream.retryBackoffMs(), upstream.connectTimeoutMs(), upstream.ejectAfterErrors(), upstream.ejectionMs(),
                upstream.maxEjectionPercent(), upstream.outlierFactor(),
                upstream.connectionsPerEndpoint() > 0 ? upstream.connectionsPerEndpoint() : Math.max(1, eventLoops));
        }
    }

    private final int nodeId;
    private final RelayCore core;
    private final Journal journal;
    private final RelayMetrics metrics;
    private final Clock clock;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Settings settings;
    private final int maxFrameLength;
    private final List<HostPort> endpoints;
    // Every connection; links of one endpoint share its id (1-based), which ejection, retries and the journal use.
    private final List<UpstreamLink> links = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final EndpointEjection ejection;
    private final IntPredicate ejectedEndpoint;
    private final Counter[][] ejections;
    // Requests waiting for another attempt (back-off, or no endpoint connected), with when they began to wait.
    private final Map<InFlightRequest, Long> waiting = new ConcurrentHashMap<>();
    private volatile Runnable permitEnded = () -> { };
    private volatile boolean wokeAfterStall;
    private volatile long stallWakeNanos;

    public UpstreamPool(
        final int nodeId,
        final List<HostPort> endpoints,
        final UpstreamTls tls,
        final Settings settings,
        final int maxFrameLength,
        final RelayCore core,
        final Journal journal,
        final RelayMetrics metrics,
        final Clock clock,
        final EventLoopGroup group,
        final Class<? extends SocketChannel> channelType)
    {
        this.nodeId = nodeId;
        this.core = core;
        this.journal = journal;
        this.metrics = metrics;
        this.clock = clock;
        this.group = group;
        this.channelType = channelType;
        this.settings = settings;
        this.maxFrameLength = maxFrameLength;
        this.endpoints = List.copyOf(endpoints);
        // One connection is served by one event loop: several per endpoint spread Forward encoding and
        // Outcome decoding over the loops (a single link's loop did 4.6x the other's work at 10,000/s),
        // at the price of smaller flushes — worth it only with cores to spare (gateway/README.md).
        for (int c = 0; c < Math.max(1, settings.connectionsPerEndpoint()); c++)
        {
            for (int i = 0; i < endpoints.size(); i++)
            {
                links.add(new UpstreamLink(i + 1, endpoints.get(i), this, group.next(), tls, settings));
            }
        }
        ejection = new EndpointEjection(endpoints.size(), new EndpointEjection.Settings(settings.ejectAfterErrors(),
            settings.ejectionMs(), settings.maxEjectionPercent(), settings.outlierFactor()), System::nanoTime,
            this::endpointConnected, this::ejected);
        ejectedEndpoint = ejection::isEjected;
        ejections = new Counter[endpoints.size()][EndpointEjection.Cause.values().length];
        for (int i = 0; i < endpoints.size(); i++)
        {
            for (final EndpointEjection.Cause cause : EndpointEjection.Cause.values())
            {
                ejections[i][cause.ordinal()] = Counter.builder("chukei.upstream.ejections")
                    .description("Card-management endpoints ejected (no new forwards for a while), by endpoint and cause")
                    .tag("endpoint", endpoints.get(i).toString())
                    .tag("cause", cause.name().toLowerCase(Locale.ROOT))
                    .register(metrics.registry());
            }
        }
        metrics.gauge("chukei.upstream.healthy", "Card-management endpoints connected, answering heartbeats and " +
                "answering forwards (none waited longer than upstream.attemptTimeoutMs without an Outcome)",
            this::healthyCount);
        for (int i = 0; i < endpoints.size(); i++)
        {
            final int endpoint = i;
            io.micrometer.core.instrument.Gauge.builder("chukei.upstream.endpoint.healthy", () -> endpointHealthy(endpoint) ? 1 : 0)
                .description("1 while the endpoint is connected and answering (see chukei_upstream_healthy), else 0")
                .tag("endpoint", endpoints.get(i).toString())
                .register(metrics.registry());
        }
        metrics.gauge("chukei.upstream.ejected", "Card-management endpoints ejected right now", ejection::ejectedCount);
    }

    /**
     * One endpoint as the status page shows it: healthy (a connection answering heartbeats), how much
     * longer it is ejected (0 when not), and its recent mean latency in ms (null before any answer).
     */
    public record EndpointStatus(String endpoint, boolean healthy, long ejectedForMs, Double recentLatencyMs)
    {
    }

    /** Every endpoint's status, in configuration order. */
    public List<EndpointStatus> endpointStatus()
    {
        final List<EndpointStatus> out = new ArrayList<>(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++)
        {
            final long meanNanos = ejection.recentMeanLatencyNanos(i);
            out.add(new EndpointStatus(endpoints.get(i).toString(), endpointHealthy(i),
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(ejection.ejectedForNanos(i)),
                meanNanos < 0 ? null : meanNanos / 1_000_000.0));
        }
        return out;
    }

    /** Starts connecting every link; links reconnect on their own from then on. */
    public void start()
    {
        links.forEach(UpstreamLink::connect);
    }

    /** Closes every link whose server's certificate {@code revoked} names (after a CRL reload); see UpstreamLink. */
    public void closeLinksToRevoked(final java.util.function.Predicate<java.security.cert.X509Certificate> revoked)
    {
        for (final UpstreamLink link : links)
        {
            link.closeIfServerRevoked(revoked);
        }
    }

    /**
     * Endpoints with at least one connection that is up and answering: a stalled endpoint (connected, maybe
     * answering heartbeats, but no Outcome for a forward within {@code upstream.attemptTimeoutMs}) does not count.
     */
    public int healthyCount()
    {
        int healthy = 0;
        for (int i = 0; i < endpoints.size(); i++)
        {
            if (endpointHealthy(i))
            {
                healthy++;
            }
        }
        return healthy;
    }

    /** Ejection's view: a connection is up and answers heartbeats (ejection itself judges the answers). */
    private boolean endpointConnected(final int endpointIndex)
    {
        for (final UpstreamLink link : links)
        {
            if (link.id() == endpointIndex + 1 && link.isHealthy())
            {
                return true;
            }
        }
        return false;
    }

    private boolean endpointHealthy(final int endpointIndex)
    {
        final long now = System.nanoTime();
        final long stallNanos = TimeUnit.MILLISECONDS.toNanos(settings.attemptTimeoutMs());
        for (final UpstreamLink link : links)
        {
            if (link.id() == endpointIndex + 1 && link.isAnswering(now, stallNanos))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The node woke after a stall: every request accepted before now goes upstream flagged possible
     * duplicate from here on, since its connector may have resubmitted it through another node meanwhile.
     */
    public void flagPossibleDuplicatesAcceptedBeforeNow()
    {
        stallWakeNanos = System.nanoTime();
        wokeAfterStall = true;
    }

    boolean acceptedBeforeStall(final InFlightRequest request)
    {
        return wokeAfterStall && request.receivedNanos() - stallWakeNanos <= 0;
    }

    /** How long the request waiting longest for another attempt has waited, 0 when none waits. */
    public long oldestRetryWaitNanos(final long nowNanos)
    {
        long oldest = 0;
        for (final Long since : waiting.values())
        {
            oldest = Math.max(oldest, nowNanos - since);
        }
        return oldest;
    }

    /** Sends the request on a healthy link now (no queue, no window); retries and recovered requests come here. */
    public void forward(final InFlightRequest request, final boolean possibleDuplicate)
    {
        final UpstreamLink link = pick(request, -1);
        if (link == null)
        {
            waitForEndpoint(request);
            return;
        }
        metrics.forwarded(possibleDuplicate);
        link.send(request, possibleDuplicate);
    }

    /** Another attempt, preferably on another endpoint than {@code failedLinkId}, after the back-off. */
    void retry(final InFlightRequest request, final int failedLinkId)
    {
        if (request.isCompleted())
        {
            giveUp(request);
            return;
        }
        waiting.putIfAbsent(request, System.nanoTime());
        group.next().schedule(() -> sendRetry(request, failedLinkId), settings.retryBackoffMs(), TimeUnit.MILLISECONDS);
    }

    private void sendRetry(final InFlightRequest request, final int avoidLinkId)
    {
        if (request.isCompleted())
        {
            waiting.remove(request);
            giveUp(request);
            return;
        }
        final UpstreamLink link = pick(request, avoidLinkId);
        if (link == null)
        {
            waitForEndpoint(request);
            return;
        }
        waiting.remove(request);
        metrics.forwarded(true);
        link.send(request, true);
    }

    private void waitForEndpoint(final InFlightRequest request)
    {
        // No endpoint is healthy: wait and try again; the deadline timer ends the request if none comes back.
        waiting.putIfAbsent(request, System.nanoTime());
        group.next().schedule(() -> sendRetry(request, -1), Math.max(10, settings.retryBackoffMs()),
            TimeUnit.MILLISECONDS);
    }

    /** The link for the request's next attempt ({@link LinkChoice}), avoiding {@code avoidLinkId} if another will do. */
    private UpstreamLink pick(final InFlightRequest request, final int avoidLinkId)
    {
        final Channel connector = request.replyChannel();
        return LinkChoice.pick(links, next, avoidLinkId, connector == null ? null : connector.eventLoop(),
            ejectedEndpoint);
    }

    /** A failed attempt on the link: transport error, lost connection, attempt timeout, transient failure. */
    void attemptFailed(final int linkId, final String what)
    {
        ejection.failed(linkId - 1, what);
    }

    /** A final answer on the link after {@code latencyNanos}. */
    void answered(final int linkId, final long latencyNanos)
    {
        ejection.succeeded(linkId - 1, latencyNanos);
    }

    private void ejected(final int endpoint, final EndpointEjection.Cause cause, final long durationMs, final String why)
    {
        ejections[endpoint][cause.ordinal()].increment();
        LOG.warn("Upstream {} ({}) ejected for {} ms: {}; it takes no new forwards until then", endpoint + 1,
            endpoints.get(endpoint), durationMs, why);
    }

    /** Called whenever a place in the upstream window frees up, so queued requests can go. */
    public void onPermitEnded(final Runnable listener)
    {
        this.permitEnded = listener;
    }

    /**
     * The request ended (its deadline passed) before it was sent: give back its window place, if it
     * still holds one, without a latency sample. Every path that drops a request before sending
     * must come here, or the place is lost for good and the window shrinks until nothing moves.
     */
    void abandon(final InFlightRequest request)
    {
        endPermit(request, Permit::onIgnore);
    }

    /**
     * The request is finished and goes no further upstream: its window place back ({@link #abandon}),
     * and the hold it came with ({@link io.chukei.gateway.relay.Forwarding#forward}) dropped.
     */
    void giveUp(final InFlightRequest request)
    {
        abandon(request);
        request.drop();
    }

    /** Ends the request's window place, if it still holds one: a latency sample, or a drop (timeout, lost link). */
    void endPermit(final InFlightRequest request, final boolean dropped)
    {
        endPermit(request, dropped ? Permit::onDropped : Permit::onSuccess);
    }

    /** The one place a window place ends: taken from the request at most once, then the queue is told. */
    private void endPermit(final InFlightRequest request, final Consumer<Permit> how)
    {
        final Permit permit = request.takePermit();
        if (permit != null)
        {
            how.accept(permit);
            permitEnded.run();
        }
    }

    /** Card management's verdict: answered through the relay core; then nothing upstream refers to the request. */
    void completed(final InFlightRequest request, final OutcomeDecoder outcome)
    {
        try
        {
            core.onOutcome(request, outcome);
        }
        finally
        {
            request.drop();
        }
    }

    /** Card management answered an attempt of the request TRANSIENT_FAILURE: that attempt applied nothing. */
    void attemptNotApplied(final InFlightRequest request)
    {
        core.onAttemptNotApplied(request);
    }

    /** An Outcome for an attempt no link waits for any more: the verdict still, if the request is open. */
    void lateOutcome(final int scope, final OutcomeDecoder outcome)
    {
        core.onLateOutcome(scope, outcome);
    }

    /** Journals the attempt before it is sent: false when the journal could not record it (then it must not go). */
    boolean journalForward(final InFlightRequest request, final int linkId, final int attempt, final boolean possibleDuplicate)
    {
        return journal.appendForwarded(request.idScope(), request.idHi(), request.idLo(), linkId, attempt,
            possibleDuplicate) != Journal.APPEND_FAILED;
    }

    void upstreamLatency(final long nanos)
    {
        metrics.stages().record(Stage.UPSTREAM, nanos);
    }

    /** The first attempt leaves at {@code sentNanos}: the request's wait for upstream capacity ends. */
    void firstForwardSent(final InFlightRequest request, final long sentNanos)
    {
        final long acceptedSentNanos = request.takeAcceptedSentNanos();
        if (acceptedSentNanos != InFlightRequest.NOT_TIMED)
        {
            metrics.stages().record(Stage.QUEUED, sentNanos - acceptedSentNanos);
        }
    }

    int nodeId()
    {
        return nodeId;
    }

    Clock clock()
    {
        return clock;
    }

    int maxFrameLength()
    {
        return maxFrameLength;
    }

    Class<? extends SocketChannel> channelType()
    {
        return channelType;
    }

    public void close()
    {
        links.forEach(UpstreamLink::close);
    }
}
