package io.chukei.protocol.client;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates request ids laid out as UUIDv7 (RFC 9562): a 48-bit millisecond timestamp, then 74
 * random bits around the version and variant bits. Ids sort by creation time to the
 * millisecond, which keeps journals and traces readable; the random bits make a collision
 * between connectors negligible. The version bits make an all-zero id impossible.
 *
 * <pre>
 *  hi: | unix_ts_ms (48) | ver=0111 (4) | rand_a (12) |
 *  lo: | var=10 (2)      | rand_b (62)                |
 * </pre>
 *
 * Thread-safe: random bits come from the calling thread's {@link ThreadLocalRandom}.
 */
public final class TimeOrderedRequestIds
{
    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;
    private static final long RAND_B_MASK = 0x3FFF_FFFF_FFFF_FFFFL;

    private final Clock clock;

    public TimeOrderedRequestIds(final Clock clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public UUID next()
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long hi = (clock.millis() << 16) | VERSION_7 | (random.nextLong() & 0x0FFFL);
        final long lo = VARIANT_RFC | (random.nextLong() & RAND_B_MASK);
        return new UUID(hi, lo);
    }
}
