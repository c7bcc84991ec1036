package io.chukei.protocol.validation;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The jisx0213 and unicode profiles, and choosing a profile by name. */
class RepertoireTest
{
    @Test
    void jisX0213IsWhatTheJdkEncoderEncodedBeforeProfilesExistedLessControls()
    {
        final Repertoire repertoire = Repertoire.jisX0213();
        final CharsetEncoder encoder = Charset.forName(JisX0213TableSource.CHARSET).newEncoder();

        for (int cp = 0; cp < 0x10000; cp++)
        {
            final int type = Character.getType(cp);
            if (type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE ||
                type == Character.CONTROL)
            {
                assertThat(repertoire.contains(cp)).as("U+%04X", cp).isFalse();
            }
            else if (repertoire.contains(cp) != encoder.canEncode((char)cp))
            {
                assertThat(repertoire.contains(cp)).as("U+%04X", cp).isEqualTo(encoder.canEncode((char)cp));
            }
        }
    }

    @Test
    void jisX0213HasItsPlaneTwoCharactersAndNothingBeyond()
    {
        final Repertoire repertoire = Repertoire.jisX0213();
        int planeTwo = 0;
        int beyond = 0;
        for (int cp = 0x10000; cp <= Character.MAX_CODE_POINT; cp++)
        {
            if (repertoire.contains(cp))
            {
                if (cp >>> 16 == 2)
                {
                    planeTwo++;
                }
                else
                {
                    beyond++;
                }
            }
        }
        assertThat(planeTwo).isEqualTo(303);
        assertThat(beyond).isZero();
    }

    @Test
    void jisX0213RefusesTheVariantsRealNamesUse()
    {
        final Repertoire repertoire = Repertoire.jisX0213();

        assertThat(repertoire.contains(0x9AD9)).as("髙").isFalse();
        assertThat(repertoire.contains(0x20BB7)).as("𠮷").isFalse();
        assertThat(repertoire.contains(0x9AD8)).as("高").isTrue();
    }

    @Test
    void combiningSemiVoicedMarkIsOnlyASequenceMember()
    {
        final Repertoire repertoire = Repertoire.jisX0213();

        assertThat(repertoire.contains(0x309A)).isFalse();
        assertThat(repertoire.containsSequence(0x304B, 0x309A)).isTrue();  // か゚
        assertThat(repertoire.containsSequence(0x30BB, 0x309A)).isTrue();  // セ゚
        assertThat(repertoire.containsSequence(0x3042, 0x309A)).isFalse(); // あ゚
    }

    @Test
    void jisX0213AcceptsAnyVariationSelectorAfterAnIdeographAsBefore()
    {
        final Repertoire repertoire = Repertoire.jisX0213();

        assertThat(repertoire.acceptsAnyVariationSelector()).isTrue();
        assertThat(repertoire.containsSequence(0x845B, 0xE0100)).isTrue();
        assertThat(repertoire.containsSequence(0x845B, 0xE01EF)).isTrue();
        assertThat(repertoire.containsSequence(0x0041, 0xE0100)).isFalse();
    }

    @Test
    void unicodeHasEveryAssignedCodePointButPrivateUseAndControls()
    {
        final Repertoire repertoire = Repertoire.unicode();

        assertThat(repertoire.contains(0x1F600)).isTrue();
        assertThat(repertoire.contains(0x9AD9)).isTrue();
        assertThat(repertoire.contains(0xE000)).isFalse();
        assertThat(repertoire.contains(0x0378)).isFalse();
        assertThat(repertoire.contains(0x0009)).isFalse();
    }

    @Test
    void builtInProfilesAreBuiltOncePerName()
    {
        assertThat(Repertoire.forName(Repertoire.JIS_X_0213)).isSameAs(Repertoire.jisX0213());
        assertThat(Repertoire.forName(Repertoire.JAPANESE_NAMES)).isSameAs(Repertoire.japaneseNames());
        assertThat(Repertoire.japaneseNames().name()).isEqualTo("japanese-names");
    }

    @Test
    void unknownProfileIsAConfigurationError()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> Repertoire.forName("x-SJIS_0213"))
            .withMessage("repertoire: x-SJIS_0213 (expected: japanese-names, jisx0213, unicode or file:PATH)");
        assertThatIllegalArgumentException().isThrownBy(() -> Repertoire.forName("file:"))
            .withMessageStartingWith("repertoire: file: (expected:");
    }

    @Test
    void aNameCanBeCheckedWithoutBuildingTheProfile()
    {
        assertThat(Repertoire.checkName("file:/no/such/file.txt")).isEqualTo("file:/no/such/file.txt");
        assertThat(Repertoire.checkName("jisx0213")).isEqualTo("jisx0213");
        assertThatIllegalArgumentException().isThrownBy(() -> Repertoire.checkName("JIS"))
            .withMessage("repertoire: JIS (expected: japanese-names, jisx0213, unicode or file:PATH)");
    }
}
