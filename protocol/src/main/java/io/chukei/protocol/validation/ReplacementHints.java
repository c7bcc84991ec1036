package io.chukei.protocol.validation;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * What to send instead, appended to a rejection's detail, so a connector can fix its conversion
 * rather than guess. Only replacements the repertoire accepts are suggested. Error path only:
 * these allocate.
 * <ul>
 * <li>outside the repertoire: the code points CP932 (Windows-31J) conversions produce where
 * JIS X 0213 has another ― ¥ ‾; else the character's NFKC form when that is one member (ｶ → カ,
 * ￠ → ¢);</li>
 * <li>not NFC: a CJK compatibility ideograph, which NFC turns into its unified ideograph and so
 * loses the glyph the sender meant: the unified ideograph with the registered variation selector
 * for that glyph, where the IVD has one (see {@link #compatibilityIdeographs}).</li>
 * </ul>
 */
final class ReplacementHints
{
    private static final int[][] CP932_REPLACEMENTS = {
        // CP932 0x815C is HORIZONTAL BAR; JIS X 0213 maps the same code (1-1-29) to EM DASH.
        {0x2015, 0x2014},
        // Yen sign from a JIS X 0201 view of byte 0x5C; JIS X 0213's yen sign is the full-width one (1-1-79).
        {0x00A5, 0xFFE5},
        // Overline from a JIS X 0201 view of byte 0x7E; JIS X 0213's is the full-width macron (1-1-17).
        {0x203E, 0xFFE3},
    };

    private ReplacementHints()
    {
    }

    /** " (send U+2014 EM DASH instead ...)" or "" when nothing in the repertoire stands for it. */
    static String outsideRepertoire(final int codePoint, final Repertoire repertoire)
    {
        for (final int[] replacement : CP932_REPLACEMENTS)
        {
            if (replacement[0] == codePoint && repertoire.contains(replacement[1]))
            {
                return " (CP932 conversions produce it; send " + named(replacement[1]) + " instead, see protocol/README.md)";
            }
        }
        final String compatible = Normalizer.normalize(Character.toString(codePoint), Normalizer.Form.NFKC);
        if (compatible.codePointCount(0, compatible.length()) == 1)
        {
            final int target = compatible.codePointAt(0);
            if (target != codePoint && repertoire.contains(target))
            {
                return " (send its compatibility equivalent " + named(target) + " instead)";
            }
        }
        return "";
    }

    /**
     * For each CJK compatibility ideograph that NFC changes, what to send instead in this
     * repertoire. Derived from the data alone: the IVD's Hanyo-Denshi collection names glyphs taken
     * from JIS X 0213 after their position (JC1555 is plane 1 row 15 cell 55); when the
     * compatibility ideograph has a JIS X 0213 position and the unified ideograph has a registered
     * sequence for the glyph of that position, that sequence is the replacement (塚 U+FA10 at 1-15-55
     * → U+585A U+E0105). Otherwise the hint names the unified ideograph and its registered selectors,
     * without claiming that one of them is the glyph: the data does not say.
     */
    static Map<Integer, String> compatibilityIdeographs(final Repertoire repertoire)
    {
        final Map<Integer, String> hints = new HashMap<>();
        compatibilityBlock(repertoire, 0xF900, 0xFAFF, hints);
        compatibilityBlock(repertoire, 0x2F800, 0x2FA1F, hints);
        return hints;
    }

    private static void compatibilityBlock(
        final Repertoire repertoire, final int first, final int last, final Map<Integer, String> hints)
    {
        final JisX0213Table jis = JisX0213Table.get();
        final IvdTable ivd = IvdTable.get();
        for (int cp = first; cp <= last; cp++)
        {
            final String alone = Character.toString(cp);
            final String unified = Normalizer.normalize(alone, Normalizer.Form.NFC);
            if (unified.equals(alone) || unified.codePointCount(0, unified.length()) != 1)
            {
                continue;
            }
            final int base = unified.codePointAt(0);
            if (!repertoire.contains(base))
            {
                continue;
            }
            final String position = jis.position(cp);
            final IvdTable.JisGlyph glyph = position == null ? null : ivd.hanyoDenshiJisGlyph(position);
            if (glyph != null && glyph.base() == base && repertoire.containsSequence(base, glyph.selector()))
            {
                hints.put(cp, "; to keep its glyph send " + FieldNames.codePoint(base) + " " +
                    FieldNames.codePoint(glyph.selector()) + ", the registered variation sequence for it " +
                    "(IVD Hanyo-Denshi " + glyph.name() + ", JIS X 0213 " + position + ")");
                continue;
            }
            final int[] selectors = repertoire.selectorsFor(base);
            if (selectors.length > 0)
            {
                hints.put(cp, "; to keep its glyph send " + FieldNames.codePoint(base) + " with the variation " +
                    "selector registered for that glyph, if any (registered for " + FieldNames.codePoint(base) + ": " +
                    listed(selectors) + ")");
            }
        }
    }

    /** "U+E0100..U+E0103" when consecutive, else "U+E0100, U+E0104". */
    static String listed(final int[] codePoints)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints.length; )
        {
            int end = i;
            while (end + 1 < codePoints.length && codePoints[end + 1] == codePoints[end] + 1)
            {
                end++;
            }
            text.append(text.length() == 0 ? "" : ", ").append(FieldNames.codePoint(codePoints[i]));
            if (end > i)
            {
                text.append("..").append(FieldNames.codePoint(codePoints[end]));
            }
            i = end + 1;
        }
        return text.toString();
    }

    private static String named(final int codePoint)
    {
        final String name = Character.getName(codePoint);
        return FieldNames.codePoint(codePoint) + (name == null ? "" : " " + name);
    }
}
