package io.chukei.gateway.upstream;

import io.chukei.gateway.relay.HasRequestId;
import io.chukei.gateway.relay.InFlightRequest;

/**
 * One forward of a request on a link, waiting for its Outcome: found again by the request key an Outcome
 * carries, and linked into its link's {@link AttemptQueue} in send order. Reused once it has left both.
 */
final class Attempt implements HasRequestId
{
    InFlightRequest request;
    long sentNanos;
    // The queue's links; both null while not queued.
    Attempt older;
    Attempt newer;

    @Override
    public int idScope()
    {
        return request.idScope();
    }

    @Override
    public long idHi()
    {
        return request.idHi();
    }

    @Override
    public long idLo()
    {
        return request.idLo();
    }
}
