package io.chukei.gateway.health;

import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.metrics.RelayMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HealthMonitorTest
{
    private static final RelayConfig.Health DEFAULTS = new RelayConfig.Health(100, 500, 5000, 1000, 3000, 1000, 10_000);

    private long nowNanos = 7_000_000_000L;
    private long forwardAgeMs;
    private long journalAppendMs;
    private boolean waitingOnUpstream;
    private String journalSpace;
    private final List<String> heard = new ArrayList<>();
    private final HealthMonitor monitor = new HealthMonitor(DEFAULTS, () -> nowNanos,
        now -> TimeUnit.MILLISECONDS.toNanos(forwardAgeMs), () -> TimeUnit.MILLISECONDS.toNanos(journalAppendMs),
        new HealthListener()
        {
            @Override
            public void unhealthy(final String reason)
            {
                heard.add("unhealthy: " + reason);
            }

            @Override
            public void healthy()
            {
                heard.add("healthy");
            }

            @Override
            public void wokeAfterStall(final long stallMs)
            {
                heard.add("woke after " + stallMs + " ms");
            }
        }).waitingOnUpstream(now -> waitingOnUpstream).journalSpace(() -> journalSpace);

    @Test
    void aNodeWhoseChecksPassHearsNothing()
    {
        checks(50);

        assertThat(heard).isEmpty();
        assertThat(monitor.isUnhealthy()).isFalse();
    }

    @Test
    void anEventLoopRunningItsProbeLateMakesTheNodeUnhealthyNamingTheLag()
    {
        final LoopProbe probe = monitor.probe();
        probe.arm(nowNanos + ms(100));
        advanceMs(100 + 812);
        probe.ran(nowNanos);

        monitor.check();

        assertThat(heard).containsExactly("unhealthy: event-loop lag 812 ms (bound 500 ms)");
        assertThat(monitor.eventLoopLagMs()).isEqualTo(812);
    }

    @Test
    void anEventLoopStuckForGoodShowsAGrowingLagBeforeItsProbeEverRuns()
    {
        final LoopProbe probe = monitor.probe();
        probe.arm(nowNanos + ms(100));

        checks(6);
        assertThat(heard).as("500 ms overdue is still within the bound").isEmpty();
        checks(1);

        assertThat(heard).containsExactly("unhealthy: event-loop lag 600 ms (bound 500 ms)");
    }

    @Test
    void lagWhileTheNodeStartsAndWithinTheGraceAfterReadyIsWarmUpNotAFailure()
    {
        final LoopProbe probe = monitor.probe();
        monitor.startingUp();
        probe.arm(nowNanos + ms(100));
        checks(10);
        assertThat(heard).as("a 1 s overdue probe before ready").isEmpty();
        probe.ran(nowNanos);

        monitor.ready();
        probe.arm(nowNanos + ms(100));
        checks(9_900 / 100);
        probe.ran(nowNanos);

        assertThat(heard).as("9.9 s overdue, within the 10 s grace after ready").isEmpty();
        assertThat(monitor.lagExcused()).isGreaterThan(0);
        assertThat(monitor.eventLoopLagMs()).as("the gauge still shows it").isGreaterThan(500);
    }

    @Test
    void lagAfterTheGraceEndsMakesTheNodeUnhealthyAgain()
    {
        final LoopProbe probe = monitor.probe();
        monitor.startingUp();
        monitor.ready();
        advanceMs(10_000);
        probe.arm(nowNanos + ms(100));
        advanceMs(100 + 812);
        probe.ran(nowNanos);

        monitor.check();

        assertThat(heard).containsExactly("unhealthy: event-loop lag 812 ms (bound 500 ms)");
        assertThat(monitor.lagExcused()).isZero();
    }

    @Test
    void theGraceExcusesLagOnlyNotAStall()
    {
        monitor.startingUp();
        monitor.check();
        advanceMs(1400);

        monitor.check();

        assertThat(heard).containsExactly("woke after 1300 ms", "unhealthy: woke after a stall of 1300 ms");
    }

    @Test
    void theNodeIsHealthyAgainOnlyAfterEveryCheckPassedForTheRecoveryTime()
    {
        journalAppendMs = 1500;
        checks(1);
        journalAppendMs = 0;

        checks(29);
        assertThat(heard).as("2.9 s after the last failure").containsExactly("unhealthy: journal append 1500 ms (bound 1000 ms)");
        checks(1);

        assertThat(heard).endsWith("healthy");
        assertThat(monitor.isUnhealthy()).isFalse();
    }

    @Test
    void aFailureDuringRecoveryStartsTheRecoveryTimeAgain()
    {
        journalAppendMs = 1500;
        checks(1);
        journalAppendMs = 0;
        checks(20);
        journalAppendMs = 1500;
        checks(1);
        journalAppendMs = 0;

        checks(29);

        assertThat(heard).as("still failing, so told only once").containsExactly(
            "unhealthy: journal append 1500 ms (bound 1000 ms)");
    }

    @Test
    void anUnexcusedForwardAgeSaysWhatTheUpstreamWaitSaw()
    {
        monitor.waitingOnUpstream(new HealthMonitor.UpstreamWaiting()
        {
            @Override
            public boolean waiting(final long nowNanos)
            {
                return false;
            }

            @Override
            public String describe(final long nowNanos)
            {
                return "upstream window 3 in flight of 20 (not full)";
            }
        });
        forwardAgeMs = 5001;

        checks(1);

        assertThat(heard).containsExactly("unhealthy: oldest unforwarded request waiting 5001 ms (bound 5000 ms); " +
            "not card management's slowness: upstream window 3 in flight of 20 (not full)");
    }

    @Test
    void aForwarderThatMakesNoProgressMakesTheNodeUnhealthy()
    {
        forwardAgeMs = 5001;

        checks(1);

        assertThat(heard).containsExactly("unhealthy: oldest unforwarded request waiting 5001 ms (bound 5000 ms)");
        assertThat(monitor.forwardAgeMs()).isEqualTo(5001);
    }

    @Test
    void aQueueWaitingOnSlowCardManagementIsNoFailureButIsCounted()
    {
        waitingOnUpstream = true;
        forwardAgeMs = 5020;

        checks(20);

        assertThat(heard).as("card management is slow for every node alike").isEmpty();
        assertThat(monitor.isUnhealthy()).isFalse();
        assertThat(monitor.forwardAgeMs()).as("the gauge still shows the age").isEqualTo(5020);
        assertThat(monitor.forwardAgeExcused()).isEqualTo(20);
    }

    @Test
    void aQueueThatStopsWaitingOnCardManagementIsJudgedAgain()
    {
        waitingOnUpstream = true;
        forwardAgeMs = 6000;
        checks(3);
        waitingOnUpstream = false;

        checks(1);

        assertThat(heard).containsExactly("unhealthy: oldest unforwarded request waiting 6000 ms (bound 5000 ms)");
    }

    @Test
    void aFullJournalDiskMakesTheNodeUnhealthyNamingIt()
    {
        journalSpace = "journal space: disk full";

        checks(1);

        assertThat(heard).containsExactly("unhealthy: journal space: disk full");
    }

    @Test
    void aCheckRunningMoreThanTheStallBoundLateIsAWakeUpReportedAtOnce()
    {
        checks(3);

        advanceMs(100 + 1400);
        monitor.check();

        assertThat(heard).containsExactly("woke after 1400 ms", "unhealthy: woke after a stall of 1400 ms");
        assertThat(monitor.stallWakeups()).isEqualTo(1);
    }

    @Test
    void aCheckLateByLessThanTheStallBoundIsNoStall()
    {
        checks(1);

        advanceMs(100 + 1000);
        monitor.check();

        assertThat(heard).isEmpty();
    }

    @Test
    void aStallIsReportedEvenWhileAlreadyUnhealthy()
    {
        forwardAgeMs = 6000;
        checks(1);

        advanceMs(100 + 2000);
        monitor.check();

        assertThat(heard).containsExactly("unhealthy: oldest unforwarded request waiting 6000 ms (bound 5000 ms)",
            "woke after 2000 ms", "unhealthy: woke after a stall of 2000 ms");
    }

    @Test
    void theMetricsShowTheStateAndTheWakeUps()
    {
        final RelayMetrics metrics = new RelayMetrics(1);
        monitor.bind(metrics);
        checks(1);
        advanceMs(100 + 1500);
        monitor.check();

        final String scrape = metrics.scrape();

        assertThat(scrape).contains("chukei_health_unhealthy{node=\"1\"} 1.0");
        assertThat(scrape).contains("chukei_health_stall_wakeups_total{node=\"1\"} 1.0");
        assertThat(scrape).contains("chukei_health_eventloop_lag_seconds{node=\"1\"}",
            "chukei_health_forward_age_seconds{node=\"1\"}", "chukei_health_journal_append_seconds{node=\"1\"}");
    }

    private void checks(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            advanceMs(100);
            monitor.check();
        }
    }

    private void advanceMs(final long ms)
    {
        nowNanos += ms(ms);
    }

    private static long ms(final long ms)
    {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
