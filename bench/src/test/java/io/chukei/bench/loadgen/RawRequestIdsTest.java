package io.chukei.bench.loadgen;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A raw run's ids: UUIDv7 with the RFC variant, carrying the schedule index, told apart from other runs' ids. */
class RawRequestIdsTest
{
    private static final long START_MS = 1_796_000_000_000L;

    @Test
    void anIdCarriesItsScheduleIndexAndStaysAVersion7Uuid()
    {
        final RawRequestIds ids = new RawRequestIds(START_MS, new SplittableRandom(1));

        for (final long index : new long[] {0, 1, 123_456_789, RawRequestIds.MAX_INDEX})
        {
            final UUID id = new UUID(ids.hi(), ids.lo(index));
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).as("the run's start in ms").isEqualTo(START_MS);
            assertThat(ids.ours(id.getMostSignificantBits(), id.getLeastSignificantBits())).isTrue();
            assertThat(RawRequestIds.index(id.getLeastSignificantBits())).isEqualTo(index);
        }
        assertThat(ids.lo(1)).isNotEqualTo(ids.lo(2));
    }

    @Test
    void idsOfAnotherRunOrOfTheSessionAreNotOurs()
    {
        final RawRequestIds ids = new RawRequestIds(START_MS, new SplittableRandom(1));
        final RawRequestIds sameStartOtherSalt = new RawRequestIds(START_MS, new SplittableRandom(2));
        final RawRequestIds later = new RawRequestIds(START_MS + 1, new SplittableRandom(1));

        assertThat(ids.ours(0, 0)).as("a Rejected about the session carries an all-zero id").isFalse();
        assertThat(ids.ours(sameStartOtherSalt.hi(), sameStartOtherSalt.lo(7))).isFalse();
        assertThat(ids.ours(later.hi(), later.lo(7))).isFalse();
        assertThat(ids.ours(ids.hi(), ids.lo(7) ^ 1L << 50)).as("another salt in the low half").isFalse();
    }
}
