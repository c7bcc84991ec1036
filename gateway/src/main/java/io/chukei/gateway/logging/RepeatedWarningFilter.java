package io.chukei.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Folds repeated warnings and errors: per logger and message pattern (and throwable class), the first
 * {@code burst} events of each {@code windowMs} window are logged, the rest only counted; the first event
 * after a window with suppressed repeats is preceded by one line saying how many were left out. An 8 s
 * card-management stall once wrote 321 lines, most of them the same TLS warning once per connection;
 * the on-duty operator needs the first few and the count, not the storm.
 *
 * <p>Keys are bounded ({@code maxKeys}); when full, unknown keys pass unfiltered (never lose a new kind of
 * warning to the filter's own bookkeeping). INFO and below always pass. In logback.xml:
 * {@code <turboFilter class="io.chukei.gateway.logging.RepeatedWarningFilter"/>}.
 */
public final class RepeatedWarningFilter extends TurboFilter
{
    private static final class Window
    {
        long startMs;
        int logged;
        long suppressed;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier clockMs;
    private int burst = 3;
    private long windowMs = 10_000;
    private int maxKeys = 1_000;

    public RepeatedWarningFilter()
    {
        this(System::currentTimeMillis);
    }

    RepeatedWarningFilter(final LongSupplier clockMs)
    {
        this.clockMs = clockMs;
    }

    public void setBurst(final int burst)
    {
        this.burst = burst;
    }

    public void setWindowMs(final long windowMs)
    {
        this.windowMs = windowMs;
    }

    public void setMaxKeys(final int maxKeys)
    {
        this.maxKeys = maxKeys;
    }

    @Override
    public FilterReply decide(final Marker marker, final Logger logger, final Level level, final String format,
        final Object[] params, final Throwable t)
    {
        if (level == null || !level.isGreaterOrEqual(Level.WARN) || format == null || !isStarted())
        {
            return FilterReply.NEUTRAL;
        }
        final Throwable cause = t != null ? t : lastThrowable(params);
        final String key = logger.getName() + '|' + format + (cause == null ? "" : '|' + cause.getClass().getName());
        Window window = windows.get(key);
        if (window == null)
        {
            if (windows.size() >= maxKeys)
            {
                return FilterReply.NEUTRAL;
            }
            window = windows.computeIfAbsent(key, k -> new Window());
        }
        final long suppressedBefore;
        synchronized (window)
        {
            final long now = clockMs.getAsLong();
            if (window.logged == 0 || now - window.startMs >= windowMs)
            {
                suppressedBefore = window.suppressed;
                window.startMs = now;
                window.logged = 1;
                window.suppressed = 0;
            }
            else if (window.logged < burst)
            {
                window.logged++;
                return FilterReply.NEUTRAL;
            }
            else
            {
                window.suppressed++;
                return FilterReply.DENY;
            }
        }
        if (suppressedBefore > 0)
        {
            // Logged through the same logger, so it lands where the warning does; INFO passes this filter.
            logger.info("{} more of this warning were not logged in the previous {} ms: {}", suppressedBefore, windowMs,
                format);
        }
        evictIdle();
        return FilterReply.NEUTRAL;
    }

    private void evictIdle()
    {
        if (windows.size() < maxKeys / 2)
        {
            return;
        }
        final long now = clockMs.getAsLong();
        for (final Iterator<Window> it = windows.values().iterator(); it.hasNext(); )
        {
            final Window w = it.next();
            synchronized (w)
            {
                if (w.suppressed == 0 && now - w.startMs >= windowMs)
                {
                    it.remove();
                }
            }
        }
    }

    private static Throwable lastThrowable(final Object[] params)
    {
        if (params != null && params.length > 0 && params[params.length - 1] instanceof Throwable)
        {
            return (Throwable)params[params.length - 1];
        }
        return null;
    }
}
