package io.chukei.gateway.tls;

/** Text from a peer's certificate made fit for one log line: control characters become '?', length is bounded. */
final class LogText
{
    static final int MAX_LENGTH = 400;

    private LogText()
    {
    }

    static String safe(final String text)
    {
        if (text == null)
        {
            return "";
        }
        final int length = Math.min(text.length(), MAX_LENGTH);
        final StringBuilder safe = new StringBuilder(length + 3);
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            // C0, DEL, C1 and the line/paragraph separators could forge or split log lines.
            safe.append(c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        return text.length() > MAX_LENGTH ? safe.append("...").toString() : safe.toString();
    }
}
