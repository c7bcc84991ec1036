package io.chukei.bench.client;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SDK's request-id generator as it was before its random bits came from a CSPRNG (the
 * baseline of {@link RequestIdBenchmark}): same UUIDv7 layout, random bits from
 * {@link ThreadLocalRandom}, which two observed ids let an attacker predict.
 */
final class ThreadLocalRandomRequestIds
{
    private final Clock clock;

    ThreadLocalRandomRequestIds(final Clock clock)
    {
        this.clock = clock;
    }

    UUID next()
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long hi = (clock.millis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        final long lo = 0x8000_0000_0000_0000L | (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(hi, lo);
    }
}
