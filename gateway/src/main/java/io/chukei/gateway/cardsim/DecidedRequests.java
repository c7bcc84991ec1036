package io.chukei.gateway.cardsim;

import java.util.HashMap;

/**
 * The verdict of every request card management has decided, by request key: one map split into {@link #SHARDS}
 * hash maps. A single {@code HashMap} doubles its table in one go, rehashing every entry on the service thread (at
 * 1.57 M decided requests, about three minutes at 8,000/s). Putting 3 M random keys on one CPU (G1, 1 GiB), the
 * longest single put took 296-685 ms with one map and 211-232 ms split, which is the collector's longest pause
 * there: split, each doubling moves a 64th of the entries (bench/README.md, <i>Serial collector on one CPU</i>).
 * Not thread-safe: the service thread only (and the start, before it runs).
 */
final class DecidedRequests
{
    static final int SHARDS = 64;
    private static final int SHARD_BITS = Integer.numberOfTrailingZeros(SHARDS);

    @SuppressWarnings("unchecked")
    private final HashMap<RequestKey, Verdict>[] shards = new HashMap[SHARDS];
    private int size;

    DecidedRequests()
    {
        for (int i = 0; i < SHARDS; i++)
        {
            shards[i] = new HashMap<>();
        }
    }

    Verdict get(final RequestKey key)
    {
        return shardOf(key).get(key);
    }

    /** Stores the verdict of {@code key}, replacing one stored before. */
    void put(final RequestKey key, final Verdict verdict)
    {
        if (shardOf(key).put(key, verdict) == null)
        {
            size++;
        }
    }

    /** Stores the verdict of {@code key} unless one is stored; returns the one stored before, or null. */
    Verdict putIfAbsent(final RequestKey key, final Verdict verdict)
    {
        final Verdict before = shardOf(key).putIfAbsent(key, verdict);
        if (before == null)
        {
            size++;
        }
        return before;
    }

    int size()
    {
        return size;
    }

    /** The shard's index: for tests of the spread. */
    static int shardIndex(final RequestKey key)
    {
        // The top bits of a multiplicative hash: HashMap indexes its table by the low bits of the key's hash, so
        // choosing the shard by those would leave each shard's table 63/64 empty and its buckets long.
        return (key.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - SHARD_BITS);
    }

    private HashMap<RequestKey, Verdict> shardOf(final RequestKey key)
    {
        return shards[shardIndex(key)];
    }
}
