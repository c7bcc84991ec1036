package io.chukei.protocol.validation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JIS X 0213:2004 as Unicode: every character of the standard with its Shift_JIS-2004 code and
 * plane-row-cell, read from the committed table {@value #RESOURCE}. The table is the definition
 * of the {@code jisx0213} repertoire, so any implementation can reproduce it; it was generated
 * from the JDK's {@code x-SJIS_0213} charset, and {@code JisX0213TableTest} fails if the two ever
 * disagree (see protocol/README.md, "Repertoires").
 * <p>
 * Line format, tab-separated: {@code 0x8140	1-1-1	U+3000}. One-byte codes (ASCII, JIS X 0201
 * katakana) have {@code -} as position; a character that is two code points is written
 * {@code U+304B+309A}.
 */
final class JisX0213Table
{
    static final String RESOURCE = "/repertoire/jisx0213-2004.txt";

    private static volatile JisX0213Table loaded;

    private final CodePointSet characters;
    private final SequenceSet sequences;
    /** Code points with a plane-row-cell, ascending; {@link #positions} holds plane << 16 | row << 8 | cell. */
    private final int[] positionedCodePoints;
    private final int[] positions;

    private JisX0213Table(
        final CodePointSet characters, final SequenceSet sequences, final int[] positionedCodePoints,
        final int[] positions)
    {
        this.characters = characters;
        this.sequences = sequences;
        this.positionedCodePoints = positionedCodePoints;
        this.positions = positions;
    }

    /** The committed table, read on first use. */
    static JisX0213Table get()
    {
        JisX0213Table table = loaded;
        if (table == null)
        {
            synchronized (JisX0213Table.class)
            {
                table = loaded;
                if (table == null)
                {
                    table = read(RESOURCE);
                    loaded = table;
                }
            }
        }
        return table;
    }

    /** Characters that are one code point. */
    CodePointSet characters()
    {
        return characters;
    }

    /** Characters that are two code points (か゚ U+304B U+309A, ˩˥ U+02E9 U+02E5 ...). */
    SequenceSet sequences()
    {
        return sequences;
    }

    /** "1-15-55" for U+FA10; null when the code point is not a two-byte character of the table. */
    String position(final int codePoint)
    {
        final int index = Arrays.binarySearch(positionedCodePoints, codePoint);
        if (index < 0)
        {
            return null;
        }
        final int packed = positions[index];
        return (packed >>> 16) + "-" + ((packed >>> 8) & 0xFF) + "-" + (packed & 0xFF);
    }

    private static JisX0213Table read(final String resource)
    {
        try (InputStream in = JisX0213Table.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException(resource + ": missing from the class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), resource);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(resource + ": cannot be read", ex);
        }
    }

    static JisX0213Table parse(final BufferedReader reader, final String source) throws IOException
    {
        final CodePointSet characters = new CodePointSet();
        final SequenceSet.Builder sequences = new SequenceSet.Builder();
        int[] positioned = new int[16384];
        int[] positions = new int[16384];
        int count = 0;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine())
        {
            lineNumber++;
            if (line.isEmpty() || line.charAt(0) == '#')
            {
                continue;
            }
            final String[] columns = line.split("\t");
            final int[] codePoints = columns.length == 3 ? unicode(columns[2]) : null;
            final int position = columns.length == 3 ? position(columns[1]) : -1;
            if (codePoints == null || position == -1)
            {
                throw new IllegalStateException(source + " line " + lineNumber + ": '" + line +
                    "' (expected: code<TAB>plane-row-cell or -<TAB>U+XXXX[+XXXX])");
            }
            if (codePoints.length == 2)
            {
                sequences.add(codePoints[0], codePoints[1]);
                continue;
            }
            characters.add(codePoints[0]);
            if (position > 0)
            {
                if (count == positioned.length)
                {
                    positioned = Arrays.copyOf(positioned, count * 2);
                    positions = Arrays.copyOf(positions, count * 2);
                }
                positioned[count] = codePoints[0];
                positions[count] = position;
                count++;
            }
        }
        return new JisX0213Table(characters, sequences.build(), sortedBy(positioned, positions, count),
            Arrays.copyOf(positions, count));
    }

    /** Sorts both arrays by the first, in place, and returns the first trimmed. */
    private static int[] sortedBy(final int[] keys, final int[] values, final int count)
    {
        final long[] pairs = new long[count];
        for (int i = 0; i < count; i++)
        {
            pairs[i] = ((long)keys[i] << 32) | (values[i] & 0xFFFFFFFFL);
        }
        Arrays.sort(pairs);
        final int[] sortedKeys = new int[count];
        for (int i = 0; i < count; i++)
        {
            sortedKeys[i] = (int)(pairs[i] >>> 32);
            values[i] = (int)pairs[i];
        }
        return sortedKeys;
    }

    /** "U+3000" or "U+304B+309A"; null when malformed. */
    private static int[] unicode(final String text)
    {
        if (!text.startsWith("U+"))
        {
            return null;
        }
        final String[] parts = text.substring(2).split("\\+");
        if (parts.length > 2)
        {
            return null;
        }
        final int[] codePoints = new int[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            codePoints[i] = HexCodePoints.parse(parts[i]);
            if (codePoints[i] < 0)
            {
                return null;
            }
        }
        return codePoints;
    }

    /** "-" is 0 (no position); "1-15-55" is plane << 16 | row << 8 | cell; -1 when malformed. */
    private static int position(final String text)
    {
        if ("-".equals(text))
        {
            return 0;
        }
        final String[] parts = text.split("-");
        if (parts.length != 3)
        {
            return -1;
        }
        try
        {
            final int plane = Integer.parseInt(parts[0]);
            final int row = Integer.parseInt(parts[1]);
            final int cell = Integer.parseInt(parts[2]);
            if (plane < 1 || plane > 2 || row < 1 || row > 94 || cell < 1 || cell > 94)
            {
                return -1;
            }
            return plane << 16 | row << 8 | cell;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
