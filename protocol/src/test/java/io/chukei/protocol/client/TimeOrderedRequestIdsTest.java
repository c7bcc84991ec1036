package io.chukei.protocol.client;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

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
}
