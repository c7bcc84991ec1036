package io.chukei.bench.loadgen;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateScheduleTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aConstantRateSpacesRequestsEvenlyFromTheStart()
    {
        final RateSchedule schedule = RateSchedule.constant(4, 2 * SECOND, 0);

        assertThat(schedule.size()).isEqualTo(8);
        assertThat(intendedTimes(schedule)).containsExactly(
            0L, 250_000_000L, 500_000_000L, 750_000_000L, SECOND, 1_250_000_000L, 1_500_000_000L, 1_750_000_000L);
    }

    @Test
    void aRateThatDoesNotDivideASecondIsExactToTheNanosecondWithoutDrift()
    {
        final RateSchedule schedule = RateSchedule.constant(3, 10 * SECOND, 0);

        assertThat(schedule.intendedStartNs(1)).isEqualTo(333_333_333L);
        assertThat(schedule.intendedStartNs(2)).isEqualTo(666_666_666L);
        assertThat(schedule.intendedStartNs(3)).isEqualTo(SECOND);
        assertThat(schedule.intendedStartNs(29)).isEqualTo(9 * SECOND + 666_666_666L);
    }

    @Test
    void aHighRateOverALongRunDoesNotOverflow()
    {
        final RateSchedule schedule = RateSchedule.constant(5_000_000, TimeUnit.DAYS.toNanos(3), 0);

        final long last = schedule.size() - 1;
        assertThat(schedule.size()).isEqualTo(5_000_000L * 3 * 86_400);
        assertThat(schedule.intendedStartNs(last)).isEqualTo(TimeUnit.DAYS.toNanos(3) - 200);
    }

    @Test
    void theWarmupRunsAtTheFirstRateAndIsNotRecorded()
    {
        final RateSchedule schedule = RateSchedule.constant(10, 3 * SECOND, SECOND);

        assertThat(schedule.phases()).extracting(RateSchedule.Phase::name, RateSchedule.Phase::recorded)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("warmup", false), org.assertj.core.groups.Tuple.tuple("constant", true));
        assertThat(schedule.size()).isEqualTo(40);
        assertThat(schedule.phaseOf(9)).isZero();
        assertThat(schedule.phaseOf(10)).isEqualTo(1);
        assertThat(schedule.intendedStartNs(10)).isEqualTo(SECOND);
        assertThat(schedule.measuredStartNs()).isEqualTo(SECOND);
        assertThat(schedule.durationNs()).isEqualTo(4 * SECOND);
    }

    @Test
    void eachStepStartsAtItsBoundaryAndRunsAtItsOwnRate()
    {
        final RateSchedule schedule = RateSchedule.stepped(List.of(2L, 4L, 8L), SECOND, 0);

        assertThat(schedule.size()).isEqualTo(2 + 4 + 8);
        assertThat(intendedTimes(schedule)).containsExactly(
            0L, 500_000_000L,
            SECOND, SECOND + 250_000_000L, SECOND + 500_000_000L, SECOND + 750_000_000L,
            2 * SECOND, 2 * SECOND + 125_000_000L, 2 * SECOND + 250_000_000L, 2 * SECOND + 375_000_000L,
            2 * SECOND + 500_000_000L, 2 * SECOND + 625_000_000L, 2 * SECOND + 750_000_000L, 2 * SECOND + 875_000_000L);
        assertThat(schedule.phaseOf(5)).isEqualTo(1);
        assertThat(schedule.phaseOf(6)).isEqualTo(2);
        assertThat(schedule.phases()).extracting(RateSchedule.Phase::name).containsExactly("step 1", "step 2", "step 3");
    }

    @Test
    void intendedTimesNeverGoBackwards()
    {
        final RateSchedule schedule = RateSchedule.stepped(List.of(7L, 1000L, 3L, 999L), SECOND / 2, SECOND / 3);

        final List<Long> times = intendedTimes(schedule);
        assertThat(times).isSorted();
        assertThat(times.get(times.size() - 1)).isLessThan(schedule.durationNs());
    }

    @Test
    void aRateBelowOneIsAConfigurationError()
    {
        assertThatThrownBy(() -> RateSchedule.constant(0, SECOND, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ratePerSecond: 0 (expected: >= 1)");
    }

    private static List<Long> intendedTimes(final RateSchedule schedule)
    {
        final Long[] times = new Long[(int)schedule.size()];
        for (int i = 0; i < times.length; i++)
        {
            times[i] = schedule.intendedStartNs(i);
        }
        return List.of(times);
    }
}
