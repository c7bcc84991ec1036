package io.chukei.gateway.cluster;

import io.chukei.protocol.text.SafeText;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little JSON the cluster endpoints speak: strings written escaped, and single fields read
 * back from the flat objects those endpoints write (no JSON library is on the class path, and
 * these shapes are our own).
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * {@code text} as a JSON string literal, or {@code null} for null; control, bidi and invisible format
     * characters (see {@link SafeText#isUnsafe}) written as {@code \}{@code uXXXX}.
     */
    public static String quote(final String text)
    {
        if (text == null)
        {
            return "null";
        }
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    // Valid JSON either way; escaped, a reason cannot drive or reorder the terminal that shows it.
                    if (c < 0x20 || (!Character.isSurrogate(c) && SafeText.isUnsafe(c)))
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /** The first string field {@code name} in {@code json}, unescaped; null when absent. */
    public static String stringField(final String json, final String name)
    {
        final Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? unescape(m.group(1)) : null;
    }

    /** The first integer field {@code name} in {@code json}; {@code absent} when there is none. */
    public static long longField(final String json, final String name, final long absent)
    {
        final Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : absent;
    }

    /** The text of a JSON string literal's inside (without the quotes), escapes resolved. */
    public static String unescape(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length())
            {
                out.append(c);
                continue;
            }
            final char next = text.charAt(++i);
            switch (next)
            {
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    if (i + 4 < text.length())
                    {
                        out.append((char)Integer.parseInt(text.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    break;
                default: out.append(next); break;
            }
        }
        return out.toString();
    }
}
