package io.chukei.gateway.cardsim;

import java.time.Duration;

/**
 * Failure switches of one upstream endpoint, in addition to the simulator-wide ones in {@link
 * CardSimFaults}: the same kinds, but only for the Forwards, answers and heartbeats of that
 * endpoint's connections, so a test can fail one endpoint while the others stay healthy.
 * <ul>
 *   <li>error rate and slow responses apply to Forwards received through this endpoint, drawn
 *       separately from the simulator-wide ones (both can hit);</li>
 *   <li>stall: nothing is read from this endpoint's connections and nothing is answered on
 *       them, not even heartbeats. Requests already handed to the service are still decided
 *       and recorded; their answers go out when the stall ends (and no simulator-wide stall is
 *       in progress). A duplicate of such a request sent through another endpoint is answered
 *       there at once.</li>
 * </ul>
 */
public final class EndpointFaults
{
    private final int index;
    private final CardService service;
    private final UpstreamEndpoint endpoint;
    private volatile double errorRate;
    private volatile long slowMs;
    private volatile double slowFraction;

    EndpointFaults(final int index, final CardService service, final UpstreamEndpoint endpoint)
    {
        this.index = index;
        this.service = service;
        this.endpoint = endpoint;
    }

    /** This endpoint's index: 0 for the first port. */
    public int endpoint()
    {
        return index;
    }

    /** Sets the fraction (0..1) of this endpoint's Forwards answered TRANSIENT_FAILURE. */
    public EndpointFaults errorRate(final double errorRate)
    {
        this.errorRate = CardSimFaults.checkFraction("errorRate", errorRate);
        return this;
    }

    public double errorRate()
    {
        return errorRate;
    }

    /** Adds {@code slowMs} to the service time of a fraction (0..1) of this endpoint's Forwards; 0 ms switches it off. */
    public EndpointFaults slowResponses(final long slowMs, final double fraction)
    {
        if (slowMs < 0)
        {
            throw new IllegalArgumentException("slowMs: " + slowMs + " (expected: >= 0)");
        }
        this.slowFraction = CardSimFaults.checkFraction("slowFraction", fraction);
        this.slowMs = slowMs;
        return this;
    }

    public long slowMs()
    {
        return slowMs;
    }

    public double slowFraction()
    {
        return slowFraction;
    }

    /** Stalls this endpoint for {@code duration} from now (extending a stall in progress); in effect when this returns. */
    public EndpointFaults stall(final Duration duration)
    {
        service.stall(endpoint.stall, CardSimFaults.checkStall(duration));
        return this;
    }

    /** Whether this endpoint's own stall is in progress (the simulator-wide one is {@link CardSimFaults#stalled()}). */
    public boolean stalled()
    {
        return endpoint.stall.active;
    }

    /** Ends this endpoint's stall at once, if any; unless a simulator-wide stall holds them, its answers are on their way when this returns. */
    public EndpointFaults endStall()
    {
        service.endStallNow(endpoint.stall);
        return this;
    }

    /** Switches this endpoint's faults off: no errors, no slow responses, no stall. */
    public EndpointFaults clear()
    {
        errorRate = 0;
        slowMs = 0;
        slowFraction = 0;
        return endStall();
    }

    /** The switches as JSON. */
    public String toJson()
    {
        return "{\"endpoint\":" + index
            + ",\"errorRate\":" + errorRate
            + ",\"slowMs\":" + slowMs
            + ",\"slowFraction\":" + slowFraction
            + ",\"stalled\":" + stalled()
            + ",\"stallRemainingMs\":" + endpoint.stall.remainingMs()
            + "}";
    }

    @Override
    public String toString()
    {
        return toJson();
    }
}
