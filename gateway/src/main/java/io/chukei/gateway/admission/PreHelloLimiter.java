package io.chukei.gateway.admission;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds on connections not yet past Hello (TCP accepted, in the TLS handshake, or awaiting
 * Hello), per source address and in total. Nothing about such a connection is known but its
 * address, so these bounds are all that stops idle sockets from taking every place: one
 * address may hold only its share, and the total keeps a reconnect storm from queueing more
 * handshakes than the node can finish within the deadlines. Every {@link Admission#ADMITTED}
 * must be paired with one {@link #release}. Thread-safe; called once per connection, never per
 * request.
 */
public final class PreHelloLimiter
{
    /** The outcome of {@link #tryAdmit}; the refusals are metric tags. */
    public enum Admission
    {
        ADMITTED,
        /** The source address already holds {@code admission.connections.preHelloPerAddress}. */
        OVER_ADDRESS_BOUND,
        /** The node already holds {@code admission.connections.preHello}. */
        OVER_TOTAL_BOUND
    }

    private final int totalBound;
    private final int perAddressBound;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<Object, Integer> bySource = new ConcurrentHashMap<>();

    public PreHelloLimiter(final AdmissionConfig config)
    {
        this(config.preHelloTotal(), config.preHelloPerAddress());
    }

    public PreHelloLimiter(final int totalBound, final int perAddressBound)
    {
        if (totalBound <= 0)
        {
            throw new IllegalArgumentException("totalBound: " + totalBound + " (expected: > 0)");
        }
        if (perAddressBound <= 0 || perAddressBound > totalBound)
        {
            throw new IllegalArgumentException("perAddressBound: " + perAddressBound + " (expected: 1.." + totalBound +
                ", at most totalBound)");
        }
        this.totalBound = totalBound;
        this.perAddressBound = perAddressBound;
    }

    /**
     * A connection from {@code source} (a {@link SourceAddress} key) was accepted. The address is
     * checked first, so a refusal names the address's bound whenever that one is full.
     */
    public Admission tryAdmit(final Object source)
    {
        final boolean[] admitted = new boolean[1];
        bySource.compute(source, (key, count) ->
        {
            final int current = count == null ? 0 : count;
            if (current >= perAddressBound)
            {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0])
        {
            return Admission.OVER_ADDRESS_BOUND;
        }
        while (true)
        {
            final int current = total.get();
            if (current >= totalBound)
            {
                releaseSource(source);
                return Admission.OVER_TOTAL_BOUND;
            }
            if (total.compareAndSet(current, current + 1))
            {
                return Admission.ADMITTED;
            }
        }
    }

    /** An admitted connection got past Hello, or closed before; pairs with an {@link Admission#ADMITTED}. */
    public void release(final Object source)
    {
        releaseSource(source);
        total.decrementAndGet();
    }

    private void releaseSource(final Object source)
    {
        final boolean[] held = new boolean[1];
        // An address that holds nothing is dropped, so a scan of many addresses costs no lasting memory.
        bySource.computeIfPresent(source, (key, count) ->
        {
            held[0] = true;
            return count == 1 ? null : count - 1;
        });
        if (!held[0])
        {
            throw new IllegalStateException("source " + source + ": released without an admission");
        }
    }

    /** Connections admitted and not yet released. */
    public int total()
    {
        return total.get();
    }

    /** Connections from {@code source} admitted and not yet released. */
    public int fromSource(final Object source)
    {
        return bySource.getOrDefault(source, 0);
    }

    /** Source addresses holding at least one place. */
    public int sources()
    {
        return bySource.size();
    }
}
