package io.chukei.gateway.cardsim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Hashing;

/**
 * The verdict of every request card management has decided, by request key, in arrays of primitives: no object per
 * decided request. The ledger only grows (about 16,000 entries a second at full load), and as objects (key, UUID,
 * municipality string, map node: about 140 bytes in four objects each) every young collection copied the newest of
 * them and promoted them: on a CPU shared with a relay at 16,000/s, G1 young pauses of 80-340 ms every 1.7 s, during
 * which nothing was answered (bench/README.md, <i>Card management's own pauses</i>). Here an entry is 21 bytes in four
 * arrays that hold no references, so the collector never scans them; and once past its first few hundred entries a
 * table is {@link #LARGE_SLOTS} slots or more, so that its {@code long[]}s (512 KiB) are humongous objects for G1 with
 * the 1 MiB regions of heaps up to 2 GiB: allocated in the old generation, never copied by a young collection (mid-size
 * arrays, doubled one step at a time, were: young pauses of 100-160 ms copying 22 MiB of them).
 *
 * <p>Open addressing with linear probing, split into {@link #SHARDS} tables by the top bits of the key's hash, so
 * that one doubling rehashes a 16th of the entries. A municipality is stored as its number in a small dictionary
 * (about 1,741 codes), a verdict as its number in another (verdicts are shared constants).
 *
 * <p>Not thread-safe: the service thread only (and the start, before it runs).
 */
final class DecidedRequests
{
    static final int SHARDS = 16;
    private static final int SHARD_BITS = Integer.numberOfTrailingZeros(SHARDS);
    /** Small while a simulator has decided little (tests): 21 KiB per table. */
    private static final int INITIAL_SLOTS_PER_SHARD = 1 << 10;
    /** The first growth goes straight here (1.3 MiB per table, 21 MiB in all), then tables double. */
    static final int LARGE_SLOTS = 1 << 16;
    /** Linear probing stays short below this load (percent of slots used). */
    private static final int MAX_LOAD_PERCENT = 70;
    /** Verdict numbers are bytes. */
    private static final int MAX_VERDICTS = 127;

    private final Shard[] shards = new Shard[SHARDS];
    /** Municipality → number from 1: 0 marks an empty slot. */
    private final Map<String, Integer> municipalityNumbers = new HashMap<>();
    private final List<Verdict> verdictsByNumber = new ArrayList<>();

    DecidedRequests()
    {
        for (int i = 0; i < SHARDS; i++)
        {
            shards[i] = new Shard(INITIAL_SLOTS_PER_SHARD);
        }
    }

    Verdict get(final RequestKey key)
    {
        final Integer municipality = municipalityNumbers.get(key.municipality());
        if (municipality == null)
        {
            return null;
        }
        final long hi = key.requestId().getMostSignificantBits();
        final long lo = key.requestId().getLeastSignificantBits();
        final int hash = hash(municipality, hi, lo);
        final Shard shard = shards[shardIndex(hash)];
        final int slot = shard.slotOf(municipality, hi, lo, hash);
        return shard.municipalities[slot] == 0 ? null : verdictsByNumber.get(shard.verdicts[slot]);
    }

    /** Stores the verdict of {@code key}, replacing one stored before. */
    void put(final RequestKey key, final Verdict verdict)
    {
        store(key, verdict, true);
    }

    /** Stores the verdict of {@code key} unless one is stored; returns the one stored before, or null. */
    Verdict putIfAbsent(final RequestKey key, final Verdict verdict)
    {
        return store(key, verdict, false);
    }

    int size()
    {
        int size = 0;
        for (final Shard shard : shards)
        {
            size += shard.size;
        }
        return size;
    }

    /** Entries per shard: for tests of the spread. */
    int[] sizesByShard()
    {
        return Arrays.stream(shards).mapToInt(shard -> shard.size).toArray();
    }

