package io.chukei.protocol.validation;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class IvdTableTest
{
    @Test
    void bundledFileIsUnicodesIvdOf2014WithItsHeader() throws Exception
    {
        final IvdTable ivd = IvdTable.get();

        assertThat(ivd.version()).isEqualTo("2014-05-16");
        assertThat(ivd.bases().size()).isEqualTo(15_107);
        // 38,434 lines; a sequence registered in two collections counts once.
        assertThat(ivd.sequences().size()).isEqualTo(28_749);
        assertThat(Files.readString(Path.of("src/main/resources" + IvdTable.RESOURCE)))
            .startsWith("# IVD_Sequences\n")
            .contains("# Copyright 2006-2014 Unicode, Inc.\n# For terms of use, see: http://www.unicode.org/terms_of_use.html");
    }

    @Test
    void hasTheSequencesOfTheVariantsInRealNames()
    {
        final IvdTable ivd = IvdTable.get();

        assertThat(ivd.sequences().contains(0x9AD9, 0xE0100)).as("髙").isTrue();
        assertThat(ivd.sequences().contains(0x20BB7, 0xE0100)).as("𠮷").isTrue();
        assertThat(ivd.sequences().contains(0x845B, 0xE0100)).as("葛").isTrue();
        assertThat(ivd.sequences().contains(0x845B, 0xE010A)).isFalse();
        assertThat(ivd.sequences().secondsAfter(0x845B)).hasSize(10).startsWith(0xE0100).endsWith(0xE0109);
    }

    @Test
    void otherCollectionsAreIgnoredSoANewerFileCanReplaceThisOne() throws Exception
    {
        final String text = "# IVD_Sequences\n#\n# 2017-12-12 Registration of the KRName collection.\n#\n" +
            "4E00 E0100; KRName; K00001\n" +
            "9AD9 E0100; Adobe-Japan1; CID+8705\n";

        final IvdTable ivd = IvdTable.parse(new BufferedReader(new StringReader(text)), "test");

        assertThat(ivd.version()).isEqualTo("2017-12-12");
        assertThat(ivd.bases().contains(0x4E00)).isFalse();
        assertThat(ivd.bases().contains(0x9AD9)).isTrue();
        assertThat(ivd.sequences().size()).isEqualTo(1);
    }

    @Test
    void aMalformedLineIsAnErrorNamingTheLine()
    {
        final String text = "# 2014-05-16 x\n9AD9 E0100; Adobe-Japan1; CID+8705\n9AD9 0041; Adobe-Japan1; CID+1\n";

        assertThatIllegalStateException()
            .isThrownBy(() -> IvdTable.parse(new BufferedReader(new StringReader(text)), "test"))
            .withMessage("test line 3: '9AD9 0041; Adobe-Japan1; CID+1' (expected: BASE SELECTOR; COLLECTION; GLYPH)");
    }

    /**
     * Hanyo-Denshi names glyphs taken from JIS X 0213 JA/JC (plane 1) or JD (plane 2) + row + cell.
     * The compatibility-ideograph hints rely on that, so check it against the JIS X 0213 table: for
     * every such glyph whose base is itself in JIS X 0213, the base sits at the named position,
     * unless that position holds a compatibility ideograph of the base (塚 U+FA10 at 1-15-55 is
     * the glyph JC1555 of U+585A).
     */
    @Test
    void hanyoDenshiJisGlyphNamesArePlaneRowCellOfTheJisX0213Table()
    {
        final JisX0213Table jis = JisX0213Table.get();
        final IvdTable ivd = IvdTable.get();
        int agreeing = 0;
        int compatibility = 0;
        for (int plane = 1; plane <= 2; plane++)
        {
            for (int row = 1; row <= 94; row++)
            {
                for (int cell = 1; cell <= 94; cell++)
                {
                    final String position = plane + "-" + row + "-" + cell;
                    final IvdTable.JisGlyph glyph = ivd.hanyoDenshiJisGlyph(position);
                    if (glyph == null || !jis.characters().contains(glyph.base()))
                    {
                        continue;
                    }
                    if (position.equals(jis.position(glyph.base())))
                    {
                        agreeing++;
                    }
                    else
                    {
                        assertThat(atPosition(jis, position)).as(glyph.name())
                            .satisfies(cp -> assertThat(java.text.Normalizer.normalize(Character.toString(cp),
                                java.text.Normalizer.Form.NFC)).isEqualTo(Character.toString(glyph.base())));
                        compatibility++;
                    }
                }
            }
        }
        assertThat(agreeing).isGreaterThan(2_500);
        assertThat(compatibility).isEqualTo(74);
    }

    private static int atPosition(final JisX0213Table jis, final String position)
    {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            if (position.equals(jis.position(cp)))
            {
                return cp;
            }
        }
        return -1;
    }
}
