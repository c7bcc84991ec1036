package io.chukei.protocol.client.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand, to cross the outbox's hourly cycles. */
final class MovableClock extends Clock
{
    private final AtomicLong millis;

    MovableClock(final Instant start)
    {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    void advance(final Duration by)
    {
        millis.addAndGet(by.toMillis());
    }

    @Override
    public long millis()
    {
        return millis.get();
    }

    @Override
    public Instant instant()
    {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone)
    {
        throw new UnsupportedOperationException("withZone");
    }
}
