package io.chukei.gateway.admission;

import com.netflix.concurrency.limits.limit.FixedLimit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamDispatcherTest
{
    private final ManualClock clock = new ManualClock();
    private final FairScheduler<String> scheduler =
        new FairScheduler<>(AdmissionConfig.builder().batchMinShare(0.5).build(), clock);
    private final List<String> sent = new ArrayList<>();
    private final List<UpstreamLimiter.Permit> permits = new ArrayList<>();

    @Test
    void sendsWhatTheWindowAllowsAndLeavesTheRestQueued()
    {
        final UpstreamDispatcher<String> dispatcher = dispatcher(3, 1.0);
        for (int i = 0; i < 5; i++)
        {
            scheduler.offer("131016", Priority.INTERACTIVE, "i" + i);
        }

        assertThat(dispatcher.drain()).isEqualTo(3);
        assertThat(sent).containsExactly("i0", "i1", "i2");
        assertThat(scheduler.size()).isEqualTo(2);
    }

    @Test
    void anEndedPermitLetsTheNextOneGo()
    {
        final UpstreamDispatcher<String> dispatcher = dispatcher(1, 1.0);
        scheduler.offer("131016", Priority.INTERACTIVE, "first");
        scheduler.offer("131016", Priority.INTERACTIVE, "second");
        dispatcher.drain();

        permits.get(0).onSuccess();
        dispatcher.drain();

        assertThat(sent).containsExactly("first", "second");
    }

    @Test
    void whenBatchsShareIsFullInteractiveStillGoes()
    {
        final UpstreamDispatcher<String> dispatcher = dispatcher(4, 0.25);
        scheduler.offer("011002", Priority.BATCH, "b0");
        scheduler.offer("011002", Priority.BATCH, "b1");
        scheduler.offer("131016", Priority.INTERACTIVE, "i0");
        scheduler.offer("131016", Priority.INTERACTIVE, "i1");
        scheduler.offer("131016", Priority.INTERACTIVE, "i2");

        dispatcher.drain();

        assertThat(sent).containsExactlyInAnyOrder("i0", "b0", "i1", "i2");
        assertThat(scheduler.size(Priority.BATCH)).isEqualTo(1);
    }

    private UpstreamDispatcher<String> dispatcher(final int limit, final double batchShare)
    {
        final UpstreamLimiter limiter = new UpstreamLimiter(FixedLimit.of(limit), batchShare, clock);
        return new UpstreamDispatcher<>(scheduler, limiter, (item, permit) ->
        {
            sent.add(item);
            permits.add(permit);
        });
    }
}
