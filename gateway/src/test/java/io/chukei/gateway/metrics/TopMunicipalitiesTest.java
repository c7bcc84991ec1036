package io.chukei.gateway.metrics;

import io.chukei.protocol.codec.MunicipalityCodes;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TopMunicipalitiesTest
{
    private static final int OK = 0;
    private static final int REJECTED = 1;

    private final TopMunicipalities top = new TopMunicipalities("outcome", new String[] {"ok", "rejected"}, true, 2, 4);

    @Test
    void beforeAnyRankingEverythingCountsAsOther()
    {
        top.record("131016", OK);
        top.record("011002", REJECTED);

        assertThat(top.named()).isEmpty();
        assertThat(top.count(TopMunicipalities.OTHER, OK)).isEqualTo(1);
        assertThat(top.count(TopMunicipalities.OTHER, REJECTED)).isEqualTo(1);
    }

    @Test
    void rankingNamesTheBusiestAndTheirLaterEventsGoToTheirOwnSeries()
    {
        recordMany("131016", OK, 5);
        recordMany("011002", OK, 3);
        recordMany("272001", OK, 1);

        top.rerank();
        top.record("131016", OK);
        top.record("272001", OK);

        assertThat(top.named()).containsExactly("011002", "131016");
        assertThat(top.count("131016", OK)).isEqualTo(1);
        assertThat(top.count(TopMunicipalities.OTHER, OK)).isEqualTo(10);
    }

    @Test
    void aMunicipalityThatFallsOutOfTheTopCountsAsOtherAgain()
    {
        recordMany("131016", OK, 5);
        top.rerank();
        recordMany("131016", OK, 2);
        final long otherBefore = top.count(TopMunicipalities.OTHER, OK);

        recordMany("011002", OK, 9);
        recordMany("272001", OK, 8);
        top.rerank();
        recordMany("131016", OK, 1);

        assertThat(top.named()).containsExactly("011002", "272001");
        assertThat(top.count(TopMunicipalities.OTHER, OK)).isEqualTo(otherBefore + 9 + 8 + 1);
    }

    @Test
    void municipalitiesBeyondTheTrackedBoundCountAsOther()
    {
        for (int i = 0; i < 10; i++)
        {
            recordMany(String.format("%06d", i), OK, 10 - i);
        }
        top.rerank();

        assertThat(top.named()).containsExactly("000000", "000001");
        assertThat(top.count(TopMunicipalities.OTHER, OK)).isEqualTo(55);
    }

    @Test
    void labelValuesThatWouldNeedEscapingAreNeverNamed()
    {
        recordMany("13\"1016", OK, 5);
        top.rerank();

        assertThat(top.named()).isEmpty();
        assertThat(top.count(TopMunicipalities.OTHER, OK)).isEqualTo(5);
    }

    @Test
    void writesCountersAndACumulativeLatencyHistogram()
    {
        recordMany("131016", OK, 1);
        top.rerank();
        top.record("131016", OK, TimeUnit.MILLISECONDS.toNanos(3));
        top.record("131016", REJECTED, TimeUnit.SECONDS.toNanos(60));
        final StringBuilder out = new StringBuilder();

        top.writeTo(out, "x_requests", "help", "x_duration", "help", "node=\"1\",");

        assertThat(out.toString())
            .contains("# TYPE x_requests_total counter\n")
            .contains("x_requests_total{node=\"1\",municipality=\"131016\",outcome=\"ok\"} 1\n")
            .contains("x_requests_total{node=\"1\",municipality=\"other\",outcome=\"ok\"} 1\n")
            .contains("# TYPE x_duration_seconds histogram\n")
            .contains("x_duration_seconds_bucket{node=\"1\",municipality=\"131016\",le=\"0.0025\"} 0\n")
            .contains("x_duration_seconds_bucket{node=\"1\",municipality=\"131016\",le=\"0.005\"} 1\n")
            .contains("x_duration_seconds_bucket{node=\"1\",municipality=\"131016\",le=\"30.0\"} 1\n")
            .contains("x_duration_seconds_bucket{node=\"1\",municipality=\"131016\",le=\"+Inf\"} 2\n")
            .contains("x_duration_seconds_count{node=\"1\",municipality=\"131016\"} 2\n")
            .contains("x_duration_seconds_sum{node=\"1\",municipality=\"131016\"} 60.003\n");
    }

    @Test
    void recordingByCodeMatchesRecordingByName()
    {
        recordMany("131016", OK, 3);
        top.rerank();
        top.record(131016, OK);
        top.record(MunicipalityCodes.INVALID, REJECTED);

        assertThat(top.named()).containsExactly("131016");
        assertThat(top.count("131016", OK)).isEqualTo(1);
        assertThat(top.count(TopMunicipalities.OTHER, REJECTED)).isEqualTo(1);
    }

    @Test
    void totalsListTheNamedThenOther()
    {
        recordMany("131016", OK, 2);
        top.rerank();
        top.record(131016, OK, TimeUnit.MILLISECONDS.toNanos(2));
        top.record(11002, REJECTED);

        assertThat(top.totals()).extracting(TopMunicipalities.Totals::municipality).containsExactly("131016", "other");
        assertThat(top.totals().get(0).counts()).containsExactly(1, 0);
        assertThat(top.totals().get(0).latencyBuckets()[1]).as("the 2.5 ms bucket").isEqualTo(1);
        assertThat(top.totals().get(1).counts()).containsExactly(2, 1);
    }

    @Test
    void recordingAKnownMunicipalityByCodeAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final TopMunicipalities wide = new TopMunicipalities("outcome", new String[] {"ok", "rejected"}, true, 20, 4096);
        for (int code = 10_000; code < 12_000; code++)
        {
            wide.record(code, OK, 1_000_000);
        }
        wide.rerank();

        final int records = 200_000;
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < records; i++)
        {
            wide.record(10_000 + i % 2_000, i & 1, i);
        }
        final long perRecord = (threads.getThreadAllocatedBytes(thread) - before) / records;

        assertThat(perRecord).isLessThan(1);
        assertThat(wide.named()).hasSize(20);
    }

    private void recordMany(final String municipality, final int kind, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            top.record(municipality, kind);
        }
    }
}
