package io.chukei.bench.admission;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One scenario's traffic: several streams merged into a single open-loop schedule. Request
 * {@code i} is due {@code i / R} seconds after the scenario starts, where {@code R} is the sum
 * of the streams' rates, whatever happened to earlier requests; each request goes to a stream
 * drawn with probability proportional to its rate, and to a municipality drawn uniformly within
 * that stream. So every stream gets its rate on average, and a stall shows as latency, never as
 * a lower offered rate.
 */
record Scenario(String name, String description, List<Stream> streams)
{
    private static final double NANOS_PER_SECOND = 1e9;

    Scenario
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        streams = List.copyOf(streams);
        if (streams.isEmpty())
        {
            throw new IllegalArgumentException("streams: [] (expected: at least one)");
        }
    }

    double totalRatePerSecond()
    {
        double total = 0;
        for (final Stream stream : streams)
        {
            total += stream.ratePerSecond();
        }
        return total;
    }

    /** Requests due in the first {@code durationNs} of the scenario: floor(R x duration). */
    long requestsWithin(final long durationNs)
    {
        if (durationNs < 0)
        {
            throw new IllegalArgumentException("durationNs: " + durationNs + " (expected: >= 0)");
        }
        return (long)Math.floor(totalRatePerSecond() * durationNs / NANOS_PER_SECOND);
    }

    /** Nanoseconds after the scenario's start at which request {@code index} is due. */
    long intendedStartNs(final long index)
    {
        return (long)(index * NANOS_PER_SECOND / totalRatePerSecond());
    }

    /** Draws the stream of the next request, each with probability rate / R. */
    Stream nextStream(final SplittableRandom random)
    {
        double u = random.nextDouble() * totalRatePerSecond();
        for (final Stream stream : streams)
        {
            u -= stream.ratePerSecond();
            if (u < 0)
            {
                return stream;
            }
        }
        return streams.get(streams.size() - 1);
    }

    /** The stream of {@code group}, or null when this scenario has none. */
    Stream stream(final TrafficGroup group)
    {
        for (final Stream stream : streams)
        {
            if (stream.group() == group)
            {
                return stream;
            }
        }
        return null;
    }
}
