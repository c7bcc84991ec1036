package io.chukei.protocol.validation;

import java.text.Normalizer;

/**
 * Finds code points that can never take part in NFC normalization: unchanged by NFC, canonical
 * combining class 0, and never the second code point of a canonical composition. A text made
 * only of such code points is NFC (the Unicode quick-check result is YES), so validation can skip
 * {@link Normalizer}, which copies its input. Everything here is derived from the JDK's own
 * normalizer once per repertoire, so it follows the JDK's Unicode version.
 */
final class NfcInert
{
    private static final int FIRST_IVS = 0xE0100;
    private static final int LAST_IVS = 0xE01EF;
    // U+0334 has the lowest non-zero combining class (1) and U+0301 a high one (230): a code point
    // with a non-zero class is reordered next to one of them by canonical decomposition.
    private static final String LOW_CLASS_MARK = "\u0334";
    private static final String HIGH_CLASS_MARK = "\u0301";

    private static volatile CodePointSet compositionSeconds;

    private NfcInert()
    {
    }

    /** The NFC-inert code points among {@code members} and the ideographic variation selectors. */
    static CodePointSet within(final CodePointSet members)
    {
        final CodePointSet seconds = compositionSeconds();
        final CodePointSet inert = new CodePointSet();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            if ((members.contains(cp) || (cp >= FIRST_IVS && cp <= LAST_IVS)) && !seconds.contains(cp) &&
                isStableStarter(cp))
            {
                inert.add(cp);
            }
        }
        return inert;
    }

    private static boolean isStableStarter(final int codePoint)
    {
        final String alone = Character.toString(codePoint);
        if (!Normalizer.normalize(alone, Normalizer.Form.NFC).equals(alone))
        {
            return false;
        }
        if (!Normalizer.isNormalized(alone, Normalizer.Form.NFD))
        {
            // A composite that NFC keeps: every such character is a starter (class 0); the
            // non-starters with decompositions (U+0344, U+0F73...) are changed by NFC.
            return true;
        }
        return Normalizer.normalize(alone + LOW_CLASS_MARK, Normalizer.Form.NFD).equals(alone + LOW_CLASS_MARK) &&
            Normalizer.normalize(HIGH_CLASS_MARK + alone, Normalizer.Form.NFD).equals(HIGH_CLASS_MARK + alone);
    }

    /** Last code points of the canonical decompositions of all primary composites. */
    private static CodePointSet compositionSeconds()
    {
        CodePointSet seconds = compositionSeconds;
        if (seconds == null)
        {
            seconds = new CodePointSet();
            // Primary composites exist only in planes 0 and 1.
            for (int cp = 0; cp < 0x20000; cp++)
            {
                final int type = Character.getType(cp);
                if (type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE)
                {
                    continue;
                }
                final String alone = Character.toString(cp);
                final String decomposed = Normalizer.normalize(alone, Normalizer.Form.NFD);
                if (!decomposed.equals(alone) && decomposed.codePointCount(0, decomposed.length()) >= 2 &&
                    Normalizer.normalize(decomposed, Normalizer.Form.NFC).equals(alone))
                {
                    seconds.add(decomposed.codePointBefore(decomposed.length()));
                }
            }
            compositionSeconds = seconds;
        }
        return seconds;
    }
}
