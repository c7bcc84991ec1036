package io.chukei.gateway.tls;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One log line per refusal reason per {@link #INTERVAL_NS} at most; the refusals in between are
 * counted and the next line says how many there were. A peer retrying a refused certificate
 * in a loop must not flood the log (the metric counts every one).
 */
final class RefusalLog
{
    static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final Consumer<String> sink;
    private final LongSupplier nanoClock;
    private final AtomicLong[] nextLineAtNs = new AtomicLong[PeerRefusal.values().length];
    private final AtomicLong[] suppressed = new AtomicLong[PeerRefusal.values().length];

    RefusalLog(final Consumer<String> sink, final LongSupplier nanoClock)
    {
        this.sink = sink;
        this.nanoClock = nanoClock;
        final long now = nanoClock.getAsLong();
        for (int i = 0; i < nextLineAtNs.length; i++)
        {
            nextLineAtNs[i] = new AtomicLong(now);
            suppressed[i] = new AtomicLong();
        }
    }

    /** Logs {@code line} unless a line for this reason was logged within the interval. */
    void refused(final PeerRefusal reason, final String line)
    {
        final int i = reason.ordinal();
        final long now = nanoClock.getAsLong();
        final long due = nextLineAtNs[i].get();
        if (now - due < 0 || !nextLineAtNs[i].compareAndSet(due, now + INTERVAL_NS))
        {
            suppressed[i].incrementAndGet();
            return;
        }
        final long skipped = suppressed[i].getAndSet(0);
        sink.accept(skipped == 0 ? line : line + " (" + skipped + " more refused for " + reason.tag()
            + " since the last line)");
    }
}
