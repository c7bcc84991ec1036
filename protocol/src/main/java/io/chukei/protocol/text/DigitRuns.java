package io.chukei.protocol.text;

/**
 * Masks what could be a personal number in free text: every run of 12 or more decimal digits (a My Number is 12;
 * full-width ones too, as a Japanese input method types them) becomes as many asterisks. For text people type that is journaled, logged and shown (an operator's reason), and for
 * journal listings; shorter runs (dates, counts, indexes) are left as they are.
 */
public final class DigitRuns
{
    /** The shortest run masked: a personal number's length. */
    public static final int MASKED_FROM = 12;

    private DigitRuns()
    {
    }

    /** {@code text} with every run of {@link #MASKED_FROM} or more decimal digits replaced by asterisks. */
    public static String mask(final String text)
    {
        StringBuilder out = null;
        int runStart = -1;
        for (int i = 0; i <= text.length(); i++)
        {
            final boolean digit = i < text.length() && Character.isDigit(text.charAt(i));
            if (digit && runStart < 0)
            {
                runStart = i;
            }
            else if (!digit && runStart >= 0)
            {
                if (i - runStart >= MASKED_FROM)
                {
                    if (out == null)
                    {
                        out = new StringBuilder(text);
                    }
                    for (int j = runStart; j < i; j++)
                    {
                        out.setCharAt(j, '*');
                    }
                }
                runStart = -1;
            }
        }
        return out == null ? text : out.toString();
    }
}
