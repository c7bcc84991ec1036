package io.chukei.gateway.admission;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on connections: how many may be in their TLS handshake at once (so a flood of half-open
 * handshakes cannot take all CPU from established sessions), and how many each municipality may
 * hold once its identity is known. Every successful acquire must be paired with its release.
 * Thread-safe.
 */
public final class ConnectionLimiter
{
    private final int handshakingCap;
    private final int perMunicipalityCap;
    private final AtomicInteger handshaking = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byMunicipality = new ConcurrentHashMap<>();

    public ConnectionLimiter(final AdmissionConfig config)
    {
        this(config.connectionsHandshaking(), config.connectionsPerMunicipality());
    }

    public ConnectionLimiter(final int handshakingCap, final int perMunicipalityCap)
    {
        if (handshakingCap <= 0)
        {
            throw new IllegalArgumentException("handshakingCap: " + handshakingCap + " (expected: > 0)");
        }
        if (perMunicipalityCap <= 0)
        {
            throw new IllegalArgumentException("perMunicipalityCap: " + perMunicipalityCap + " (expected: > 0)");
        }
        this.handshakingCap = handshakingCap;
        this.perMunicipalityCap = perMunicipalityCap;
    }

    /** A new connection starts its handshake: null when admitted, else {@link RejectReason#TOO_MANY_HANDSHAKES}. */
    public RejectReason tryStartHandshake()
    {
        while (true)
        {
            final int current = handshaking.get();
            if (current >= handshakingCap)
            {
                return RejectReason.TOO_MANY_HANDSHAKES;
            }
            if (handshaking.compareAndSet(current, current + 1))
            {
                return null;
            }
        }
    }

    /** The handshake ended (succeeded, failed or timed out); pairs with an admitted {@link #tryStartHandshake()}. */
    public void handshakeEnded()
    {
        if (handshaking.decrementAndGet() < 0)
        {
            handshaking.incrementAndGet();
            throw new IllegalStateException("handshakeEnded without tryStartHandshake");
        }
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

    public int handshaking()
    {
        return handshaking.get();
    }

    public int connections(final String municipality)
    {
        final AtomicInteger count = byMunicipality.get(municipality);
        return count == null ? 0 : count.get();
    }
}
