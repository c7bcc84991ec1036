package io.chukei.gateway.admission;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A nanoTime source that moves only when the test says so. */
final class ManualClock implements LongSupplier
{
    private long nanos = 1_000_000_000L;

    @Override
    public long getAsLong()
    {
        return nanos;
    }

    void advanceMs(final long ms)
    {
        nanos += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    void advanceMinutes(final long minutes)
    {
        nanos += TimeUnit.MINUTES.toNanos(minutes);
    }
}
