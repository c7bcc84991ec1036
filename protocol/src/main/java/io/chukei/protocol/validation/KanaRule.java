package io.chukei.protocol.validation;

/**
 * The characters a kana name (nameKana) may contain, checked after the repertoire:
 * <ul>
 * <li>hiragana U+3041..U+3096 and the iteration marks ゝゞ U+309D..U+309E;</li>
 * <li>katakana U+30A1..U+30FA, the iteration marks ヽヾ U+30FD..U+30FE and the small katakana
 * extensions U+31F0..U+31FF (all in JIS X 0213);</li>
 * <li>the combining sound marks U+3099/U+309A, for JIS X 0213 kana such as カ゚ (NFC and the
 * repertoire decide where they may stand);</li>
 * <li>the prolonged sound mark ー U+30FC and the middle dot ・ U+30FB;</li>
 * <li>the space U+0020 and the ideographic space U+3000.</li>
 * </ul>
 * Not allowed: halfwidth katakana U+FF61..U+FF9F (one form per name; NFC does not unify them),
 * the spacing sound marks ゛゜ U+309B/U+309C, and digraphs ゟ ヿ.
 */
final class KanaRule
{
    private KanaRule()
    {
    }

    static boolean allows(final int codePoint)
    {
        return (codePoint >= 0x3041 && codePoint <= 0x3096) ||
            codePoint == 0x3099 || codePoint == 0x309A ||
            codePoint == 0x309D || codePoint == 0x309E ||
            (codePoint >= 0x30A1 && codePoint <= 0x30FE) ||
            (codePoint >= 0x31F0 && codePoint <= 0x31FF) ||
            codePoint == 0x0020 || codePoint == 0x3000;
    }
}
