package io.chukei.bench.loadgen;

import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which operations, at which priority, in what proportion: {@code OP[:PRIORITY]=WEIGHT,...},
 * e.g. {@code CARD_STATUS=60,CARD_ISSUE=20,PREISSUE_SETUP=10,CARD_STATUS:BATCH=10}. Without a
 * priority an operation gets its protocol default (BATCH for PREISSUE_SETUP, else INTERACTIVE).
 */
public final class OperationMix
{
    static final String DEFAULT = "CARD_STATUS=60,CARD_ISSUE=15,CERT_CHANGE=10,CARD_SUSPEND=5,PREISSUE_SETUP=10";

    /** One kind of request and its weight. */
    public record Entry(Operation operation, Priority priority, int weight)
    {
        @Override
        public String toString()
        {
            return operation + ":" + priority + "=" + weight;
        }
    }

    private final List<Entry> entries;
    private final int[] cumulativeWeight;

    private OperationMix(final List<Entry> entries)
    {
        this.entries = List.copyOf(entries);
        this.cumulativeWeight = new int[entries.size()];
        int total = 0;
        for (int i = 0; i < entries.size(); i++)
        {
            total += entries.get(i).weight();
            cumulativeWeight[i] = total;
        }
    }

    public static OperationMix parse(final String text)
    {
        final List<Entry> entries = new ArrayList<>();
        long total = 0;
        for (final String part : text.split(","))
        {
            final String item = part.trim();
            if (item.isEmpty())
            {
                continue;
            }
            final int equals = item.indexOf('=');
            if (equals < 0)
            {
                throw new IllegalArgumentException("mix: '" + item + "' (expected: OPERATION[:PRIORITY]=WEIGHT)");
            }
            final String kind = item.substring(0, equals).trim();
            final int colon = kind.indexOf(':');
            final Operation operation = operation(colon < 0 ? kind : kind.substring(0, colon));
            final Priority priority = colon < 0 ? SubmitRequest.defaultPriority(operation) : priority(kind.substring(colon + 1));
            if (operation == Operation.PREISSUE_SETUP && priority != Priority.BATCH)
            {
                throw new IllegalArgumentException("mix: '" + item + "' (expected: PREISSUE_SETUP only at BATCH priority)");
            }
            final int weight = weight(item, item.substring(equals + 1).trim());
            total += weight;
            if (weight > 0)
            {
                entries.add(new Entry(operation, priority, weight));
            }
        }
        if (entries.isEmpty() || total > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("mix: '" + text + "' (expected: at least one positive weight, total < 2^31)");
        }
        return new OperationMix(entries);
    }

    List<Entry> entries()
    {
        return entries;
    }

    /** Draws an entry by weight. */
    public Entry next(final SplittableRandom random)
    {
        return entries.get(nextIndex(random));
    }

    /** Draws an entry by weight and returns its place in {@link #entries()}. */
    int nextIndex(final SplittableRandom random)
    {
        final int u = random.nextInt(cumulativeWeight[cumulativeWeight.length - 1]);
        int i = 0;
        while (cumulativeWeight[i] <= u)
        {
            i++;
        }
        return i;
    }

    Entry entry(final int index)
    {
        return entries.get(index);
    }

    @Override
    public String toString()
    {
        return String.join(",", entries.stream().map(Entry::toString).toList());
    }

    private static Operation operation(final String name)
    {
        try
        {
            final Operation operation = Operation.valueOf(name.trim());
            if (operation != Operation.NULL_VAL)
            {
                return operation;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // reported below with the accepted names
        }
        throw new IllegalArgumentException("mix: operation '" + name +
            "' (expected: PREISSUE_SETUP, CARD_ISSUE, CERT_CHANGE, CARD_SUSPEND or CARD_STATUS)");
    }

    private static Priority priority(final String name)
    {
        try
        {
            final Priority priority = Priority.valueOf(name.trim());
            if (priority != Priority.NULL_VAL)
            {
                return priority;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // reported below with the accepted names
        }
        throw new IllegalArgumentException("mix: priority '" + name + "' (expected: INTERACTIVE or BATCH)");
    }

    private static int weight(final String item, final String text)
    {
        try
        {
            final int weight = Integer.parseInt(text);
            if (weight >= 0)
            {
                return weight;
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        throw new IllegalArgumentException("mix: '" + item + "' weight '" + text + "' (expected: an integer >= 0)");
    }
}
