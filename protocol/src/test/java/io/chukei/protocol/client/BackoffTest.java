package io.chukei.protocol.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest
{
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new SplittableRandom(7));

    @Test
    void theBoundDoublesFromTheInitialDelayUpToTheMaximum()
    {
        final long[] bounds = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
        for (final long bound : bounds)
        {
            assertThat(backoff.nextDelayMs()).isBetween(0L, bound);
        }
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeRange()
    {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++)
        {
            backoff.reset();
            for (int failure = 0; failure < 10; failure++)
            {
                backoff.nextDelayMs();
            }
            final long delay = backoff.nextDelayMs();
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isLessThan(500);
        assertThat(max).isGreaterThan(4500);
    }

    @Test
    void resetStartsAgainFromTheInitialBound()
    {
        for (int i = 0; i < 20; i++)
        {
            backoff.nextDelayMs();
        }
        backoff.reset();

        assertThat(backoff.nextDelayMs()).isBetween(0L, 100L);
    }
}
