package io.chukei.bench.loadgen;

import java.util.SplittableRandom;

/**
 * Request ids of a raw run that carry their request's place in the schedule, so an answer's id alone gives the
 * intended start: no map from id to request, no object per request. The id stays a UUIDv7 as the SDK's are: the
 * high half is the run's start (ms), version 7 and 12 random bits; the low half the RFC variant, 22 random bits of
 * the run and the 40-bit schedule index. Ids never repeat within a run, and runs differ in their start and salt.
 */
final class RawRequestIds
{
    static final int INDEX_BITS = 40;
    static final long MAX_INDEX = (1L << INDEX_BITS) - 1;

    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;
    private static final int SALT_BITS = 22;

    private final long hi;
    private final long loPrefix;

    RawRequestIds(final long runStartEpochMs, final SplittableRandom random)
    {
        this.hi = runStartEpochMs << 16 | VERSION_7 | random.nextInt(0x1000);
        this.loPrefix = VARIANT_RFC | (random.nextLong() & ((1L << SALT_BITS) - 1)) << INDEX_BITS;
    }

    long hi()
    {
        return hi;
    }

    /** The low half of the id of schedule index {@code index} (0 .. {@link #MAX_INDEX}). */
    long lo(final long index)
    {
        return loPrefix | index;
    }

    /** Whether (hi, lo) is an id of this run. */
    boolean ours(final long idHi, final long idLo)
    {
        return idHi == hi && (idLo & ~MAX_INDEX) == loPrefix;
    }

    /** The schedule index an id of this run carries. */
    static long index(final long idLo)
    {
        return idLo & MAX_INDEX;
    }
}
