package io.chukei.gateway.upstream;

import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.InFlightRequest;
import io.chukei.gateway.relay.RelayCore;
import io.chukei.protocol.sbe.OutcomeDecoder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The card-management endpoints as one forwarding target: round-robin over healthy links;
 * a failed attempt (error, timeout, lost or stalled connection) is retried on another
 * endpoint with the same request id and the possible-duplicate flag, after a short
 * back-off, until the request's deadline ends it.
 */
public final class UpstreamPool
{
    /** Timing of forwards and health checks. */
    public record Settings(
        int attemptTimeoutMs, int heartbeatIntervalMs, int missedHeartbeats, int retryBackoffMs, int connectTimeoutMs)
    {
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
    private final List<UpstreamLink> links = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile Runnable permitEnded = () -> { };

    public UpstreamPool(
        final int nodeId,
        final List<HostPort> endpoints,
        final SslContext sslContext,
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
        for (int i = 0; i < endpoints.size(); i++)
        {
            links.add(new UpstreamLink(i + 1, endpoints.get(i), this, group.next(), sslContext, settings));
        }
        metrics.gauge("chukei.upstream.healthy", "Card-management endpoints connected and answering heartbeats",
            this::healthyCount);
    }

    /** Starts connecting every link; links reconnect on their own from then on. */
    public void start()
    {
        links.forEach(UpstreamLink::connect);
    }

    public int healthyCount()
    {
        int healthy = 0;
        for (final UpstreamLink link : links)
        {
            if (link.isHealthy())
            {
                healthy++;
            }
        }
        return healthy;
    }

    /** Sends the request on a healthy link now (no queue, no window); retries and recovered requests come here. */
    public void forward(final InFlightRequest request, final boolean possibleDuplicate)
    {
        final UpstreamLink link = pick(-1);
        if (link == null)
        {
            retryLater(request);
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
            return;
        }
        group.next().schedule(() ->
        {
            if (request.isCompleted())
            {
                return;
            }
            final UpstreamLink link = pick(failedLinkId);
            if (link == null)
            {
                retryLater(request);
                return;
            }
            metrics.forwarded(true);
            link.send(request, true);
        }, settings.retryBackoffMs(), TimeUnit.MILLISECONDS);
    }

    private void retryLater(final InFlightRequest request)
    {
        // No endpoint is healthy: wait and try again; the deadline timer ends the request if none comes back.
        group.next().schedule(() ->
        {
            if (!request.isCompleted())
            {
                final UpstreamLink link = pick(-1);
                if (link == null)
                {
                    retryLater(request);
                }
                else
                {
                    metrics.forwarded(true);
                    link.send(request, true);
                }
            }
        }, Math.max(10, settings.retryBackoffMs()), TimeUnit.MILLISECONDS);
    }

    private UpstreamLink pick(final int avoidLinkId)
    {
        final int size = links.size();
        UpstreamLink fallback = null;
        for (int i = 0; i < size; i++)
        {
            final UpstreamLink link = links.get(Math.floorMod(next.getAndIncrement(), size));
            if (link.isHealthy())
            {
                if (link.id() != avoidLinkId)
                {
                    return link;
                }
                fallback = link;
            }
        }
        return fallback;
    }

    /** Called whenever a place in the upstream window frees up, so queued requests can go. */
    public void onPermitEnded(final Runnable listener)
    {
        this.permitEnded = listener;
    }

    /** Ends the request's window place, if it still holds one: a latency sample, or a drop (timeout, lost link). */
    void endPermit(final InFlightRequest request, final boolean dropped)
    {
        final io.chukei.gateway.admission.UpstreamLimiter.Permit permit = request.takePermit();
        if (permit != null)
        {
            if (dropped)
            {
                permit.onDropped();
            }
            else
            {
                permit.onSuccess();
            }
            permitEnded.run();
        }
    }

    void completed(final InFlightRequest request, final OutcomeDecoder outcome)
    {
        core.onOutcome(request, outcome);
    }

    void journalForward(final InFlightRequest request, final int linkId, final int attempt, final boolean possibleDuplicate)
    {
        journal.appendForwarded(request.key().hi(), request.key().lo(), linkId, attempt, possibleDuplicate);
    }

    void upstreamLatency(final long nanos)
    {
        metrics.upstreamLatencyNanos(nanos);
    }

    int nodeId()
    {
        return nodeId;
    }

    Clock clock()
    {
        return clock;
    }

    int attemptTimeoutMs()
    {
        return settings.attemptTimeoutMs();
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
