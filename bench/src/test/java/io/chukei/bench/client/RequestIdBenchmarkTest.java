package io.chukei.bench.client;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of {@link RequestIdBenchmark} makes a version-7 id with the RFC variant: like is compared with like. */
class RequestIdBenchmarkTest
{
    private final RequestIdBenchmark benchmark = new RequestIdBenchmark();

    @Test
    void everyCaseMakesAUuidV7()
    {
        for (final UUID id : new UUID[] {benchmark.baselineThreadLocalRandom(), benchmark.timeOrderedRequestIds(),
            benchmark.sharedDrbgPerId(), benchmark.sharedNativePrngPerId()})
        {
            assertThat(id.version()).as("%s", id).isEqualTo(7);
            assertThat(id.variant()).as("%s", id).isEqualTo(2);
        }
    }
}
