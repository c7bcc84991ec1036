package io.chukei.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What faults that bring connectors of their own (the stuck reader, the reconnect storm) leave for the end of a run:
 * the records of every request they sent, for the consistency check, and the bounds they found broken. Also holds a
 * fault's live state between its injection and its healing, per target. One per {@link LocalCluster}.
 */
public final class FaultTraffic
{
    private final List<RequestRecord> records = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<Integer, AutoCloseable> live = new ConcurrentHashMap<>();
    private volatile int stormConnectors = ReconnectStormFault.DEFAULT_CONNECTORS;

    /** How many connectors the reconnect storm opens against its target (default: 1,741, every municipality). */
    public void stormConnectors(final int count)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("stormConnectors: " + count + " (expected: >= 1)");
        }
        stormConnectors = count;
    }

    int stormConnectors()
    {
        return stormConnectors;
    }

    synchronized void addRecords(final List<? extends RequestRecord> more)
    {
        records.addAll(more);
    }

    /** Every request the faults' own connectors sent, each with its final answer. */
    public synchronized List<RequestRecord> records()
    {
        return List.copyOf(records);
    }

    synchronized void problem(final String problem)
    {
        problems.add(problem);
    }

    /** Bounds a fault found broken (e.g. a storm not served within its bound); empty when none. */
    public synchronized List<String> problems()
    {
        return List.copyOf(problems);
    }

    void hold(final int target, final AutoCloseable state)
    {
        if (live.putIfAbsent(target, state) != null)
        {
            throw new IllegalStateException("target " + target + " already has a fault of this kind in progress");
        }
    }

    <T extends AutoCloseable> T take(final int target, final Class<T> type)
    {
        final AutoCloseable state = live.remove(target);
        if (!type.isInstance(state))
        {
            throw new IllegalStateException("target " + target + ": no " + type.getSimpleName() + " in progress");
        }
        return type.cast(state);
    }

    /** Closes whatever a fault left open (a run that ends between injection and healing). */
    void closeLive()
    {
        for (final AutoCloseable state : live.values())
        {
            try
            {
                state.close();
            }
            catch (final Exception ex)
            {
                System.err.println("cluster: could not close a fault's connectors: " + ex);
            }
        }
        live.clear();
    }
}
