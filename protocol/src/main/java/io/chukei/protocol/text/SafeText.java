package io.chukei.protocol.text;

/**
 * Text from outside — a connector's Hello, a relay's Rejected detail, an admin request's path or
 * reason, a certificate's names — made safe to put in a log line, an audit entry or an answer:
 * a line break in it cannot forge a second log line, an escape sequence cannot drive the
 * operator's terminal, a bidi control cannot reorder what the operator reads, and one peer
 * cannot fill the log with one string.
 *
 * <p>{@link #of} escapes every code point {@link #isUnsafe} names (TAB, CR and LF as {@code \t},
 * {@code \r}, {@code \n}, the others as {@code \}{@code uXXXX}, per UTF-16 unit), doubles every
 * backslash so an escape in the output always means an escaped character, and cuts the text at
 * a number of characters, saying how many it left out. Nothing else changes: kanji, kana and
 * other printable text stay as they are.
 */
public final class SafeText
{
    /** Characters kept by {@link #of(CharSequence)}: enough for a reason, a name or a path. */
    public static final int DEFAULT_MAX_CHARS = 200;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText()
    {
    }

    /** {@code text} escaped and cut at {@link #DEFAULT_MAX_CHARS}; "null" for null. */
    public static String of(final CharSequence text)
    {
        return of(text, DEFAULT_MAX_CHARS);
    }

    /** {@code text} escaped and cut at {@code maxChars} UTF-16 characters (never inside a surrogate pair). */
    public static String of(final CharSequence text, final int maxChars)
    {
        if (maxChars < 0)
        {
            throw new IllegalArgumentException("maxChars: " + maxChars + " (expected: >= 0)");
        }
        if (text == null)
        {
            return "null";
        }
        int end = Math.min(text.length(), maxChars);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) &&
            Character.isLowSurrogate(text.charAt(end)))
        {
            end--;
        }
        final StringBuilder out = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++)
        {
            final char c = text.charAt(i);
            final boolean pairedSurrogate = Character.isSurrogate(c) && isPaired(text, i);
            final int codePoint = pairedSurrogate && Character.isHighSurrogate(c) ? Character.codePointAt(text, i) :
                pairedSurrogate ? Character.codePointBefore(text, i + 1) : c;
            if (c == '\\')
            {
                out.append("\\\\");
            }
            else if (!isUnsafe(codePoint) && (pairedSurrogate || !Character.isSurrogate(c)))
            {
                out.append(c);
            }
            else
            {
                escape(out, c);
            }
        }
        if (end < text.length())
        {
            out.append("...(").append(text.length() - end).append(" more characters)");
        }
        return out.toString();
    }

    /** Index of the first character {@link #of} would escape (backslashes aside), or -1 when there is none. */
    public static int firstUnsafe(final CharSequence text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isSurrogate(c))
            {
                if (!isPaired(text, i))
                {
                    return i;
                }
                if (Character.isHighSurrogate(c) && isUnsafe(Character.codePointAt(text, i)))
                {
                    return i;
                }
            }
            else if (isUnsafe(c))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * True for a code point that must not reach a log line as it is: a C0 or C1 control or DEL, a
     * bidirectional formatting control, a line or paragraph separator, or any other invisible
     * format character (zero-width characters, the byte order mark, tags).
     */
    public static boolean isUnsafe(final int codePoint)
    {
        return kindOf(codePoint) != null;
    }

    /**
     * What {@code codePoint} is, for an error message ("U+000A is a control character"), or null
     * when it is safe.
     */
    public static String kindOf(final int codePoint)
    {
        if (codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F))
        {
            return "a control character";
        }
        if (codePoint == 0x061C || codePoint == 0x200E || codePoint == 0x200F ||
            (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069))
        {
            return "a bidi control";
        }
        if (codePoint == 0x2028 || codePoint == 0x2029)
        {
            return "a line or paragraph separator";
        }
        if (Character.getType(codePoint) == Character.FORMAT)
        {
            return "an invisible format character";
        }
        if (Character.getType(codePoint) == Character.SURROGATE)
        {
            return "an unpaired surrogate";
        }
        return null;
    }

    /** {@code U+XXXX} form of a code point, as errors name characters. */
    public static String codePoint(final int codePoint)
    {
        return String.format("U+%04X", codePoint);
    }

    private static boolean isPaired(final CharSequence text, final int i)
    {
        final char c = text.charAt(i);
        if (Character.isHighSurrogate(c))
        {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    private static void escape(final StringBuilder out, final char c)
    {
        switch (c)
        {
            case '\n': out.append("\\n"); return;
            case '\r': out.append("\\r"); return;
            case '\t': out.append("\\t"); return;
            default:
                out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                    .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
        }
    }
}
