package io.chukei.gateway.upstream;

import io.chukei.gateway.admission.FairScheduler;
import io.chukei.gateway.admission.Offer;
import io.chukei.gateway.admission.Priority;
import io.chukei.gateway.admission.UpstreamDispatcher;
import io.chukei.gateway.admission.UpstreamLimiter;
import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.relay.Forwarding;
import io.chukei.gateway.relay.InFlightRequest;

/**
 * The way to card management for new requests: a place in the fair queue is reserved before
 * a request is accepted (so a full queue is an OVERLOADED answer, never an accepted request
 * that waits without bound); once accepted it queues per municipality and priority, and
 * leaves as the adaptive upstream window allows — interactive first, batch within its share.
 *
 * <p>Requests that must never be refused — recovered after a restart, or retried after a
 * failed attempt — bypass the queue and go straight to the pool.
 */
public final class FairForwarding implements Forwarding
{
    private final FairScheduler<InFlightRequest> scheduler;
    private final UpstreamLimiter limiter;
    private final UpstreamDispatcher<InFlightRequest> dispatcher;
    private final UpstreamPool pool;

    public FairForwarding(
        final FairScheduler<InFlightRequest> scheduler,
        final UpstreamLimiter limiter,
        final UpstreamPool pool,
        final RelayMetrics metrics)
    {
        this.scheduler = scheduler;
        this.limiter = limiter;
        this.pool = pool;
        this.dispatcher = new UpstreamDispatcher<>(scheduler, limiter, this::send);
        pool.onPermitEnded(this::drain);
        metrics.gauge("chukei.admission.queue.interactive", "Accepted interactive requests waiting for upstream capacity",
            () -> scheduler.size(Priority.INTERACTIVE));
        metrics.gauge("chukei.admission.queue.batch", "Accepted batch requests waiting for upstream capacity",
            () -> scheduler.size(Priority.BATCH));
        metrics.gauge("chukei.admission.upstream.limit", "Current adaptive limit of requests in flight to card management",
            limiter::currentLimit);
        metrics.gauge("chukei.admission.upstream.inflight.interactive", "Interactive requests in flight to card management",
            () -> limiter.inFlight(Priority.INTERACTIVE));
        metrics.gauge("chukei.admission.upstream.inflight.batch", "Batch requests in flight to card management",
            () -> limiter.inFlight(Priority.BATCH));
    }

    /** Takes a place in the municipality's queue before the request is accepted. */
    @Override
    public Offer reserve(final String municipality)
    {
        return scheduler.reserve(municipality);
    }

    /** Gives back a place that will not be used (the request was not accepted after all). */
    @Override
    public void cancel(final String municipality)
    {
        scheduler.cancel(municipality);
    }

    @Override
    public void forward(final InFlightRequest request, final boolean possibleDuplicate)
    {
        if (request.municipality() == null)
        {
            pool.forward(request, true);
            return;
        }
        request.firstForwardPossibleDuplicate(possibleDuplicate);
        scheduler.enqueueReserved(request.municipality(), request.priority(), request);
        dispatcher.drain();
    }

    /**
     * How long the oldest accepted request not yet sent upstream has waited at {@code nowNanos}: the oldest in
     * the fair queue (one look per waiting municipality), or one waiting for another attempt; 0 when none waits.
     */
    public long oldestUnforwardedAgeNanos(final long nowNanos)
    {
        final long oldestQueued = scheduler.oldest(InFlightRequest::receivedNanos, nowNanos);
        return Math.max(Math.max(0, nowNanos - oldestQueued), pool.oldestRetryWaitNanos(nowNanos));
    }

    private void send(final InFlightRequest request, final UpstreamLimiter.Permit permit)
    {
        if (request.isCompleted())
        {
            // Its deadline passed while it queued: nothing to send, and nothing learnt about upstream.
            permit.onIgnore();
            request.drop();
            return;
        }
        request.permit(permit);
        pool.forward(request, request.firstForwardPossibleDuplicate());
    }

    private void drain()
    {
        dispatcher.drain();
    }
}
