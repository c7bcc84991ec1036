package io.chukei.gateway.admission;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on connections each municipality may hold once its identity is known (at Hello).
 * Connections before Hello are bounded by {@link PreHelloLimiter}. Every successful
 * {@link #tryOpen} must be paired with its {@link #closed}. Thread-safe.
 */
public final class ConnectionLimiter
{
    private final int perMunicipalityCap;
    private final ConcurrentHashMap<String, AtomicInteger> byMunicipality = new ConcurrentHashMap<>();

    public ConnectionLimiter(final AdmissionConfig config)
    {
        this(config.connectionsPerMunicipality());
    }

    public ConnectionLimiter(final int perMunicipalityCap)
    {
        if (perMunicipalityCap <= 0)
        {
            throw new IllegalArgumentException("perMunicipalityCap: " + perMunicipalityCap + " (expected: > 0)");
        }
        this.perMunicipalityCap = perMunicipalityCap;
    }

    /**
     * The connection proved it acts for {@code municipality}: null when admitted, else
     * {@link RejectReason#TOO_MANY_CONNECTIONS}.
     */
    public RejectReason tryOpen(final String municipality)
    {
        final AtomicInteger count = byMunicipality.computeIfAbsent(municipality, m -> new AtomicInteger());
        while (true)
        {
            final int current = count.get();
            if (current >= perMunicipalityCap)
            {
                return RejectReason.TOO_MANY_CONNECTIONS;
            }
            if (count.compareAndSet(current, current + 1))
            {
                return null;
            }
        }
    }

    /** An admitted connection of {@code municipality} closed. */
    public void closed(final String municipality)
    {
        final AtomicInteger count = byMunicipality.get(municipality);
        if (count == null || count.get() <= 0)
        {
            throw new IllegalStateException("municipality " + municipality + ": closed without tryOpen");
        }
        count.decrementAndGet();
        // Counters of municipalities that went away are dropped, unless a new connection came meanwhile.
        byMunicipality.computeIfPresent(municipality, (m, c) -> c.get() == 0 ? null : c);
    }

    public int connections(final String municipality)
    {
        final AtomicInteger count = byMunicipality.get(municipality);
        return count == null ? 0 : count.get();
    }
}
