package io.chukei.protocol.validation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Unicode Ideographic Variation Database's registered sequences in the Japanese collections,
 * read from Unicode's own {@code IVD_Sequences.txt} ({@value #RESOURCE}, kept byte for byte with
 * its header and terms). Lines are {@code BASE SELECTOR; COLLECTION; GLYPH}; sequences of other
 * collections are ignored, so a newer IVD file can replace this one without code changes.
 */
final class IvdTable
{
    static final String RESOURCE = "/repertoire/IVD_Sequences.txt";
    static final List<String> JAPANESE_COLLECTIONS = List.of("Adobe-Japan1", "Hanyo-Denshi", "Moji_Joho");
    static final String HANYO_DENSHI = "Hanyo-Denshi";

    static final int FIRST_SELECTOR = 0xE0100;
    static final int LAST_SELECTOR = 0xE01EF;

    private static final Pattern HISTORY_DATE = Pattern.compile("^#\\s+(\\d{4}-\\d{2}-\\d{2})\\s");
    /** Hanyo-Denshi names glyphs taken from JIS X 0213 after their position: JA/JC plane 1, JD plane 2, row, cell. */
    private static final Pattern JIS_GLYPH = Pattern.compile("J[ACD]\\d{4}");

    private static volatile IvdTable loaded;

    private final String version;
    private final CodePointSet bases;
    private final SequenceSet sequences;
    private final Map<String, Long> jisGlyphs;

    private IvdTable(
        final String version, final CodePointSet bases, final SequenceSet sequences, final Map<String, Long> jisGlyphs)
    {
        this.version = version;
        this.bases = bases;
        this.sequences = sequences;
        this.jisGlyphs = jisGlyphs;
    }

    /** The bundled file, read on first use. */
    static IvdTable get()
    {
        IvdTable table = loaded;
        if (table == null)
        {
            synchronized (IvdTable.class)
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

    /** Date of the newest registration in the file's history header, e.g. 2014-05-16. */
    String version()
    {
        return version;
    }

    /** Ideographs with at least one registered sequence in a Japanese collection. */
    CodePointSet bases()
    {
        return bases;
    }

    /** Registered base + selector pairs of the Japanese collections. */
    SequenceSet sequences()
    {
        return sequences;
    }

    /** A registered sequence and the Hanyo-Denshi glyph name it selects. */
    record JisGlyph(int base, int selector, String name)
    {
    }

    /**
     * The registered sequence of the Hanyo-Denshi glyph taken from JIS X 0213 at a position, e.g.
     * "1-15-55" gives 塚 U+585A U+E0105 (glyph JC1555); null when the collection has none.
     */
    JisGlyph hanyoDenshiJisGlyph(final String planeRowCell)
    {
        final String[] parts = planeRowCell.split("-");
        final String suffix = String.format("%02d%02d", Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        final String[] names = "2".equals(parts[0]) ? new String[] {"JD" + suffix} :
            new String[] {"JA" + suffix, "JC" + suffix};
        for (final String name : names)
        {
            final Long packed = jisGlyphs.get(name);
            if (packed != null)
            {
                return new JisGlyph((int)(packed >>> 32), (int)(long)packed, name);
            }
        }
        return null;
    }

    private static IvdTable read(final String resource)
    {
        try (InputStream in = IvdTable.class.getResourceAsStream(resource))
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

    static IvdTable parse(final BufferedReader reader, final String source) throws IOException
    {
        String version = null;
        final CodePointSet bases = new CodePointSet();
        final SequenceSet.Builder sequences = new SequenceSet.Builder();
        final Map<String, Long> jisGlyphs = new HashMap<>();
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine())
        {
            lineNumber++;
            if (line.isBlank())
            {
                continue;
            }
            if (line.charAt(0) == '#')
            {
                final Matcher date = HISTORY_DATE.matcher(line);
                if (version == null && date.find())
                {
                    version = date.group(1);
                }
                continue;
            }
            final String[] fields = line.split(";");
            final String[] sequence = fields[0].trim().split(" +");
            final int base = sequence.length == 2 ? HexCodePoints.parse(sequence[0]) : -1;
            final int selector = sequence.length == 2 ? HexCodePoints.parse(sequence[1]) : -1;
            if (fields.length != 3 || base < 0 || selector < FIRST_SELECTOR || selector > LAST_SELECTOR)
            {
                throw new IllegalStateException(source + " line " + lineNumber + ": '" + line +
                    "' (expected: BASE SELECTOR; COLLECTION; GLYPH)");
            }
            final String collection = fields[1].trim();
            if (!JAPANESE_COLLECTIONS.contains(collection))
            {
                continue;
            }
            bases.add(base);
            sequences.add(base, selector);
            final String glyph = fields[2].trim();
            if (HANYO_DENSHI.equals(collection) && JIS_GLYPH.matcher(glyph).matches())
            {
                jisGlyphs.put(glyph, ((long)base << 32) | selector);
            }
        }
        if (version == null)
        {
            throw new IllegalStateException(source + ": no dated history line in the header (expected: '# YYYY-MM-DD ...')");
        }
        return new IvdTable(version, bases, sequences.build(), jisGlyphs);
    }
}
