package io.chukei.protocol.validation;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * Writes the JIS X 0213 table ({@link JisX0213Table#RESOURCE}) from the JDK's {@code x-SJIS_0213}
 * decoder: every one- and two-byte Shift_JIS-2004 code it decodes, with the code's JIS X 0213
 * plane-row-cell (JIS X 0213:2004 Annex 1, the Shift_JIS-2004 arrangement).
 */
final class JisX0213TableSource
{
    static final String CHARSET = "x-SJIS_0213";

    private JisX0213TableSource()
    {
    }

    static String generate()
    {
        final CharsetDecoder decoder = Charset.forName(CHARSET).newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        final StringBuilder out = new StringBuilder(1 << 19);
        out.append("# JIS X 0213:2004 to Unicode: the definition of Chukei's jisx0213 repertoire and the JIS X 0213\n")
            .append("# part of japanese-names (see protocol/README.md, \"Repertoires\").\n")
            .append("#\n")
            .append("# Generated from the JDK's ").append(CHARSET).append(" (Shift_JIS-2004) charset, first with Java 17,\n")
            .append("# by JisX0213TableTest, which fails when this file and the JDK disagree: every code the\n")
            .append("# decoder maps, with its JIS X 0213 position computed from the code (JIS X 0213:2004 Annex 1).\n")
            .append("#\n")
            .append("# Columns, tab-separated: Shift_JIS-2004 code; plane-row-cell (\"-\" for one-byte codes:\n")
            .append("# ASCII and JIS X 0201 katakana); Unicode, \"+\" joining the two code points of a character\n")
            .append("# that Unicode writes as a base and a combining mark.\n");
        for (int b = 0; b <= 0xFF; b++)
        {
            if (!isLeadByte(b))
            {
                line(out, decoder, new byte[] {(byte)b}, "0x%02X", "-");
            }
        }
        for (int lead = 0x81; lead <= 0xFC; lead++)
        {
            if (!isLeadByte(lead))
            {
                continue;
            }
            for (int trail = 0x40; trail <= 0xFC; trail++)
            {
                if (trail != 0x7F)
                {
                    line(out, decoder, new byte[] {(byte)lead, (byte)trail}, "0x%04X", position(lead, trail));
                }
            }
        }
        return out.toString();
    }

    static boolean isLeadByte(final int b)
    {
        return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
    }

    /**
     * Plane-row-cell of a two-byte code. Plane 1: leads 0x81..0x9F are rows 1..62, 0xE0..0xEF rows
     * 63..94, two rows per lead. Plane 2: leads 0xF0..0xF4 carry the sparse rows 1/8, 3/4, 5/12,
     * 13/14, 15/78, leads 0xF5..0xFC rows 79..94. A trail byte from 0x9F on is the even row.
     */
    static String position(final int lead, final int trail)
    {
        final boolean evenRow = trail >= 0x9F;
        final int cell = evenRow ? trail - 0x9E : trail - 0x3F - (trail >= 0x80 ? 1 : 0);
        final int plane;
        final int row;
        if (lead <= 0x9F)
        {
            plane = 1;
            row = (lead - 0x81) * 2 + 1 + (evenRow ? 1 : 0);
        }
        else if (lead <= 0xEF)
        {
            plane = 1;
            row = (lead - 0xE0) * 2 + 63 + (evenRow ? 1 : 0);
        }
        else if (lead <= 0xF4)
        {
            final int[][] sparseRows = {{1, 8}, {3, 4}, {5, 12}, {13, 14}, {15, 78}};
            plane = 2;
            row = sparseRows[lead - 0xF0][evenRow ? 1 : 0];
        }
        else
        {
            plane = 2;
            row = (lead - 0xF5) * 2 + 79 + (evenRow ? 1 : 0);
        }
        return plane + "-" + row + "-" + cell;
    }

    private static void line(
        final StringBuilder out, final CharsetDecoder decoder, final byte[] code, final String codeFormat,
        final String position)
    {
        final String text;
        try
        {
            text = decoder.reset().decode(ByteBuffer.wrap(code)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return;
        }
        final int[] codePoints = text.codePoints().toArray();
        out.append(String.format(codeFormat, code.length == 1 ? code[0] & 0xFF : (code[0] & 0xFF) << 8 | (code[1] & 0xFF)))
            .append('\t').append(position).append("\tU+").append(HexCodePoints.format(codePoints[0]));
        for (int i = 1; i < codePoints.length; i++)
        {
            out.append('+').append(HexCodePoints.format(codePoints[i]));
        }
        out.append('\n');
    }
}