    private Verdict store(final RequestKey key, final Verdict verdict, final boolean replace)
    {
        final int municipality = municipalityNumbers.computeIfAbsent(key.municipality(), m -> municipalityNumbers.size() + 1);
        final byte verdictNumber = numberOf(verdict);
        final long hi = key.requestId().getMostSignificantBits();
        final long lo = key.requestId().getLeastSignificantBits();
        final int hash = hash(municipality, hi, lo);
        final Shard shard = shards[shardIndex(hash)];
        final int slot = shard.slotOf(municipality, hi, lo, hash);
        if (shard.municipalities[slot] != 0)
        {
            final Verdict before = verdictsByNumber.get(shard.verdicts[slot]);
            if (replace)
            {
                shard.verdicts[slot] = verdictNumber;
            }
            return before;
        }
        shard.fill(slot, municipality, hi, lo, verdictNumber);
        return null;
    }

    private byte numberOf(final Verdict verdict)
    {
        // A handful of shared constants: a scan by identity is shorter than any map look-up.
        for (int i = 0; i < verdictsByNumber.size(); i++)
        {
            if (verdictsByNumber.get(i) == verdict)
            {
                return (byte)i;
            }
        }
        if (verdictsByNumber.size() == MAX_VERDICTS)
        {
            throw new IllegalStateException("decided requests: more than " + MAX_VERDICTS + " distinct verdicts");
        }
        verdictsByNumber.add(verdict);
        return (byte)(verdictsByNumber.size() - 1);
    }

    /**
     * The three parts folded into one {@code long} and mixed by Agrona's {@link Hashing#hash(long)}: the top bits
     * choose the shard, the low bits the slot. Two keys that fold alike only share a probe run (keys are compared
     * whole).
     */
    private static int hash(final int municipality, final long hi, final long lo)
    {
        return Hashing.hash(hi * 0x9E3779B97F4A7C15L + lo + municipality * 0xC2B2AE3D27D4EB4FL);
    }

    private static int shardIndex(final int hash)
    {
        return hash >>> (Integer.SIZE - SHARD_BITS);
    }

    /** One open-addressing table: four parallel arrays, a slot is empty while its municipality number is 0. */
    private static final class Shard
    {
        int[] municipalities;
        long[] his;
        long[] los;
        byte[] verdicts;
        int mask;
        int size;
        int growAt;

        Shard(final int slots)
        {
            allocate(slots);
        }

        /** The slot holding the key, or the empty slot where it would go. */
        int slotOf(final int municipality, final long hi, final long lo, final int hash)
        {
            int slot = hash & mask;
            while (municipalities[slot] != 0 &&
                (municipalities[slot] != municipality || his[slot] != hi || los[slot] != lo))
            {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        void fill(final int slot, final int municipality, final long hi, final long lo, final byte verdict)
        {
            municipalities[slot] = municipality;
            his[slot] = hi;
            los[slot] = lo;
            verdicts[slot] = verdict;
            if (++size > growAt)
            {
                grow();
            }
        }

        private void grow()
        {
            final int[] oldMunicipalities = municipalities;
            final long[] oldHis = his;
            final long[] oldLos = los;
            final byte[] oldVerdicts = verdicts;
            allocate(Math.max(oldMunicipalities.length * 2, LARGE_SLOTS));
            for (int i = 0; i < oldMunicipalities.length; i++)
            {
                if (oldMunicipalities[i] != 0)
                {
                    final int slot = slotOf(oldMunicipalities[i], oldHis[i], oldLos[i], hash(oldMunicipalities[i], oldHis[i], oldLos[i]));
                    municipalities[slot] = oldMunicipalities[i];
                    his[slot] = oldHis[i];
                    los[slot] = oldLos[i];
                    verdicts[slot] = oldVerdicts[i];
                }
            }
        }

        private void allocate(final int slots)
        {
            municipalities = new int[slots];
            his = new long[slots];
            los = new long[slots];
            verdicts = new byte[slots];
            mask = slots - 1;
            growAt = (int)((long)slots * MAX_LOAD_PERCENT / 100);
        }
    }
}
