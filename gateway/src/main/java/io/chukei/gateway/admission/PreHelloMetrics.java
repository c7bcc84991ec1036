package io.chukei.gateway.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Meters of the connector listener before Hello: connections refused by a {@link PreHelloLimiter}
 * bound, connections closed at a deadline, and how many are between accept and Hello now.
 * Created once per node; the counters are fields, never looked up per connection.
 */
public final class PreHelloMetrics
{
    /** The pre-Hello deadlines, in the order a connection meets them. */
    public enum Deadline
    {
        /** TLS handshake not done within {@code connector.handshakeTimeoutMs} of accept (an idle socket included). */
        TLS,
        /** No Hello within {@code connector.helloTimeoutMs} of the TLS handshake. */
        HELLO
    }

    private final Map<PreHelloLimiter.Admission, Counter> refused = new EnumMap<>(PreHelloLimiter.Admission.class);
    private final Map<Deadline, Counter> timeouts = new EnumMap<>(Deadline.class);

    public PreHelloMetrics(final MeterRegistry registry, final PreHelloLimiter limiter)
    {
        for (final PreHelloLimiter.Admission admission : PreHelloLimiter.Admission.values())
        {
            if (admission != PreHelloLimiter.Admission.ADMITTED)
            {
                refused.put(admission, Counter.builder("chukei.connections.refused")
                    .description("Connections closed at accept, before TLS, because a pre-Hello bound was full")
                    .tag("reason", tag(admission.name().substring("OVER_".length())))
                    .register(registry));
            }
        }
        for (final Deadline deadline : Deadline.values())
        {
            timeouts.put(deadline, Counter.builder("chukei.connections.timeouts")
                .description("Connections closed because a pre-Hello deadline passed")
                .tag("deadline", tag(deadline.name()))
                .register(registry));
        }
        Gauge.builder("chukei.connections.prehello", limiter, PreHelloLimiter::total)
            .description("Connections accepted and not yet past Hello (TLS handshake or awaiting Hello)")
            .register(registry);
    }

    public void refused(final PreHelloLimiter.Admission reason)
    {
        final Counter counter = refused.get(reason);
        if (counter == null)
        {
            throw new IllegalArgumentException("reason: " + reason + " (expected: a refusal)");
        }
        counter.increment();
    }

    public double refusedCount(final PreHelloLimiter.Admission reason)
    {
        return refused.get(reason).count();
    }

    public void timedOut(final Deadline deadline)
    {
        timeouts.get(deadline).increment();
    }

    public double timeoutCount(final Deadline deadline)
    {
        return timeouts.get(deadline).count();
    }

    private static String tag(final String name)
    {
        return name.toLowerCase(Locale.ROOT);
    }
}
