package io.chukei.gateway.admission;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FairSchedulerTest
{
    private static final String NOISY = "131016";

    private final ManualClock clock = new ManualClock();

    @Test
    void oneMunicipalitysBurstDoesNotStarveTheOthers()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder().queueBounds(1000, 20_000));
        for (int i = 0; i < 1000; i++)
        {
            scheduler.offer(NOISY, Priority.INTERACTIVE, NOISY + "#" + i);
        }
        final List<String> quiet = quietCodes(10);
        quiet.forEach(code -> scheduler.offer(code, Priority.INTERACTIVE, code + "#0"));

        final List<String> first = pollTimes(scheduler, 11);

        assertThat(first).containsAll(quiet.stream().map(code -> code + "#0").toList());
        assertThat(first).filteredOn(item -> item.startsWith(NOISY)).hasSize(1);
    }

    @Test
    void eachMunicipalitysRequestsLeaveInTheOrderTheyCame()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder());
        scheduler.offer(NOISY, Priority.BATCH, "a");
        scheduler.offer("011002", Priority.BATCH, "x");
        scheduler.offer(NOISY, Priority.BATCH, "b");
        scheduler.offer(NOISY, Priority.BATCH, "c");

        assertThat(pollTimes(scheduler, 4)).containsExactly("a", "x", "b", "c");
    }

    @Test
    void interactiveWorkLeavesBeforeBatchWork()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder().batchMinShare(0));
        scheduler.offer(NOISY, Priority.BATCH, "batch-1");
        scheduler.offer(NOISY, Priority.BATCH, "batch-2");
        scheduler.offer("011002", Priority.INTERACTIVE, "counter-1");
        scheduler.offer(NOISY, Priority.INTERACTIVE, "counter-2");

        assertThat(pollTimes(scheduler, 4)).containsExactly("counter-1", "counter-2", "batch-1", "batch-2");
    }

    @Test
    void batchGetsItsMinimumShareWhileInteractiveWorkWaits()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder().batchMinShare(0.1));
        for (int i = 0; i < 200; i++)
        {
            scheduler.offer(NOISY, Priority.INTERACTIVE, "i");
            scheduler.offer("011002", Priority.BATCH, "b");
        }

        final List<String> first100 = pollTimes(scheduler, 100);

        assertThat(first100).filteredOn("b"::equals).hasSize(10);
        assertThat(first100.subList(0, 9)).containsOnly("i");
        assertThat(first100.get(9)).isEqualTo("b");
    }

    @Test
    void batchAloneGetsEveryDispatch()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder().batchMinShare(0.1));
        scheduler.offer(NOISY, Priority.BATCH, "b1");
        scheduler.offer(NOISY, Priority.BATCH, "b2");

        assertThat(pollTimes(scheduler, 2)).containsExactly("b1", "b2");
        assertThat(scheduler.poll()).isNull();
    }

    @Test
    void aFullMunicipalityQueueIsOverloadedForThatMunicipalityOnly()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder().queueBounds(3, 100));
        for (int i = 0; i < 3; i++)
        {
            assertThat(scheduler.offer(NOISY, Priority.BATCH, "n").queued()).isTrue();
        }

        final Offer overflow = scheduler.offer(NOISY, Priority.INTERACTIVE, "n");

        assertThat(overflow.queued()).isFalse();
        assertThat(overflow.reason()).isEqualTo(RejectReason.OVERLOADED);
        assertThat(overflow.bound()).isEqualTo(Offer.Bound.MUNICIPALITY);
        assertThat(scheduler.depth(NOISY)).isEqualTo(3);
        assertThat(scheduler.offer("011002", Priority.BATCH, "q").queued()).isTrue();
    }

    @Test
    void aFullNodeQueueIsOverloadedForEveryone()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder().queueBounds(2, 4));
        quietCodes(4).forEach(code -> scheduler.offer(code, Priority.BATCH, code));

        final Offer overflow = scheduler.offer("011002", Priority.INTERACTIVE, "late");

        assertThat(overflow.bound()).isEqualTo(Offer.Bound.TOTAL);
        assertThat(scheduler.size()).isEqualTo(4);
    }

    @Test
    void retryAfterIsTheTimeTheQueueAheadTakesAtTheMeasuredDispatchRate()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder()
            .queueBounds(100, 100).retryAfterBoundsMs(1, 60_000));
        for (int i = 0; i < 100; i++)
        {
            scheduler.offer(NOISY, Priority.BATCH, "n");
        }
        // 50 dispatches in 500 ms: 100 per second.
        for (int i = 0; i < 50; i++)
        {
            clock.advanceMs(10);
            scheduler.poll();
        }
        for (int i = 0; i < 50; i++)
        {
            scheduler.offer(NOISY, Priority.BATCH, "n");
        }

        assertThat(scheduler.offer(NOISY, Priority.BATCH, "n").retryAfterMs()).isEqualTo(1000);
    }

    @Test
    void retryAfterIsTheMaximumBeforeAnythingWasDispatched()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder()
            .queueBounds(1, 10).retryAfterBoundsMs(50, 4000));
        scheduler.offer(NOISY, Priority.BATCH, "n");

        assertThat(scheduler.offer(NOISY, Priority.BATCH, "n").retryAfterMs()).isEqualTo(4000);
    }

    @Test
    void aReservedPlaceCountsTowardTheBoundsUntilFilledOrCancelled()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder().queueBounds(1, 10));

        assertThat(scheduler.reserve(NOISY).queued()).isTrue();
        assertThat(scheduler.reserve(NOISY).bound()).isEqualTo(Offer.Bound.MUNICIPALITY);
        assertThat(scheduler.poll()).isNull();

        scheduler.enqueueReserved(NOISY, Priority.INTERACTIVE, "accepted");
        assertThat(scheduler.poll()).isEqualTo("accepted");
        assertThat(scheduler.reserve(NOISY).queued()).isTrue();
        scheduler.cancel(NOISY);
        assertThat(scheduler.size()).isZero();
        assertThat(scheduler.municipalityCount()).isZero();
    }

    @Test
    void fillingAPlaceThatWasNeverReservedIsAProgrammingError()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder());

        assertThatThrownBy(() -> scheduler.enqueueReserved(NOISY, Priority.BATCH, "x"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no reserved place");
    }

    @Test
    void sizesCountByClassAndMunicipality()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder());
        scheduler.offer(NOISY, Priority.INTERACTIVE, "i");
        scheduler.offer(NOISY, Priority.BATCH, "b");
        scheduler.offer("011002", Priority.BATCH, "b");

        assertThat(scheduler.size()).isEqualTo(3);
        assertThat(scheduler.size(Priority.INTERACTIVE)).isEqualTo(1);
        assertThat(scheduler.size(Priority.BATCH)).isEqualTo(2);
        assertThat(scheduler.depth(NOISY)).isEqualTo(2);
        assertThat(scheduler.depth("271004")).isZero();
    }

    @Test
    void theOldestQueuedRequestIsFoundAmongTheHeadsOfEveryQueue()
    {
        final FairScheduler<String> scheduler = scheduler(AdmissionConfig.builder());
        scheduler.offer(NOISY, Priority.INTERACTIVE, "30");
        scheduler.offer(NOISY, Priority.INTERACTIVE, "5");
        scheduler.offer("011002", Priority.BATCH, "20");
        scheduler.offer("011002", Priority.INTERACTIVE, "40");

        assertThat(scheduler.oldest(Long::parseLong, -1)).as("heads are 30, 20 and 40").isEqualTo(20);
        scheduler.poll(Priority.BATCH);
        assertThat(scheduler.oldest(Long::parseLong, -1)).isEqualTo(30);
    }

    @Test
    void anEmptySchedulerHasNoOldestRequest()
    {
        assertThat(scheduler(AdmissionConfig.builder()).oldest(Long::parseLong, -1)).isEqualTo(-1);
    }

    private FairScheduler<String> scheduler(final AdmissionConfig.Builder config)
    {
        return new FairScheduler<>(config.build(), clock);
    }

    private static List<String> quietCodes(final int n)
    {
        final List<String> codes = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            codes.add(String.format("%06d", 400_000 + i));
        }
        return codes;
    }

    private static List<String> pollTimes(final FairScheduler<String> scheduler, final int n)
    {
        final List<String> polled = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            polled.add(scheduler.poll());
        }
        return polled;
    }
}
