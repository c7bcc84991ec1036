package io.chukei.protocol.validation;

/**
 * A set of Unicode code points as one 8 KiB bit set per plane, allocated only for planes that
 * have members; a lookup is two array reads and a mask. Immutable once built and published
 * through a final field.
 */
final class CodePointSet
{
    private static final int PLANES = 17;
    private static final int LONGS_PER_PLANE = 0x10000 / 64;

    private final long[][] planes = new long[PLANES][];
    private int size;

    void add(final int codePoint)
    {
        final int plane = codePoint >>> 16;
        long[] bits = planes[plane];
        if (bits == null)
        {
            bits = new long[LONGS_PER_PLANE];
            planes[plane] = bits;
        }
        final int index = (codePoint & 0xFFFF) >>> 6;
        final long mask = 1L << codePoint;
        if ((bits[index] & mask) == 0)
        {
            bits[index] |= mask;
            size++;
        }
    }

    boolean contains(final int codePoint)
    {
        if (codePoint < 0 || codePoint > Character.MAX_CODE_POINT)
        {
            return false;
        }
        final long[] bits = planes[codePoint >>> 16];
        return bits != null && (bits[(codePoint & 0xFFFF) >>> 6] & (1L << codePoint)) != 0;
    }

    int size()
    {
        return size;
    }
}
