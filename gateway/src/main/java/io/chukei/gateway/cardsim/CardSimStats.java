package io.chukei.gateway.cardsim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's counters. Written by the service thread, read by anyone (admin HTTP,
 * tests), hence atomics; {@link #snapshot()} gives one consistent-enough view for reports.
 */
public final class CardSimStats
{
    final AtomicLong received = new AtomicLong();
    final AtomicLong applied = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong transientFailures = new AtomicLong();
    final AtomicLong heartbeats = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    volatile int inService;
    volatile int queued;
    volatile int held;
    private final List<EndpointStats> endpoints;

    CardSimStats(final int endpointCount)
    {
        final List<EndpointStats> list = new ArrayList<>(endpointCount);
        for (int i = 0; i < endpointCount; i++)
        {
            list.add(new EndpointStats(i));
        }
        this.endpoints = List.copyOf(list);
    }

    /** What one upstream endpoint saw; the simulator-wide counters include it. */
    public static final class EndpointStats
    {
        private final int index;
        final AtomicLong received = new AtomicLong();
        final AtomicLong heartbeats = new AtomicLong();
        volatile int held;

        private EndpointStats(final int index)
        {
            this.index = index;
        }

        /** Forwards received through this endpoint. */
        public long received()
        {
            return received.get();
        }

        /** Heartbeats received through this endpoint. */
        public long heartbeats()
        {
            return heartbeats.get();
        }

        /** Answers and heartbeat replies for this endpoint's connections held back by a stall. */
        public int held()
        {
            return held;
        }

        public EndpointSnapshot snapshot()
        {
            return new EndpointSnapshot(index, received.get(), heartbeats.get(), held);
        }
    }

    /** One endpoint's counters at one moment. */
    public record EndpointSnapshot(int endpoint, long received, long heartbeats, int held)
    {
        public String toJson()
        {
            return "{\"endpoint\":" + endpoint
                + ",\"received\":" + received
                + ",\"heartbeats\":" + heartbeats
                + ",\"held\":" + held
                + "}";
        }
    }

    /** The counters at one moment. */
    public record Snapshot(
        long received,
        long applied,
        long refused,
        long duplicates,
        long transientFailures,
        long heartbeats,
        long malformed,
        int inService,
        int queued,
        int held,
        List<EndpointSnapshot> endpoints)
    {
        /**
         * As JSON. {@code applied} counts first decisions (OK and REFUSED; {@code refused} is
         * the REFUSED part), {@code held} counts answers held back by a stall (any endpoint's),
         * {@code endpoints} has one object per endpoint, in endpoint order.
         */
        public String toJson()
        {
            return "{\"received\":" + received
                + ",\"applied\":" + applied
                + ",\"refused\":" + refused
                + ",\"duplicates\":" + duplicates
                + ",\"transientFailures\":" + transientFailures
                + ",\"heartbeats\":" + heartbeats
                + ",\"malformed\":" + malformed
                + ",\"inService\":" + inService
                + ",\"queued\":" + queued
                + ",\"held\":" + held
                + ",\"endpoints\":" + endpointsJson()
                + "}";
        }

        private String endpointsJson()
        {
            final StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < endpoints.size(); i++)
            {
                json.append(i == 0 ? "" : ",").append(endpoints.get(i).toJson());
            }
            return json.append(']').toString();
        }
    }

    public Snapshot snapshot()
    {
        final List<EndpointSnapshot> perEndpoint = new ArrayList<>(endpoints.size());
        for (final EndpointStats endpoint : endpoints)
        {
            perEndpoint.add(endpoint.snapshot());
        }
        return new Snapshot(
            received.get(), applied.get(), refused.get(), duplicates.get(), transientFailures.get(),
            heartbeats.get(), malformed.get(), inService, queued, held, List.copyOf(perEndpoint));
    }

    /** The counters of endpoint {@code index} (0-based, in port order). */
    public EndpointStats endpoint(final int index)
    {
        return endpoints.get(UpstreamEndpoint.checkIndex(index, endpoints.size()));
    }

    public int endpointCount()
    {
        return endpoints.size();
    }

    /** Forwards received. */
    public long received()
    {
        return received.get();
    }

    /** Request ids decided for the first time (OK or REFUSED). */
    public long applied()
    {
        return applied.get();
    }

    /** Forwards answered with a stored outcome. */
    public long duplicates()
    {
        return duplicates.get();
    }

    /** Forwards answered TRANSIENT_FAILURE (injected, queue full, ledger failure). */
    public long transientFailures()
    {
        return transientFailures.get();
    }

    @Override
    public String toString()
    {
        return snapshot().toJson();
    }
}
