package io.chukei.protocol.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The default profile: JIS X 0213 and the IVD's Japanese collections. */
class JapaneseNamesRepertoireTest
{
    private final Repertoire repertoire = Repertoire.japaneseNames();

    @ParameterizedTest
    @ValueSource(strings = {"髙", "𠮷", "淸", "悅", "靑", "昻", "敎", "﨎", "槗", "﨑", "葛", "高", "吉"})
    void hasTheVariantIdeographsOfRealNames(final String ideograph)
    {
        assertThat(repertoire.contains(ideograph.codePointAt(0))).isTrue();
    }

    @Test
    void isJisX0213WithoutHalfwidthKatakanaAndInvisiblesPlusEveryIvdBase()
    {
        final JisX0213Table jis = JisX0213Table.get();
        final IvdTable ivd = IvdTable.get();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            final boolean expected = ivd.bases().contains(cp) ||
                (jis.characters().contains(cp) && Character.getType(cp) != Character.CONTROL &&
                    cp != 0x00AD && (cp < 0xFF61 || cp > 0xFF9F));
            if (repertoire.contains(cp) != expected)
            {
                assertThat(repertoire.contains(cp)).as("U+%04X", cp).isEqualTo(expected);
            }
        }
        assertThat(repertoire.size()).isEqualTo(16_433);
    }

    @ParameterizedTest
    @ValueSource(ints = {0xFF76, 0xFF61, 0xFF9F, 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0x1F600, 0x1F468, 0x2764,
        0x0009, 0x200E, 0xFE00, 0xE000})
    void refusesHalfwidthKatakanaInvisiblesEmojiControlsAndPrivateUse(final int codePoint)
    {
        assertThat(repertoire.contains(codePoint)).as("U+%04X", codePoint).isFalse();
    }

    @Test
    void variationSelectorsOnlyInRegisteredSequences()
    {
        assertThat(repertoire.acceptsAnyVariationSelector()).isFalse();
        assertThat(repertoire.contains(0xE0100)).isFalse();
        assertThat(repertoire.containsSequence(0x845B, 0xE0100)).isTrue();
        assertThat(repertoire.containsSequence(0x845B, 0xE0109)).isTrue();
        assertThat(repertoire.containsSequence(0x845B, 0xE01EF)).isFalse();
        assertThat(repertoire.containsSequence(0x3007, 0xE0100)).as("〇 has none").isFalse();
        assertThat(repertoire.selectorsFor(0x845B)).containsExactly(0xE0100, 0xE0101, 0xE0102, 0xE0103, 0xE0104,
            0xE0105, 0xE0106, 0xE0107, 0xE0108, 0xE0109);
    }

    @Test
    void keepsTheCombiningKanaOfJisX0213()
    {
        assertThat(repertoire.containsSequence(0x304B, 0x309A)).isTrue();
        assertThat(repertoire.containsSequence(0x3042, 0x309A)).isFalse();
        assertThat(repertoire.sequenceCount()).as("IVD + the 14 kana with U+309A").isEqualTo(28_749 + 14);
    }
}
