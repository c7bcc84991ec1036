package io.chukei.gateway.admission;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.chukei.gateway.admission.PreHelloLimiter.Admission.ADMITTED;
import static io.chukei.gateway.admission.PreHelloLimiter.Admission.OVER_ADDRESS_BOUND;
import static io.chukei.gateway.admission.PreHelloLimiter.Admission.OVER_TOTAL_BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreHelloLimiterTest
{
    private final PreHelloLimiter limiter = new PreHelloLimiter(5, 2);

    @Test
    void oneAddressGetsItsShareAndNoMore()
    {
        assertThat(limiter.tryAdmit(source("127.0.0.1"))).isEqualTo(ADMITTED);
        assertThat(limiter.tryAdmit(source("127.0.0.1"))).isEqualTo(ADMITTED);

        assertThat(limiter.tryAdmit(source("127.0.0.1"))).isEqualTo(OVER_ADDRESS_BOUND);
        assertThat(limiter.fromSource(source("127.0.0.1"))).isEqualTo(2);
        assertThat(limiter.total()).isEqualTo(2);
    }

    @Test
    void aFullAddressLeavesOtherAddressesIn()
    {
        fill("127.0.0.1", 2);

        assertThat(limiter.tryAdmit(source("127.0.0.2"))).isEqualTo(ADMITTED);
    }

    @Test
    void theTotalBoundsManyAddressesTogether()
    {
        fill("127.0.0.1", 2);
        fill("127.0.0.2", 2);
        assertThat(limiter.tryAdmit(source("127.0.0.3"))).isEqualTo(ADMITTED);

        assertThat(limiter.tryAdmit(source("127.0.0.4"))).isEqualTo(OVER_TOTAL_BOUND);
        assertThat(limiter.fromSource(source("127.0.0.4"))).as("a refusal holds nothing").isZero();
        assertThat(limiter.total()).isEqualTo(5);
    }

    @Test
    void aFullAddressIsNamedEvenWhenTheTotalIsFullToo()
    {
        fill("127.0.0.1", 2);
        fill("127.0.0.2", 2);
        fill("127.0.0.3", 1);

        assertThat(limiter.tryAdmit(source("127.0.0.1"))).isEqualTo(OVER_ADDRESS_BOUND);
    }

    @Test
    void aReleaseFreesThePlaceForTheSameAddress()
    {
        fill("127.0.0.1", 2);

        limiter.release(source("127.0.0.1"));

        assertThat(limiter.tryAdmit(source("127.0.0.1"))).isEqualTo(ADMITTED);
    }

    @Test
    void anAddressHoldingNothingIsForgotten()
    {
        fill("127.0.0.1", 2);

        limiter.release(source("127.0.0.1"));
        limiter.release(source("127.0.0.1"));

        assertThat(limiter.sources()).isZero();
        assertThat(limiter.total()).isZero();
    }

    @Test
    void releasingMoreThanWasAdmittedIsAProgrammingError()
    {
        limiter.tryAdmit(source("127.0.0.1"));
        limiter.release(source("127.0.0.1"));

        assertThatThrownBy(() -> limiter.release(source("127.0.0.1"))).isInstanceOf(IllegalStateException.class);
        assertThat(limiter.total()).isZero();
    }

    @Test
    void boundsThatCannotWorkAreRefused()
    {
        assertThatThrownBy(() -> new PreHelloLimiter(0, 1)).hasMessage("totalBound: 0 (expected: > 0)");
        assertThatThrownBy(() -> new PreHelloLimiter(4, 5)).hasMessage("perAddressBound: 5 (expected: 1..4, at most totalBound)");
    }

    @Test
    void racingAdmissionsNeverExceedEitherBound() throws Exception
    {
        final PreHelloLimiter shared = new PreHelloLimiter(100, 30);
        final int threads = 8;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Future<Integer>> admitted = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                // Four addresses, two threads each, 50 attempts per thread: 400 attempts for 4 x 30 = 120 address places.
                final Object address = source("127.0.0." + (1 + t % 4));
                admitted.add(pool.submit(() ->
                {
                    start.await();
                    int count = 0;
                    for (int i = 0; i < 50; i++)
                    {
                        if (shared.tryAdmit(address) == ADMITTED)
                        {
                            count++;
                        }
                    }
                    return count;
                }));
            }
            start.countDown();
            int total = 0;
            for (final Future<Integer> future : admitted)
            {
                total += future.get(10, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(100);
            assertThat(shared.total()).isEqualTo(100);
            for (int a = 1; a <= 4; a++)
            {
                assertThat(shared.fromSource(source("127.0.0." + a))).isLessThanOrEqualTo(30);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private void fill(final String address, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            assertThat(limiter.tryAdmit(source(address))).isEqualTo(ADMITTED);
        }
    }

    private static Object source(final String address)
    {
        try
        {
            return SourceAddress.keyOf(new InetSocketAddress(InetAddress.getByName(address), 40_000));
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
