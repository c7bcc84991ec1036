package io.chukei.gateway.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-flight map shared by event loops: one winner per id, nothing lost while threads add and remove at once. */
class ConcurrentRequestIdMapTest
{
    private static final int SCOPE = RequestIdMapTest.SCOPE;

    private static final int THREADS = 4;

    private final ConcurrentRequestIdMap<RequestIdMapTest.Id> map = new ConcurrentRequestIdMap<>(16, 4);

    @Test
    void aValueIsFoundInItsStripeAndCountedOnce()
    {
        final RequestIdMapTest.Id value = new RequestIdMapTest.Id(1, 2);
        map.putIfAbsent(value);

        assertThat(map.get(SCOPE, 1, 2, found -> { })).isSameAs(value);
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.values()).containsExactly(value);
    }

    @Test
    void whatRunsOnAFoundValueRunsOnlyWhenOneIsFound()
    {
        final AtomicInteger seen = new AtomicInteger();
        map.putIfAbsent(new RequestIdMapTest.Id(1, 2));

        assertThat(map.get(SCOPE, 1, 2, value -> seen.incrementAndGet())).isNotNull();
        assertThat(map.get(SCOPE, 1, 3, value -> seen.incrementAndGet())).isNull();
        assertThat(seen.get()).isEqualTo(1);
    }

    @Test
    void aStripeCountThatIsNotAPowerOfTwoIsRefused()
    {
        assertThatThrownBy(() -> new ConcurrentRequestIdMap<RequestIdMapTest.Id>(12, 4))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("stripes: 12 (expected: a power of two >= 1)");
    }

    @Test
    @Timeout(30)
    void threadsRacingForTheSameIdsGetExactlyOneWinnerEach() throws Exception
    {
        final int ids = 20_000;
        final AtomicInteger wins = new AtomicInteger();
        runTogether(thread ->
        {
            for (int lo = 0; lo < ids; lo++)
            {
                if (map.putIfAbsent(new RequestIdMapTest.Id(thread % 2, lo)) == null)
                {
                    wins.incrementAndGet();
                }
            }
        });

        // Two distinct hi values, each raced for by two threads.
        assertThat(wins.get()).isEqualTo(2 * ids);
        assertThat(map.size()).isEqualTo(2 * ids);
    }

    @Test
    @Timeout(30)
    void valuesAddedAndRemovedByManyThreadsAtOnceAreNeitherLostNorLeftBehind() throws Exception
    {
        final int perThread = 50_000;
        runTogether(thread ->
        {
            // Each thread keeps up to 100 of its own in the map and checks every one is still found before removing it.
            final List<RequestIdMapTest.Id> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++)
            {
                final RequestIdMapTest.Id value = new RequestIdMapTest.Id(thread, i);
                assertThat(map.putIfAbsent(value)).isNull();
                mine.add(value);
                if (mine.size() == 100)
                {
                    for (final RequestIdMapTest.Id kept : mine)
                    {
                        assertThat(map.get(SCOPE, kept.idHi(), kept.idLo(), found -> { })).isSameAs(kept);
                        assertThat(map.remove(kept)).isTrue();
                    }
                    mine.clear();
                }
            }
        });

        assertThat(map.size()).isZero();
    }

    private static void runTogether(final ThreadBody body) throws Exception
    {
        final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try
        {
            final CyclicBarrier start = new CyclicBarrier(THREADS);
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                done.add(threads.submit(() ->
                {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            for (final Future<?> future : done)
            {
                future.get(20, TimeUnit.SECONDS);
            }
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface ThreadBody
    {
        void run(int thread);
    }
}
