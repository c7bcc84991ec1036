package io.chukei.gateway.metrics;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** One point per stage per sample, percentiles of that interval only, a bounded ring, a window filter. */
class RecentStageLatencyTest
{
    private final MutableClock clock = new MutableClock();
    private final RecentStageLatency latency = new RecentStageLatency(List.of("end-to-end", "upstream"),
        Duration.ofSeconds(5), 3, clock);

    @Test
    void aSampleHoldsThePercentilesOfItsIntervalOnly()
    {
        for (int i = 1; i <= 100; i++)
        {
            latency.stage("end-to-end").recordNanos(i * 1_000_000L);
        }
        latency.sample();
        clock.advance(5_000);
        latency.stage("end-to-end").recordNanos(7_000_000L);
        latency.sample();

        final List<LatencyCurves.Point> points = latency.recent(Duration.ofMinutes(1)).get("end-to-end");

        assertThat(points).hasSize(2);
        assertThat(points.get(0).count()).isEqualTo(100);
        assertThat(points.get(0).p50Ms()).isCloseTo(50, within(1.0));
        assertThat(points.get(0).p99Ms()).isCloseTo(99, within(1.0));
        assertThat(points.get(1).count()).isEqualTo(1);
        assertThat(points.get(1).maxMs()).isCloseTo(7, within(0.1));
        assertThat(latency.recent(Duration.ofMinutes(1)).get("upstream")).extracting(LatencyCurves.Point::count)
            .containsExactly(0L, 0L);
    }

    @Test
    void keepsOnlyTheRetainedPointsAndThoseInsideTheWindow()
    {
        for (int i = 0; i < 5; i++)
        {
            latency.sample();
            clock.advance(5_000);
        }

        assertThat(latency.recent(Duration.ofMinutes(1)).get("end-to-end")).hasSize(3);
        assertThat(latency.recent(Duration.ofSeconds(11)).get("end-to-end")).hasSize(2);
    }

    @Test
    void aValueBeyondSixtySecondsCountsAsSixtySeconds()
    {
        latency.stage("upstream").recordNanos(Duration.ofMinutes(5).toNanos());
        latency.sample();

        assertThat(latency.recent(Duration.ofMinutes(1)).get("upstream").get(0).maxMs()).isCloseTo(60_000, within(600.0));
    }

    @Test
    void anUnknownStageIsRefusedByName()
    {
        assertThatThrownBy(() -> latency.stage("fsync"))
            .hasMessage("stage: 'fsync' (expected one of [end-to-end, upstream])");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock
    {
        private long millis = 1_700_000_000_000L;

        void advance(final long ms)
        {
            millis += ms;
        }

        @Override
        public long millis()
        {
            return millis;
        }

        @Override
        public Instant instant()
        {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone)
        {
            return this;
        }
    }
}
