package io.chukei.gateway.latency;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Values from several recording threads end up in the interval and in the totals since start, each once. */
class StageHistogramsTest
{
    private static final long[] BOUNDS = {1_000_000, 10_000_000};

    private final StageHistograms stages = new StageHistograms(StageLogConfig.defaults());

    @Test
    @Timeout(10)
    void valuesOfEveryRecordingThreadAreTakenOnceIntoTheInterval() throws InterruptedException
    {
        recordOn(new FastThreadLocalThread(() -> stages.record(Stage.UPSTREAM, 2_000_000)));
        recordOn(new Thread(() -> stages.record(Stage.UPSTREAM, 4_000_000)));
        stages.record(Stage.UPSTREAM, 500_000);

        final Histogram[] intervals = new Histogram[Stage.values().length];
        stages.takeIntervals(intervals);
        final Histogram upstream = intervals[Stage.UPSTREAM.ordinal()];
        assertThat(upstream.getTotalCount()).isEqualTo(3);
        assertThat(upstream.getMaxValue()).isBetween(3_960_000L, 4_040_000L);
        assertThat(intervals[Stage.VALIDATE.ordinal()].getTotalCount()).isZero();

        stages.takeIntervals(intervals);
        assertThat(intervals[Stage.UPSTREAM.ordinal()].getTotalCount()).as("the next interval starts empty").isZero();
    }

    @Test
    void totalsKeepCountingAcrossIntervalsPerBucket()
    {
        stages.record(Stage.END_TO_END, 500_000);
        stages.takeIntervals(new Histogram[Stage.values().length]);
        stages.record(Stage.END_TO_END, 5_000_000);
        stages.record(Stage.END_TO_END, 50_000_000);

        final StageTotals endToEnd = totals(Stage.END_TO_END);
        assertThat(endToEnd.count()).isEqualTo(3);
        assertThat(endToEnd.buckets()).as("<= 1 ms, <= 10 ms, above").containsExactly(1, 1, 1);
        assertThat(endToEnd.sumNanos()).isCloseTo(55_500_000, within(555_000.0));
        assertThat(totals(Stage.VALIDATE).count()).isZero();
    }

    @Test
    void aNegativeValueCountsAsZeroAndAHugeOneAsTheHighest()
    {
        stages.record(Stage.ANSWER, -5);
        stages.record(Stage.ANSWER, Long.MAX_VALUE);

        final StageTotals answer = totals(Stage.ANSWER);
        assertThat(answer.count()).isEqualTo(2);
        assertThat(answer.buckets()).as("<= 1 ms, <= 10 ms, above").containsExactly(1, 0, 1);
    }

    private StageTotals totals(final Stage stage)
    {
        final List<StageTotals> all = stages.totals(BOUNDS);
        assertThat(all).extracting(StageTotals::stage).containsExactly(Stage.values());
        return all.get(stage.ordinal());
    }

    private static void recordOn(final Thread thread) throws InterruptedException
    {
        thread.start();
        thread.join();
    }
}
