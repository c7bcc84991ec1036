package io.chukei.gateway.relay;

import java.util.function.Consumer;

/**
 * Values keyed by the request key they carry (municipality and 128-bit request id), without a key
 * or entry object per mapping:
 * one array of values, open addressing with linear probing, and backward-shift deletion (no
 * tombstones, so lookups stay short however many ids come and go). The array doubles at half
 * full and never shrinks. Not thread-safe: {@link ConcurrentRequestIdMap} is the shared kind.
 *
 * <p>Agrona's maps key by one {@code long}; a 128-bit id folded into one could collide, and two
 * requests would then share a place, so this one compares the scope and both halves.
 */
public final class RequestIdMap<V extends HasRequestId>
{
    private static final int MIN_CAPACITY = 16;

    private Object[] slots;
    private int mask;
    private int size;

    public RequestIdMap()
    {
        this(MIN_CAPACITY);
    }

    /** {@code expected}: how many values it should hold before it first grows. */
    public RequestIdMap(final int expected)
    {
        if (expected < 0)
        {
            throw new IllegalArgumentException("expected: " + expected + " (expected: >= 0)");
        }
        final int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, expected * 2 - 1)) << 1);
        slots = new Object[capacity];
        mask = capacity - 1;
    }

    /** Spreads the scope and both halves of an id over all 32 bits; the concurrent map takes its stripe from the top bits. */
    static int hash(final int scope, final long hi, final long lo)
    {
        long h = (hi + scope * 0xC2B2AE3D27D4EB4FL) * 0x9E3779B97F4A7C15L + lo;
        h = (h ^ (h >>> 32)) * 0xD6E8FEB86659FD93L;
        return (int)(h ^ (h >>> 32));
    }

    public int size()
    {
        return size;
    }

    /** The value with this key, or null. */
    public V get(final int scope, final long hi, final long lo)
    {
        final int index = indexOf(scope, hi, lo);
        return index < 0 ? null : value(index);
    }

    /** Adds {@code value} unless one with its key is there already; returns that one, or null when added. */
    public V putIfAbsent(final V value)
    {
        final int index = probe(value.idScope(), value.idHi(), value.idLo());
        final V present = value(index);
        if (present != null)
        {
            return present;
        }
        slots[index] = value;
        grownAfterAdding();
        return null;
    }

    /** Adds {@code value}, replacing the one with the same key; returns the replaced one, or null. */
    public V put(final V value)
    {
        final int index = probe(value.idScope(), value.idHi(), value.idLo());
        final V present = value(index);
        slots[index] = value;
        if (present == null)
        {
            grownAfterAdding();
        }
        return present;
    }

    /** Removes the value with this key; returns it, or null when there was none. */
    public V remove(final int scope, final long hi, final long lo)
    {
        final int index = indexOf(scope, hi, lo);
        if (index < 0)
        {
            return null;
        }
        final V removed = value(index);
        removeAt(index);
        return removed;
    }

    /** Removes {@code value} itself, not another value with the same key; true when it was there. */
    public boolean remove(final V value)
    {
        final int index = indexOf(value.idScope(), value.idHi(), value.idLo());
        if (index < 0 || slots[index] != value)
        {
            return false;
        }
        removeAt(index);
        return true;
    }

    public void forEach(final Consumer<? super V> action)
    {
        for (int i = 0; i < slots.length; i++)
        {
            final V value = value(i);
            if (value != null)
            {
                action.accept(value);
            }
        }
    }

    public void clear()
    {
        java.util.Arrays.fill(slots, null);
        size = 0;
    }

    private int indexOf(final int scope, final long hi, final long lo)
    {
        final int index = probe(scope, hi, lo);
        return value(index) == null ? -1 : index;
    }

    /** The slot holding this key, or the empty slot that ends its probe run (where it would go). */
    private int probe(final int scope, final long hi, final long lo)
    {
        int index = hash(scope, hi, lo) & mask;
        V present;
        while ((present = value(index)) != null &&
            (present.idHi() != hi || present.idLo() != lo || present.idScope() != scope))
        {
            index = (index + 1) & mask;
        }
        return index;
    }

    /**
     * Empties slot {@code index} and moves later values of the same probe run back into the gap,
     * each only if the gap lies between its home slot and where it sits (cyclically), so every
     * value stays reachable from its home without a tombstone.
     */
    private void removeAt(final int index)
    {
        int gap = index;
        slots[gap] = null;
        size--;
        int next = (gap + 1) & mask;
        V moving;
        while ((moving = value(next)) != null)
        {
            final int home = hash(moving.idScope(), moving.idHi(), moving.idLo()) & mask;
            // Distance travelled from home to here, and from home to the gap (both cyclic).
            if (((next - home) & mask) >= ((gap - home) & mask))
            {
                slots[gap] = moving;
                slots[next] = null;
                gap = next;
            }
            next = (next + 1) & mask;
        }
    }

    /** Slots in the table (a value per two at most before it grows); for tests. */
    int capacity()
    {
        return slots.length;
    }

    /** Room for {@code expected} values before the next growth: one rehash instead of one per doubling. */
    public void ensureCapacity(final int expected)
    {
        if (expected * 2L > slots.length)
        {
            rehash(Integer.highestOneBit(Math.max(1, expected * 2 - 1)) << 1);
        }
    }

    private void grownAfterAdding()
    {
        if (++size * 2 <= slots.length)
        {
            return;
        }
        rehash(slots.length * 2);
    }

    private void rehash(final int capacity)
    {
        final Object[] old = slots;
        slots = new Object[capacity];
        mask = slots.length - 1;
        for (final Object entry : old)
        {
            if (entry != null)
            {
                @SuppressWarnings("unchecked")
                final V value = (V)entry;
                int index = hash(value.idScope(), value.idHi(), value.idLo()) & mask;
                while (slots[index] != null)
                {
                    index = (index + 1) & mask;
                }
                slots[index] = value;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private V value(final int index)
    {
        return (V)slots[index];
    }
}
