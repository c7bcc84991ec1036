package io.chukei.protocol.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReplacementHintsTest
{
    @ParameterizedTest
    @CsvSource({
        "FA10, U+585A U+E0105, JC1555, 1-15-55",  // 塚
        "FA19, U+795E U+E0103, JC8928, 1-89-28",  // 神
        "F9DC, U+9686 U+E0106, JC9361, 1-93-61",  // 隆
        "FA4A, U+7422 U+E0105, JC8805, 1-88-5",   // 琢
        "FA20, U+8612 U+E0105, JD8724, 2-87-24",  // 蘒, plane 2
    })
    void compatibilityIdeographsOfJisX0213GetTheSequenceOfTheirGlyph(
        final String compatibility, final String sequence, final String glyph, final String position)
    {
        final String hint = Repertoire.japaneseNames().compatibilityHint(Integer.parseInt(compatibility, 16));

        assertThat(hint).isEqualTo("; to keep its glyph send " + sequence + ", the registered variation sequence " +
            "for it (IVD Hanyo-Denshi " + glyph + ", JIS X 0213 " + position + ")");
    }

    @Test
    void allButOneOfJisX0213sCompatibilityIdeographsHaveADerivedSequence()
    {
        final Map<Integer, String> hints = ReplacementHints.compatibilityIdeographs(Repertoire.japaneseNames());
        final JisX0213Table jis = JisX0213Table.get();
        int inJis = 0;
        int withSequence = 0;
        for (final Map.Entry<Integer, String> hint : hints.entrySet())
        {
            if (jis.position(hint.getKey()) != null)
            {
                inJis++;
                withSequence += hint.getValue().contains("the registered variation sequence for it") ? 1 : 0;
            }
        }
        assertThat(inJis).isEqualTo(75);
        assertThat(withSequence).isEqualTo(74);
    }

    @Test
    void compatibilityIdeographsOutsideJisX0213NameTheBaseAndItsSelectors()
    {
        // 晴 U+FA12, an IBM extension kanji of CP932, is not in JIS X 0213.
        assertThat(Repertoire.japaneseNames().compatibilityHint(0xFA12))
            .startsWith("; to keep its glyph send U+6674 with the variation selector registered for that glyph, if any " +
                "(registered for U+6674: U+E0100");
    }

    @Test
    void noSequenceIsSuggestedThatTheRepertoireWouldRefuse() throws Exception
    {
        assertThat(fileRepertoire("585A\n").compatibilityHint(0xFA10)).isEmpty();
    }

    @Test
    void outsideHintsOnlyNameMembers() throws Exception
    {
        assertThat(ReplacementHints.outsideRepertoire(0x2015, Repertoire.japaneseNames())).contains("U+2014 EM DASH");
        assertThat(ReplacementHints.outsideRepertoire(0xFFE0, Repertoire.japaneseNames()))
            .isEqualTo(" (send its compatibility equivalent U+00A2 CENT SIGN instead)");
        assertThat(ReplacementHints.outsideRepertoire(0x1F600, Repertoire.japaneseNames())).isEmpty();

        final Repertoire asciiOnly = fileRepertoire("0020..007E\n");
        assertThat(ReplacementHints.outsideRepertoire(0x2015, asciiOnly)).isEmpty();
        assertThat(ReplacementHints.outsideRepertoire(0xFF21, asciiOnly))
            .isEqualTo(" (send its compatibility equivalent U+0041 LATIN CAPITAL LETTER A instead)");
    }

    private static Repertoire fileRepertoire(final String content) throws Exception
    {
        final Path file = Files.createTempFile("repertoire", ".txt");
        try
        {
            Files.writeString(file, content);
            return Repertoire.forName("file:" + file);
        }
        finally
        {
            Files.delete(file);
        }
    }

    @Test
    void listedFoldsRuns()
    {
        assertThat(ReplacementHints.listed(new int[] {0xE0100, 0xE0101, 0xE0102, 0xE0105})).isEqualTo(
            "U+E0100..U+E0102, U+E0105");
    }
}
