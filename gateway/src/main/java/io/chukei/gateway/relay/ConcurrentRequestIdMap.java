package io.chukei.gateway.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link RequestIdMap} shared between threads: the ids are spread over stripes by hash, each a
 * map of its own behind its own lock, so event loops working on different requests seldom wait
 * for each other, and nothing is allocated per mapping (a {@code ConcurrentHashMap} keyed by an id
 * object costs a key and a node per request).
 */
public final class ConcurrentRequestIdMap<V extends HasRequestId>
{
    private final RequestIdMap<V>[] stripes;
    private final int stripeShift;

    /** {@code stripes}: a power of two; about four per thread that uses the map keeps waits rare. */
    @SuppressWarnings("unchecked")
    public ConcurrentRequestIdMap(final int stripes, final int expectedPerStripe)
    {
        if (stripes < 1 || Integer.bitCount(stripes) != 1)
        {
            throw new IllegalArgumentException("stripes: " + stripes + " (expected: a power of two >= 1)");
        }
        this.stripes = new RequestIdMap[stripes];
        for (int i = 0; i < stripes; i++)
        {
            this.stripes[i] = new RequestIdMap<>(expectedPerStripe);
        }
        // The top bits pick the stripe; a stripe's own slots come from the low bits of the same hash.
        stripeShift = 32 - Integer.numberOfTrailingZeros(stripes);
    }

    private RequestIdMap<V> stripe(final int scope, final long hi, final long lo)
    {
        return stripes.length == 1 ? stripes[0] : stripes[RequestIdMap.hash(scope, hi, lo) >>> stripeShift];
    }

    /**
     * The value with this key, or null; {@code whileMapped} runs on it before the lock is let go, so
     * it sees the value while it is still mapped (e.g. to take a hold on it before it can be removed).
     * There is no plain get: with pooled values, one found and used after the lock may already serve
     * another id.
     */
    public V get(final int scope, final long hi, final long lo, final Consumer<? super V> whileMapped)
    {
        final RequestIdMap<V> stripe = stripe(scope, hi, lo);
        synchronized (stripe)
        {
            final V value = stripe.get(scope, hi, lo);
            if (value != null)
            {
                whileMapped.accept(value);
            }
            return value;
        }
    }

    /** Room for about {@code expected} values in all, before many are added at once (a restart's recovered requests). */
    public void ensureCapacity(final int expected)
    {
        // Hashing spreads ids evenly; a quarter more than the even share keeps the fuller stripes from growing.
        final int perStripe = expected / stripes.length + expected / stripes.length / 4 + 16;
        for (final RequestIdMap<V> stripe : stripes)
        {
            synchronized (stripe)
            {
                stripe.ensureCapacity(stripe.size() + perStripe);
            }
        }
    }

    /** Adds {@code value} unless one with its key is there already; returns that one, or null when added. */
    public V putIfAbsent(final V value)
    {
        final RequestIdMap<V> stripe = stripe(value.idScope(), value.idHi(), value.idLo());
        synchronized (stripe)
        {
            return stripe.putIfAbsent(value);
        }
    }

    /** Removes {@code value} itself, not another value with the same key; true when it was there. */
    public boolean remove(final V value)
    {
        final RequestIdMap<V> stripe = stripe(value.idScope(), value.idHi(), value.idLo());
        synchronized (stripe)
        {
            return stripe.remove(value);
        }
    }

    /** The number of values; each stripe is counted under its lock, the total is not one instant's. */
    public int size()
    {
        int size = 0;
        for (final RequestIdMap<V> stripe : stripes)
        {
            synchronized (stripe)
            {
                size += stripe.size();
            }
        }
        return size;
    }

    /** A copy of the values, stripe by stripe (for shutdown, tests and admin views; it allocates). */
    public List<V> values()
    {
        final List<V> values = new ArrayList<>();
        for (final RequestIdMap<V> stripe : stripes)
        {
            synchronized (stripe)
            {
                stripe.forEach(values::add);
            }
        }
        return values;
    }

    public void clear()
    {
        for (final RequestIdMap<V> stripe : stripes)
        {
            synchronized (stripe)
            {
                stripe.clear();
            }
        }
    }
}
