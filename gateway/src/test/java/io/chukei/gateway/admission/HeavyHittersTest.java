package io.chukei.gateway.admission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeavyHittersTest
{
    @Test
    void exactCountsWhileEveryKeyFits()
    {
        final HeavyHitters counter = new HeavyHitters(10);
        counter.add("131016", 5);
        counter.add("011002", 3);
        counter.increment("271004");

        final HeavyHitters.Snapshot snapshot = counter.snapshot(2);

        assertThat(snapshot.top()).containsExactly(
            new HeavyHitters.Entry("131016", 5, 0), new HeavyHitters.Entry("011002", 3, 0));
        assertThat(snapshot.other()).isEqualTo(1);
        assertThat(snapshot.total()).isEqualTo(9);
    }

    @Test
    void heavyKeysAreFoundAmongManyLightOnes()
    {
        final HeavyHitters counter = new HeavyHitters(16);
        for (int round = 0; round < 100; round++)
        {
            counter.add("131016", 50);
            counter.add("271004", 20);
            for (int light = 0; light < 100; light++)
            {
                counter.increment(String.format("%06d", 400_000 + light));
            }
        }

        final HeavyHitters.Snapshot snapshot = counter.snapshot(2);

        assertThat(snapshot.top()).extracting(HeavyHitters.Entry::key).containsExactly("131016", "271004");
        final HeavyHitters.Entry heaviest = snapshot.top().get(0);
        assertThat(heaviest.count() - heaviest.error()).isLessThanOrEqualTo(5000);
        assertThat(heaviest.count()).isGreaterThanOrEqualTo(5000);
        assertThat(snapshot.total()).isEqualTo(100 * (50 + 20 + 100));
        assertThat(snapshot.other() + snapshot.top().stream().mapToLong(HeavyHitters.Entry::count).sum())
            .isEqualTo(snapshot.total());
    }

    @Test
    void aNewKeyInheritsTheSmallestCountAsItsError()
    {
        final HeavyHitters counter = new HeavyHitters(2);
        counter.add("a", 5);
        counter.add("b", 2);

        counter.increment("c");

        assertThat(counter.snapshot(2).top()).containsExactly(
            new HeavyHitters.Entry("a", 5, 0), new HeavyHitters.Entry("c", 3, 2));
    }

    @Test
    void metricsCountByReasonPriorityAndTopMunicipalities()
    {
        final AdmissionMetrics metrics = new AdmissionMetrics(1);
        metrics.admitted(Priority.INTERACTIVE);
        metrics.rejected(RejectReason.RATE_LIMITED, Priority.BATCH, "131016");
        metrics.rejected(RejectReason.RATE_LIMITED, Priority.BATCH, "131016");
        metrics.rejected(RejectReason.OVERLOADED, Priority.INTERACTIVE, "011002");

        assertThat(metrics.admittedCount(Priority.INTERACTIVE)).isEqualTo(1);
        assertThat(metrics.admittedCount(Priority.BATCH)).isZero();
        assertThat(metrics.rejectedCount(RejectReason.RATE_LIMITED, Priority.BATCH)).isEqualTo(2);
        assertThat(metrics.rejectedCount(RejectReason.OVERLOADED)).isEqualTo(1);
        assertThat(metrics.rejectedByMunicipality().top()).extracting(HeavyHitters.Entry::key).containsExactly("131016");
        assertThat(metrics.rejectedByMunicipality().other()).isEqualTo(1);
    }
}
