package io.chukei.gateway.admission;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per key with bounded memory (the Space-Saving algorithm of Metwally, Agrawal and El
 * Abbadi): at most {@code capacity} keys are tracked; a new key takes the place of the smallest
 * count and inherits it as its possible overcount. Any key with more than total/capacity hits is
 * guaranteed to be tracked. {@link #snapshot(int)} reports the top K plus "other", so a metric
 * labelled by municipality has at most K + 1 series. Thread-safe (one monitor).
 */
public final class HeavyHitters
{
    /** One tracked key: {@code count} may overstate by at most {@code error}. */
    public record Entry(String key, long count, long error)
    {
    }

    /** The top keys by count and the rest summed up; {@code total} = sum of counts + {@code other}. */
    public record Snapshot(List<Entry> top, long other, long total)
    {
    }

    private static final class Counter
    {
        final String key;
        long count;
        long error;

        Counter(final String key, final long count, final long error)
        {
            this.key = key;
            this.count = count;
            this.error = error;
        }
    }

    private final int capacity;
    private final Map<String, Counter> counters;
    private long total;

    public HeavyHitters(final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
        this.counters = new HashMap<>(capacity * 2);
    }

    public synchronized void increment(final String key)
    {
        add(key, 1);
    }

    public synchronized void add(final String key, final long amount)
    {
        total += amount;
        final Counter counter = counters.get(key);
        if (counter != null)
        {
            counter.count += amount;
            return;
        }
        if (counters.size() < capacity)
        {
            counters.put(key, new Counter(key, amount, 0));
            return;
        }
        Counter smallest = null;
        for (final Counter c : counters.values())
        {
            if (smallest == null || c.count < smallest.count)
            {
                smallest = c;
            }
        }
        counters.remove(smallest.key);
        counters.put(key, new Counter(key, smallest.count + amount, smallest.count));
    }

    /** The {@code k} largest counts, largest first (ties by key), and everything else as {@code other}. */
    public synchronized Snapshot snapshot(final int k)
    {
        final List<Entry> all = new ArrayList<>(counters.size());
        for (final Counter c : counters.values())
        {
            all.add(new Entry(c.key, c.count, c.error));
        }
        all.sort(Comparator.comparingLong(Entry::count).reversed().thenComparing(Entry::key));
        final List<Entry> top = List.copyOf(all.subList(0, Math.min(k, all.size())));
        long shown = 0;
        for (final Entry e : top)
        {
            shown += e.count();
        }
        return new Snapshot(top, total - shown, total);
    }

    public synchronized long total()
    {
        return total;
    }

    public int capacity()
    {
        return capacity;
    }
}
