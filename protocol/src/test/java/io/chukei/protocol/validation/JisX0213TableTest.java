package io.chukei.protocol.validation;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The committed JIS X 0213 table is what the JDK's x-SJIS_0213 maps, and its positions are right. */
class JisX0213TableTest
{
    private static final Path COMMITTED = Path.of("src/main/resources" + JisX0213Table.RESOURCE);

    @Test
    void committedTableIsWhatTheJdkDecodes() throws Exception
    {
        GeneratedFiles.assertCommitted(COMMITTED, JisX0213TableSource.generate());
    }

    @Test
    void tableHasExactlyTheCodePointsTheJdkEncoderCanEncode()
    {
        final JisX0213Table table = JisX0213Table.get();
        final CharsetEncoder encoder = Charset.forName(JisX0213TableSource.CHARSET).newEncoder();
        int members = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            final int type = Character.getType(cp);
            final boolean encodable = type != Character.UNASSIGNED && type != Character.SURROGATE &&
                type != Character.PRIVATE_USE && encoder.canEncode(Character.toString(cp));
            if (encodable != table.characters().contains(cp))
            {
                assertThat(table.characters().contains(cp)).as("U+%04X", cp).isEqualTo(encodable);
            }
            members += encodable ? 1 : 0;
        }
        assertThat(table.characters().size()).isEqualTo(members).isEqualTo(11_399);
    }

    @Test
    void combiningKanaPairsAreTheSequencesTheJdkEncodesAsOneCharacter()
    {
        final JisX0213Table table = JisX0213Table.get();
        final CharsetEncoder encoder = Charset.forName(JisX0213TableSource.CHARSET).newEncoder();
        for (int base = 0x3040; base <= 0x31FF; base++)
        {
            for (final int mark : new int[] {0x3099, 0x309A})
            {
                final boolean pair = table.characters().contains(base) &&
                    encoder.canEncode(new String(new char[] {(char)base, (char)mark}));
                assertThat(table.sequences().contains(base, mark)).as("U+%04X U+%04X", base, mark).isEqualTo(pair);
            }
        }
        assertThat(table.sequences().contains(0x304B, 0x309A)).isTrue();
    }

    @Test
    void positionsOfJisX0208CharactersAgreeWithTheJdksJisX0208Charset() throws Exception
    {
        final JisX0213Table table = JisX0213Table.get();
        final CharsetDecoder jisX0208 = Charset.forName("x-JIS0208").newDecoder();
        int agreeing = 0;
        for (int row = 1; row <= 94; row++)
        {
            for (int cell = 1; cell <= 94; cell++)
            {
                final int cp;
                try
                {
                    cp = jisX0208.reset().decode(ByteBuffer.wrap(new byte[] {(byte)(row + 0x20), (byte)(cell + 0x20)}))
                        .toString().codePointAt(0);
                }
                catch (final CharacterCodingException ex)
                {
                    continue;
                }
                if (table.characters().contains(cp) && ("1-" + row + "-" + cell).equals(table.position(cp)))
                {
                    agreeing++;
                }
            }
        }
        // JIS X 0208 has 6,879 characters; a handful map to other code points in JIS X 0213 (e.g. 1-1-29).
        assertThat(agreeing).isGreaterThan(6_850);
    }

    @Test
    void knownPositions()
    {
        final JisX0213Table table = JisX0213Table.get();

        assertThat(table.position(0x3000)).isEqualTo("1-1-1");
        assertThat(table.position(0x2014)).isEqualTo("1-1-29");
        assertThat(table.position(0xFFE5)).isEqualTo("1-1-79");
        assertThat(table.position(0xFA10)).isEqualTo("1-15-55");
        assertThat(table.position(0x20089)).isEqualTo("2-1-1");
        assertThat(table.position(0x0041)).isNull();
        assertThat(table.position(0x9AD9)).isNull();
    }

    @Test
    void aMalformedLineIsAnErrorNamingTheLine()
    {
        final String text = "# header\n0x8140\t1-1-1\tU+3000\n0x8141\t1-1\tU+3001\n";

        assertThatIllegalStateException()
            .isThrownBy(() -> JisX0213Table.parse(new BufferedReader(new StringReader(text)), "test"))
            .withMessageStartingWith("test line 3: '0x8141\t1-1\tU+3001'");
    }
}
