package io.chukei.gateway.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlines scheduled from another thread than the loop's, as a restart registers its recovered requests, each expire
 * once and not before their delay, on a real event loop (the other tests' embedded loop is always "in the loop").
 */
class DeadlinesOffLoopTest
{
    private static final int REQUESTS = 20_000;

    /** Tasks handed to the loop from other threads (the timer's own scheduling is not counted). */
    private final AtomicInteger tasksExecuted = new AtomicInteger();
    private final DefaultEventLoop loop = new DefaultEventLoop()
    {
        @Override
        public void execute(final Runnable task)
        {
            if (!inEventLoop())
            {
                tasksExecuted.incrementAndGet();
            }
            super.execute(task);
        }
    };
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<InFlightRequest> created = new ArrayList<>();
    private final Map<Long, Integer> expiries = new ConcurrentHashMap<>();
    private final Map<Long, Long> scheduledAtNanos = new ConcurrentHashMap<>();
    private final AtomicInteger early = new AtomicInteger();
    private final CountDownLatch allExpired = new CountDownLatch(REQUESTS);
    private final Deadlines deadlines = new Deadlines(loop, (request, generation) ->
    {
        if (request.complete(generation))
        {
            final long lo = request.idLo();
            if (System.nanoTime() - scheduledAtNanos.get(lo) < TimeUnit.MILLISECONDS.toNanos(delayMs(lo)))
            {
                early.incrementAndGet();
            }
            expiries.merge(lo, 1, Integer::sum);
            allExpired.countDown();
        }
    });

    @AfterEach
    void stop() throws InterruptedException
    {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        created.forEach(InFlightRequest::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void requestsScheduledOffTheLoopEachExpireOnceAndNotBeforeTheirDelay() throws InterruptedException
    {
        for (long lo = 0; lo < REQUESTS; lo++)
        {
            final InFlightRequest request = InFlightRequest.of(131016, 1, lo, Unpooled.buffer(1), lo, 0, System.nanoTime(), channel, false);
            created.add(request);
            scheduledAtNanos.put(lo, System.nanoTime());
            deadlines.schedule(request, delayMs(lo));
        }

        assertThat(allExpired.await(30, TimeUnit.SECONDS)).as("every request expired; %d did", REQUESTS - allExpired.getCount())
            .isTrue();
        assertThat(expiries).hasSize(REQUESTS).allSatisfy((lo, count) -> assertThat(count).as("expiries of %d", lo).isEqualTo(1));
        assertThat(early.get()).as("expired before their delay").isZero();
    }

    @Test
    void requestsScheduledOffTheLoopWhileItIsBusyReachItAsOneTask() throws InterruptedException
    {
        final CountDownLatch busy = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        loop.execute(() ->
        {
            busy.countDown();
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        final int before = tasksExecuted.get();
        for (long lo = 0; lo < REQUESTS; lo++)
        {
            final InFlightRequest request = InFlightRequest.of(131016, 1, lo, Unpooled.buffer(1), lo, 0, System.nanoTime(), channel, false);
            created.add(request);
            scheduledAtNanos.put(lo, System.nanoTime());
            deadlines.schedule(request, delayMs(lo));
        }
        final int handOvers = tasksExecuted.get() - before;
        release.countDown();

        // One task per request kept a restart's event loops busy with 100,000 of them ahead of the listener's bind.
        assertThat(handOvers).as("tasks for %d requests scheduled off the loop", REQUESTS).isEqualTo(1);
        assertThat(allExpired.await(30, TimeUnit.SECONDS)).as("every request expired; %d did", REQUESTS - allExpired.getCount())
            .isTrue();
        assertThat(expiries).hasSize(REQUESTS).allSatisfy((lo, count) -> assertThat(count).as("expiries of %d", lo).isEqualTo(1));
        assertThat(early.get()).as("expired before their delay").isZero();
    }

    /** 0..49 ms, in an order that is not the order of scheduling. */
    private static long delayMs(final long lo)
    {
        return lo * 7 % 50;
    }
}
