package io.chukei.protocol.validation;

import java.util.Arrays;

/**
 * Two-code-point sequences (a base and the code point that follows it: an ideograph and its
 * variation selector, a kana and its combining sound mark), as one sorted array of packed longs.
 * A lookup is a binary search over ~30,000 entries that allocates nothing; it runs only for a
 * code point that is not a member on its own, which in real names is rare. Immutable.
 */
final class SequenceSet
{
    static final SequenceSet EMPTY = new SequenceSet(new long[0]);

    private static final int SECOND_BITS = 21;
    private static final long SECOND_MASK = (1L << SECOND_BITS) - 1;

    private final long[] packed;

    private SequenceSet(final long[] sortedDistinct)
    {
        this.packed = sortedDistinct;
    }

    boolean contains(final int first, final int second)
    {
        return Arrays.binarySearch(packed, pack(first, second)) >= 0;
    }

    /** The code points registered after {@code first}, ascending (for error details; allocates). */
    int[] secondsAfter(final int first)
    {
        int from = Arrays.binarySearch(packed, pack(first, 0));
        from = from >= 0 ? from : -from - 1;
        int to = from;
        while (to < packed.length && first(to) == first)
        {
            to++;
        }
        final int[] seconds = new int[to - from];
        for (int i = from; i < to; i++)
        {
            seconds[i - from] = second(i);
        }
        return seconds;
    }

    int size()
    {
        return packed.length;
    }

    /** First code point of the {@code index}-th sequence in ascending order. */
    int first(final int index)
    {
        return (int)(packed[index] >>> SECOND_BITS);
    }

    /** Second code point of the {@code index}-th sequence in ascending order. */
    int second(final int index)
    {
        return (int)(packed[index] & SECOND_MASK);
    }

    private static long pack(final int first, final int second)
    {
        return ((long)first << SECOND_BITS) | second;
    }

    /** Collects sequences in any order, duplicates allowed. */
    static final class Builder
    {
        private long[] packed = new long[256];
        private int count;

        Builder add(final int first, final int second)
        {
            if (count == packed.length)
            {
                packed = Arrays.copyOf(packed, count * 2);
            }
            packed[count++] = pack(first, second);
            return this;
        }

        /**
         * Adds the sequences whose second code point is not in {@code members}: where it is, the
         * sequence says nothing the members do not (JIS X 0213's ˥˩ is two members).
         */
        Builder addNeeded(final SequenceSet sequences, final CodePointSet members)
        {
            for (int i = 0; i < sequences.size(); i++)
            {
                if (!members.contains(sequences.second(i)))
                {
                    add(sequences.first(i), sequences.second(i));
                }
            }
            return this;
        }

        SequenceSet build()
        {
            final long[] sorted = Arrays.copyOf(packed, count);
            Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < sorted.length; i++)
            {
                if (i == 0 || sorted[i] != sorted[i - 1])
                {
                    sorted[distinct++] = sorted[i];
                }
            }
            return new SequenceSet(Arrays.copyOf(sorted, distinct));
        }
    }
}
