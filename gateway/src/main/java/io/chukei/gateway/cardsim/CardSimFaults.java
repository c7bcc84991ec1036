package io.chukei.gateway.cardsim;

import java.time.Duration;
import java.util.Objects;

/**
 * Failure switches, changeable while the simulator runs (Java API here, HTTP in
 * {@link CardSimAdminHandler}):
 * <ul>
 *   <li>error rate: the fraction of Forwards answered TRANSIENT_FAILURE without being applied;</li>
 *   <li>slow responses: extra service time for a fraction of Forwards;</li>
 *   <li>stall: for a while nothing is read from any connection and nothing is answered, not
 *       even heartbeats, while connections stay open. Requests already in service are still
 *       decided (and recorded) during the stall; their answers go out when it ends.</li>
 * </ul>
 * These apply to every endpoint; {@link #endpoint(int)} has each endpoint's own switches, which
 * apply in addition. {@link #clear()} switches off both.
 */
public final class CardSimFaults
{
    private final CardService service;
    private volatile double errorRate;
    private volatile long slowMs;
    private volatile double slowFraction;
    /** The raw value of the operation refused by {@link #refuseOperation}, or -1. */
    private volatile short refusedOperation = -1;

    CardSimFaults(final CardService service)
    {
        this.service = service;
    }

    /** Sets the fraction (0..1) of Forwards answered TRANSIENT_FAILURE. */
    public CardSimFaults errorRate(final double errorRate)
    {
        this.errorRate = checkFraction("errorRate", errorRate);
        return this;
    }

    public double errorRate()
    {
        return errorRate;
    }

    /** Adds {@code slowMs} to the service time of a fraction (0..1) of Forwards; 0 ms switches it off. */
    public CardSimFaults slowResponses(final long slowMs, final double fraction)
    {
        if (slowMs < 0)
        {
            throw new IllegalArgumentException("slowMs: " + slowMs + " (expected: >= 0)");
        }
        this.slowFraction = checkFraction("slowFraction", fraction);
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

    /** Stalls every endpoint for {@code duration} from now (extending a stall in progress); in effect when this returns. */
    public CardSimFaults stall(final Duration duration)
    {
        service.stall(service.globalStall(), checkStall(duration));
        return this;
    }

    /** Whether the simulator-wide stall is in progress (an endpoint's own: {@link EndpointFaults#stalled()}). */
    public boolean stalled()
    {
        return service.globalStall().active;
    }

    /**
     * Ends the simulator-wide stall at once, if any; answers it held are on their way when this
     * returns, except those an endpoint's own stall still holds.
     */
    public CardSimFaults endStall()
    {
        service.endStallNow(service.globalStall());
        return this;
    }

    /** The switches of endpoint {@code index} (0-based, in port order). */
    public EndpointFaults endpoint(final int index)
    {
        return service.endpoint(index).faults;
    }

    /**
     * Refuses (REFUSED, upstream code 403, recorded in the ledger as decided) every Forward of {@code operation} from
     * now on; null switches it off. For replay tests: a card-management change that refuses one operation.
     */
    public CardSimFaults refuseOperation(final io.chukei.protocol.sbe.Operation operation)
    {
        refusedOperation = operation == null ? -1 : operation.value();
        return this;
    }

    boolean refuses(final short operationRaw)
    {
        return refusedOperation >= 0 && refusedOperation == operationRaw;
    }

    /** Switches every fault off, simulator-wide and every endpoint's: no errors, no slow responses, no stall. */
    public CardSimFaults clear()
    {
        refusedOperation = -1;
        errorRate = 0;
        slowMs = 0;
        slowFraction = 0;
        for (final UpstreamEndpoint endpoint : service.endpoints())
        {
            endpoint.faults.clear();
        }
        return endStall();
    }

    /** The simulator-wide switches as JSON, each endpoint's in {@code endpoints}. */
    public String toJson()
    {
        final StringBuilder json = new StringBuilder()
            .append("{\"errorRate\":").append(errorRate)
            .append(",\"slowMs\":").append(slowMs)
            .append(",\"slowFraction\":").append(slowFraction)
            .append(",\"refusedOperation\":").append(refusedOperation)
            .append(",\"stalled\":").append(stalled())
            .append(",\"stallRemainingMs\":").append(service.globalStall().remainingMs())
            .append(",\"endpoints\":[");
        for (final UpstreamEndpoint endpoint : service.endpoints())
        {
            json.append(endpoint.index == 0 ? "" : ",").append(endpoint.faults.toJson());
        }
        return json.append("]}").toString();
    }

    @Override
    public String toString()
    {
        return toJson();
    }

    static long checkStall(final Duration duration)
    {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero())
        {
            throw new IllegalArgumentException("stall duration: " + duration + " (expected: > 0)");
        }
        return duration.toNanos();
    }

    static double checkFraction(final String name, final double value)
    {
        if (!(value >= 0.0 && value <= 1.0))
        {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 0.0..1.0)");
        }
        return value;
    }
}
