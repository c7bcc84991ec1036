package io.chukei.bench.loadgen;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A small streaming JSON writer for the summary, indented two spaces. The bench module has no
 * JSON library on its class path and the summary is a few dozen fields, so this is enough.
 */
public final class JsonWriter
{
    private final StringBuilder out = new StringBuilder(4096);
    /** One entry per open object or array: whether nothing has been written into it yet. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    public JsonWriter beginObject()
    {
        beforeValue();
        out.append('{');
        open.push(new boolean[] {true});
        return this;
    }

    public JsonWriter endObject()
    {
        return close('}');
    }

    public JsonWriter beginArray()
    {
        beforeValue();
        out.append('[');
        open.push(new boolean[] {true});
        return this;
    }

    public JsonWriter endArray()
    {
        return close(']');
    }

    public JsonWriter name(final String name)
    {
        beforeValue();
        string(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    public JsonWriter value(final String value)
    {
        beforeValue();
        if (value == null)
        {
            out.append("null");
        }
        else
        {
            string(value);
        }
        return this;
    }

    public JsonWriter value(final long value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    /** Finite numbers with up to 3 decimals; NaN and infinities, which JSON lacks, as null. */
    public JsonWriter value(final double value)
    {
        beforeValue();
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            out.append("null");
        }
        else
        {
            out.append(String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", ""));
        }
        return this;
    }

    public JsonWriter value(final boolean value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    public String toJson()
    {
        if (!open.isEmpty())
        {
            throw new IllegalStateException("open objects or arrays: " + open.size() + " (expected: 0)");
        }
        return out + "\n";
    }

    private JsonWriter close(final char bracket)
    {
        final boolean[] empty = open.pop();
        if (!empty[0])
        {
            newLine();
        }
        out.append(bracket);
        return this;
    }

    private void beforeValue()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }
        if (!open.isEmpty())
        {
            final boolean[] empty = open.peek();
            if (!empty[0])
            {
                out.append(',');
            }
            empty[0] = false;
            newLine();
        }
    }

    private void newLine()
    {
        out.append('\n');
        out.append("  ".repeat(open.size()));
    }

    private void string(final String text)
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
