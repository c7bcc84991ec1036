package io.chukei.protocol.validation;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RepertoireTest
{
    @Test
    void jisX0213AgreesWithTheJdkEncoderOnEveryBmpCodePoint()
    {
        final Repertoire repertoire = Repertoire.jisX0213();
        final CharsetEncoder encoder = Charset.forName(Repertoire.JIS_X_0213).newEncoder();

        for (int cp = 0; cp < 0x10000; cp++)
        {
            final int type = Character.getType(cp);
            if (type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE)
            {
                assertThat(repertoire.contains(cp)).as("U+%04X", cp).isFalse();
            }
            else
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
    void combiningSemiVoicedMarkIsOnlyAPairMember()
    {
        final Repertoire repertoire = Repertoire.jisX0213();

        assertThat(repertoire.contains(0x309A)).isFalse();
        assertThat(repertoire.containsPair(0x304B, 0x309A)).isTrue();  // か゚
        assertThat(repertoire.containsPair(0x30BB, 0x309A)).isTrue();  // セ゚
        assertThat(repertoire.containsPair(0x3042, 0x309A)).isFalse(); // あ゚
    }

    @Test
    void isBuiltOncePerName()
    {
        assertThat(Repertoire.forName(Repertoire.JIS_X_0213)).isSameAs(Repertoire.jisX0213());
    }

    @Test
    void unknownCharsetIsAConfigurationError()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> Repertoire.forName("x-NO-SUCH-CHARSET"))
            .withMessage("repertoire: x-NO-SUCH-CHARSET (expected: \"unicode\" or a charset name this JVM supports)");
    }
}
