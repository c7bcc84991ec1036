package io.chukei.protocol.client;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedRequestIdsTest
{
    private static final Instant NOW = Instant.parse("2026-04-01T09:00:00Z");

    private final TimeOrderedRequestIds ids = new TimeOrderedRequestIds(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void idsGeneratedInTheSameMillisecondAreUniqueAndNeverZero()
    {
        final Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++)
        {
            final UUID id = ids.next();
            assertThat(id.getMostSignificantBits() | id.getLeastSignificantBits()).isNotZero();
            seen.add(id);
        }
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void idsAreVersion7WithTheRfcVariant()
    {
        final UUID id = ids.next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void theFirst48BitsAreTheMillisecondTimestamp()
    {
        assertThat(ids.next().getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void idsFromALaterMillisecondSortAfter()
    {
        final UUID earlier = ids.next();
        final UUID later = new TimeOrderedRequestIds(Clock.fixed(NOW.plusMillis(1), ZoneOffset.UTC)).next();

        assertThat(Long.compareUnsigned(later.getMostSignificantBits(), earlier.getMostSignificantBits())).isPositive();
    }

    @Test
    void everyRandomBitTakesBothValues()
    {
        long hiSeenSet = 0;
        long hiSeenClear = 0;
        long loSeenSet = 0;
        long loSeenClear = 0;
        for (int i = 0; i < 1_000; i++)
        {
            final UUID id = ids.next();
            hiSeenSet |= id.getMostSignificantBits();
            hiSeenClear |= ~id.getMostSignificantBits();
            loSeenSet |= id.getLeastSignificantBits();
            loSeenClear |= ~id.getLeastSignificantBits();
        }

        assertThat(hiSeenSet & hiSeenClear & 0x0FFFL).as("rand_a bits that varied").isEqualTo(0x0FFFL);
        assertThat(loSeenSet & loSeenClear).as("rand_b bits that varied").isEqualTo(0x3FFF_FFFF_FFFF_FFFFL);
    }

    @Test
    void twoGeneratorsOnTheSameClockDoNotRepeatEachOther()
    {
        final TimeOrderedRequestIds other = new TimeOrderedRequestIds(Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(other.next()).isNotEqualTo(ids.next());
    }

    /**
     * The attack that predicted ids whose random bits came from {@link ThreadLocalRandom}: its output is an
     * invertible mix of a seed that steps by a per-thread constant, so one id's 62 bits of rand_b (4 candidates
     * for the whole output) give the seed, and with it the next id's bits.
     */
    @Test
    void oneIdDoesNotGiveAwayTheNextOnesRandomBits()
    {
        final UUID controlFirst = threadLocalRandomId();
        final UUID controlNext = threadLocalRandomId();
        assertThat(ThreadLocalRandomAttack.predictsNextRandB(controlFirst, controlNext))
            .as("the attack works on ThreadLocalRandom ids (control)").isTrue();

        final UUID first = ids.next();
        final UUID next = ids.next();

        assertThat(ThreadLocalRandomAttack.predictsNextRandB(first, next)).isFalse();
    }

    /** How ids were made before their bits came from a CSPRNG. */
    private static UUID threadLocalRandomId()
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long hi = (NOW.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        final long lo = 0x8000_0000_0000_0000L | (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(hi, lo);
    }

    /** The JDK 17 ThreadLocalRandom: output = mix(seed), seed += (thread id << 1) + golden gamma per output. */
    private static final class ThreadLocalRandomAttack
    {
        private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
        private static final long M1 = 0xff51afd7ed558ccdL;
        private static final long M2 = 0xc4ceb9fe1a85ec53L;
        private static final long RAND_B_MASK = 0x3FFF_FFFF_FFFF_FFFFL;

        static boolean predictsNextRandB(final UUID first, final UUID next)
        {
            @SuppressWarnings("deprecation")
            final long step = (Thread.currentThread().getId() << 1) + GOLDEN_GAMMA;
            final long seen = first.getLeastSignificantBits() & RAND_B_MASK;
            for (long top = 0; top < 4; top++)
            {
                final long seed = unmix(seen | (top << 62));
                // The next id draws two outputs: rand_a, then rand_b.
                if ((mix(seed + 2 * step) & RAND_B_MASK) == (next.getLeastSignificantBits() & RAND_B_MASK))
                {
                    return true;
                }
            }
            return false;
        }

        private static long mix(final long seed)
        {
            long z = (seed ^ (seed >>> 33)) * M1;
            z = (z ^ (z >>> 33)) * M2;
            return z ^ (z >>> 33);
        }

        private static long unmix(final long output)
        {
            long z = output ^ (output >>> 33);
            z = z * inverse(M2);
            z = z ^ (z >>> 33);
            z = z * inverse(M1);
            return z ^ (z >>> 33);
        }

        /** The multiplicative inverse modulo 2^64 of an odd number (Newton's iteration). */
        private static long inverse(final long odd)
        {
            long x = odd;
            for (int i = 0; i < 6; i++)
            {
                x *= 2 - odd * x;
            }
            return x;
        }
    }
}
