package io.chukei.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object per line, for log shippers ({@code chukei.log.format=json}):
 *
 * <pre>
 * {"ts":"2026-12-04T14:32:26.966Z","level":"WARN","logger":"io.chukei.gateway.cluster.ClusterView",
 *  "thread":"chukei-probe-1-1","node":"1","event":"peer-state","requestId":"..","municipality":"131016",
 *  "msg":"Node 1 sees peer 2: ACTIVE -> SUSPECT (3 probes missed in a row; ...)","error":{..}}
 * </pre>
 *
 * {@code node}, {@code event}, {@code requestId} and {@code municipality} come from the event's key-value
 * pairs (SLF4J 2's {@code LOG.atWarn().addKeyValue("event", "peer-state")}) or the MDC; {@code node} also
 * from the context property {@code chukei.node} that a node sets at start. Only these keys are written:
 * never the raw arguments or other MDC entries, so whatever else a caller attaches (a personal number, a
 * name, an address) does not reach the log. The message itself follows the project's rule that personal
 * data is never logged in clear.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent>
{
    /** The only keys taken from key-value pairs and the MDC. */
    static final Set<String> FIELDS = Set.of("node", "event", "requestId", "municipality");
    private static final int MAX_FRAMES = 40;

    @Override
    public byte[] headerBytes()
    {
        return null;
    }

    @Override
    public byte[] footerBytes()
    {
        return null;
    }

    @Override
    public byte[] encode(final ILoggingEvent event)
    {
        final StringBuilder out = new StringBuilder(256);
        out.append("{\"ts\":");
        string(out, Instant.ofEpochMilli(event.getTimeStamp()).toString());
        out.append(",\"level\":");
        string(out, event.getLevel().toString());
        out.append(",\"logger\":");
        string(out, event.getLoggerName());
        out.append(",\"thread\":");
        string(out, event.getThreadName());
        for (final String field : new String[] {"node", "event", "requestId", "municipality"})
        {
            final String value = field(event, field);
            if (value != null)
            {
                out.append(",\"").append(field).append("\":");
                string(out, value);
            }
        }
        out.append(",\"msg\":");
        string(out, event.getFormattedMessage());
        final IThrowableProxy error = event.getThrowableProxy();
        if (error != null)
        {
            out.append(",\"error\":");
            throwable(out, error);
        }
        out.append("}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String field(final ILoggingEvent event, final String name)
    {
        final List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null)
        {
            for (final KeyValuePair pair : pairs)
            {
                if (name.equals(pair.key) && pair.value != null)
                {
                    return pair.value.toString();
                }
            }
        }
        final Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && mdc.get(name) != null)
        {
            return mdc.get(name);
        }
        if ("node".equals(name) && event.getLoggerContextVO() != null &&
            event.getLoggerContextVO().getPropertyMap() != null)
        {
            return event.getLoggerContextVO().getPropertyMap().get("chukei.node");
        }
        return null;
    }

    private static void throwable(final StringBuilder out, final IThrowableProxy error)
    {
        out.append("{\"class\":");
        string(out, error.getClassName());
        out.append(",\"message\":");
        string(out, error.getMessage() == null ? "" : error.getMessage());
        out.append(",\"frames\":[");
        final StackTraceElementProxy[] frames = error.getStackTraceElementProxyArray();
        final int n = frames == null ? 0 : Math.min(frames.length, MAX_FRAMES);
        for (int i = 0; i < n; i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            string(out, frames[i].getStackTraceElement().toString());
        }
        out.append(']');
        if (error.getCause() != null)
        {
            out.append(",\"cause\":");
            throwable(out, error.getCause());
        }
        out.append('}');
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static void string(final StringBuilder out, final String text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
