package io.chukei.protocol.validation;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.text.Normalizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The characters a text field may contain, precomputed once per JVM into a bit set so the hot
 * path is a bit lookup, never a {@link CharsetEncoder} call.
 * <ul>
 * <li>{@value #JIS_X_0213} (default): what JIS X 0213:2004 can encode, decided by the JDK
 * charset's {@code CharsetEncoder.canEncode}. 𠮷 U+20BB7 and 髙 U+9AD9 are <em>not</em> in it.</li>
 * <li>{@value #UNICODE}: every assigned code point except surrogates and private use.</li>
 * <li>any other name: what that JDK charset can encode.</li>
 * </ul>
 * Private-use code points are never members (they do not mean the same thing on both sides).
 * <p>
 * Combining kana sound marks: JIS X 0213 encodes か゚ (U+304B U+309A) and similar sequences as
 * single characters, but cannot encode U+309A or U+3099 alone, and x-SJIS_0213 reports exactly
 * that. So the marks are not members; {@link #containsPair} accepts a mark directly after a
 * base for which the charset can encode the pair. (A base followed by U+3099 that composes
 * under NFC, such as か + U+3099, is caught earlier as TEXT_NOT_NFC.)
 * <p>
 * The repertoire also carries the set of members that are NFC-inert (unchanged by NFC, canonical
 * combining class 0, never the second of a canonical composition): text made only of those is
 * NFC, so the common case needs no {@link Normalizer} call.
 */
public final class Repertoire
{
    public static final String JIS_X_0213 = "x-SJIS_0213";
    public static final String UNICODE = "unicode";

    private static final int[] KANA_SOUND_MARKS = {0x3099, 0x309A};
    private static final int KANA_PAIR_BASE_FIRST = 0x3040;
    private static final int KANA_PAIR_BASE_LAST = 0x31FF;
    private static final Map<String, Repertoire> CACHE = new ConcurrentHashMap<>();

    private final String name;
    private final CodePointSet members;
    private final CodePointSet nfcInert;
    private final CodePointSet[] kanaMarkBases = new CodePointSet[KANA_SOUND_MARKS.length];

    private Repertoire(final String name, final CodePointSet members, final CharsetEncoder encoder)
    {
        this.name = name;
        this.members = members;
        for (int m = 0; m < KANA_SOUND_MARKS.length; m++)
        {
            kanaMarkBases[m] = new CodePointSet();
            if (encoder != null && !members.contains(KANA_SOUND_MARKS[m]))
            {
                for (int base = KANA_PAIR_BASE_FIRST; base <= KANA_PAIR_BASE_LAST; base++)
                {
                    if (members.contains(base) &&
                        encoder.canEncode(CharBuffer.wrap(new char[] {(char)base, (char)KANA_SOUND_MARKS[m]})))
                    {
                        kanaMarkBases[m].add(base);
                    }
                }
            }
        }
        this.nfcInert = NfcInert.within(members);
    }

    /**
     * Returns the repertoire for a name, building it on first use (about a second for a charset).
     *
     * @param name {@value #UNICODE} or a JDK charset name such as {@value #JIS_X_0213}
     * @throws IllegalArgumentException when the name is neither
     */
    public static Repertoire forName(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("repertoire: " + name + " (expected: \"unicode\" or a charset name)");
        }
        return CACHE.computeIfAbsent(name, Repertoire::build);
    }

    /** The JIS X 0213 repertoire, the default for text fields. */
    public static Repertoire jisX0213()
    {
        return forName(JIS_X_0213);
    }

    public String name()
    {
        return name;
    }

    /** Whether the code point on its own is in the repertoire. */
    public boolean contains(final int codePoint)
    {
        return members.contains(codePoint);
    }

    /**
     * Whether {@code mark}, not a member on its own, is allowed directly after {@code base}
     * because the repertoire encodes the pair as one character (e.g. か゚ in JIS X 0213).
     */
    public boolean containsPair(final int base, final int mark)
    {
        for (int m = 0; m < KANA_SOUND_MARKS.length; m++)
        {
            if (KANA_SOUND_MARKS[m] == mark)
            {
                return kanaMarkBases[m].contains(base);
            }
        }
        return false;
    }

    /** Number of code points in the repertoire. */
    public int size()
    {
        return members.size();
    }

    boolean isNfcInert(final int codePoint)
    {
        return nfcInert.contains(codePoint);
    }

    @Override
    public String toString()
    {
        return name;
    }

    private static Repertoire build(final String name)
    {
        if (UNICODE.equalsIgnoreCase(name))
        {
            final CodePointSet members = new CodePointSet();
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
            {
                if (isCandidate(cp))
                {
                    members.add(cp);
                }
            }
            return new Repertoire(UNICODE, members, null);
        }

        final Charset charset;
        try
        {
            charset = Charset.forName(name);
        }
        catch (final IllegalCharsetNameException | UnsupportedCharsetException ex)
        {
            throw new IllegalArgumentException("repertoire: " + name +
                " (expected: \"unicode\" or a charset name this JVM supports)", ex);
        }
        if (!charset.canEncode())
        {
            throw new IllegalArgumentException("repertoire: " + name + " (expected: a charset that can encode)");
        }
        final CharsetEncoder encoder = charset.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        final CodePointSet members = new CodePointSet();
        final CharBuffer in = CharBuffer.allocate(2);
        final ByteBuffer out = ByteBuffer.allocate(16 * (int)Math.ceil(encoder.maxBytesPerChar()));
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            if (isCandidate(cp) && canEncode(encoder, cp, in, out))
            {
                members.add(cp);
            }
        }
        encoder.reset();
        return new Repertoire(charset.name(), members, encoder);
    }

    /**
     * Same answer as {@link CharsetEncoder#canEncode(CharSequence)}, which throws and catches an
     * exception for every unmappable character; this way a full scan takes a fraction of the time.
     */
    private static boolean canEncode(
        final CharsetEncoder encoder, final int codePoint, final CharBuffer in, final ByteBuffer out)
    {
        in.clear();
        if (codePoint < Character.MIN_SUPPLEMENTARY_CODE_POINT)
        {
            in.put((char)codePoint);
        }
        else
        {
            in.put(Character.highSurrogate(codePoint)).put(Character.lowSurrogate(codePoint));
        }
        in.flip();
        out.clear();
        encoder.reset();
        return !encoder.encode(in, out, true).isError() && !encoder.flush(out).isError();
    }

    private static boolean isCandidate(final int codePoint)
    {
        final int type = Character.getType(codePoint);
        return type != Character.UNASSIGNED && type != Character.SURROGATE && type != Character.PRIVATE_USE;
    }
}
