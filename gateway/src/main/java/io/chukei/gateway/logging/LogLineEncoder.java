package io.chukei.gateway.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.Encoder;

import java.util.Locale;

/**
 * The node's log encoder, switched by one property: {@code format=text} (a line by {@code pattern}) or
 * {@code format=json} ({@link JsonLineEncoder}). One appender with a switchable encoder, because logback
 * without Janino has no conditionals, and an unreferenced second appender makes logback print its status
 * on stdout, where the {@code chukei ready:} line goes.
 */
public final class LogLineEncoder extends EncoderBase<ILoggingEvent>
{
    private String format = "text";
    private String pattern = "%d %-5level [%thread] %logger{1} - %msg%n";
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(final String format)
    {
        this.format = format;
    }

    public void setPattern(final String pattern)
    {
        this.pattern = pattern;
    }

    @Override
    public void start()
    {
        final String chosen = format == null ? "text" : format.trim().toLowerCase(Locale.ROOT);
        if (chosen.equals("json"))
        {
            delegate = new JsonLineEncoder();
        }
        else
        {
            if (!chosen.equals("text"))
            {
                addWarn("format: '" + format + "' (expected: text or json); using text");
            }
            final PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop()
    {
        if (delegate != null)
        {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes()
    {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(final ILoggingEvent event)
    {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes()
    {
        return delegate.footerBytes();
    }
}
