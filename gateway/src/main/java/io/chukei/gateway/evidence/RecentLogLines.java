package io.chukei.gateway.evidence;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last log lines of this JVM, kept in memory for the next evidence bundle: the lines that explain a stall
 * are often written just before it, and are gone (rotated, or never shipped) by the time someone looks.
 * Bounded by count; formatting happens when a line is logged, which is off the hot path (the node logs
 * state changes and warnings, not requests).
 */
public final class RecentLogLines extends AppenderBase<ILoggingEvent>
{
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%thread] %logger{1} - %msg%n";

    private final int capacity;
    private final ArrayDeque<String> lines;
    private PatternLayout layout;

    public RecentLogLines(final int capacity)
    {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /**
     * Attaches a ring to the root logger; null when the logging backend is not logback (nothing is kept then).
     */
    public static RecentLogLines attach(final int capacity, final String name)
    {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context))
        {
            return null;
        }
        final RecentLogLines ring = new RecentLogLines(capacity);
        ring.setContext(context);
        ring.setName(name);
        final PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(PATTERN);
        layout.start();
        ring.layout = layout;
        ring.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(ring);
        return ring;
    }

    /** Detaches from the root logger. */
    public void detach()
    {
        if (getContext() instanceof LoggerContext context)
        {
            context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
        }
        stop();
    }

    @Override
    protected void append(final ILoggingEvent event)
    {
        // AppenderBase.doAppend is synchronized: one writer at a time.
        final String line = layout == null ? event.getFormattedMessage() + "\n" : layout.doLayout(event);
        if (lines.size() == capacity)
        {
            lines.pollFirst();
        }
        lines.addLast(line);
    }

    /** A copy of the kept lines, oldest first. */
    public synchronized List<String> snapshot()
    {
        return new ArrayList<>(lines);
    }
}
