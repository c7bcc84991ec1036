package io.chukei.protocol.validation;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The characters a text field may contain: a profile chosen by configuration, precomputed once
 * into bit sets and a sorted sequence array so that the hot path is a bit lookup (and, for a
 * code point that is not a member on its own, one binary search), allocating nothing.
 * <ul>
 * <li>{@value #JAPANESE_NAMES} (default): JIS X 0213 ({@link JisX0213Table}) without the
 * half-width katakana U+FF61..U+FF9F and the invisible soft hyphen U+00AD, plus every ideograph
 * with a registered variation sequence in the IVD's Japanese collections ({@link IvdTable}),
 * plus those sequences. A variation selector must form a registered sequence with the ideograph
 * before it. 髙 U+9AD9 and 𠮷 U+20BB7 are members.</li>
 * <li>{@value #JIS_X_0213}: JIS X 0213 as the table has it, and any ideographic variation
 * selector directly after an ideograph (the behaviour before profiles existed).</li>
 * <li>{@value #FILE_PREFIX}PATH: an operator's list ({@link RepertoireFile}), read when the
 * repertoire is built; variation selectors only in listed sequences.</li>
 * <li>{@value #UNICODE}: every assigned code point of the JVM's Unicode version except surrogates
 * and private use, any variation selector after an ideograph (tests, permissive upstreams).</li>
 * </ul>
 * Control characters are members of no profile: the text rules refuse them before the
 * repertoire is consulted. Private-use code points are never members (they do not mean the same
 * thing on both sides).
 * <p>
 * The repertoire also carries the set of members that are NFC-inert (unchanged by NFC, canonical
 * combining class 0, never the second of a canonical composition): text made only of those is
 * NFC, so the common case needs no {@link java.text.Normalizer} call.
 */
public final class Repertoire
{
    public static final String JAPANESE_NAMES = "japanese-names";
    public static final String JIS_X_0213 = "jisx0213";
    public static final String UNICODE = "unicode";
    public static final String FILE_PREFIX = "file:";

    private static final int FIRST_HALFWIDTH_KATAKANA = 0xFF61;
    private static final int LAST_HALFWIDTH_KATAKANA = 0xFF9F;
    private static final Map<String, Repertoire> BUILT_IN = new ConcurrentHashMap<>();

    private final String name;
    private final CodePointSet members;
    private final SequenceSet sequences;
    private final boolean anyVariationSelectorAfterIdeograph;
    private final CodePointSet nfcInert;
    private final Map<Integer, String> compatibilityHints;

    private Repertoire(
        final String name, final CodePointSet members, final SequenceSet sequences,
        final boolean anyVariationSelectorAfterIdeograph)
    {
        this.name = name;
        this.members = members;
        this.sequences = sequences;
        this.anyVariationSelectorAfterIdeograph = anyVariationSelectorAfterIdeograph;
        this.nfcInert = NfcInert.within(members);
        this.compatibilityHints = ReplacementHints.compatibilityIdeographs(this);
    }

    static Repertoire of(
        final String name, final CodePointSet members, final SequenceSet sequences,
        final boolean anyVariationSelectorAfterIdeograph)
    {
        return new Repertoire(name, members, sequences, anyVariationSelectorAfterIdeograph);
    }

    /**
     * Returns the repertoire for a profile name. Built-in profiles are built once per JVM (about a
     * second); a {@code file:} profile is read from its file on every call.
     *
     * @param name {@value #JAPANESE_NAMES}, {@value #JIS_X_0213}, {@value #UNICODE} or {@code file:PATH}
     * @throws IllegalArgumentException for another name, or a file that is missing or has a malformed line
     */
    public static Repertoire forName(final String name)
    {
        if (isFile(checkName(name)))
        {
            return RepertoireFile.load(name, Path.of(name.substring(FILE_PREFIX.length())));
        }
        return BUILT_IN.computeIfAbsent(name, Repertoire::buildProfile);
    }

    /**
     * Checks that a name has the form of a profile without building it (a configuration can be
     * read by tools that never validate text).
     *
     * @return the name
     * @throws IllegalArgumentException when it is not {@value #JAPANESE_NAMES}, {@value #JIS_X_0213},
     *                                  {@value #UNICODE} or {@code file:PATH}
     */
    public static String checkName(final String name)
    {
        if (JAPANESE_NAMES.equals(name) || JIS_X_0213.equals(name) || UNICODE.equals(name) || isFile(name))
        {
            return name;
        }
        throw new IllegalArgumentException("repertoire: " + name + " (expected: " + JAPANESE_NAMES + ", " +
            JIS_X_0213 + ", " + UNICODE + " or " + FILE_PREFIX + "PATH)");
    }

    private static boolean isFile(final String name)
    {
        return name != null && name.startsWith(FILE_PREFIX) && name.length() > FILE_PREFIX.length();
    }

    /** The default profile: JIS X 0213 and the IVD's Japanese collections. */
    public static Repertoire japaneseNames()
    {
        return forName(JAPANESE_NAMES);
    }

    public static Repertoire jisX0213()
    {
        return forName(JIS_X_0213);
    }

    public static Repertoire unicode()
    {
        return forName(UNICODE);
    }

    /** The profile name as configured, e.g. {@code japanese-names} or {@code file:/etc/chukei/chars.txt}. */
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
     * Whether {@code next}, not a member on its own, is allowed directly after {@code base}: a
     * registered ideographic variation sequence (葛 U+845B U+E0100), or a character JIS X 0213
     * encodes as two code points whose second is no member alone (か゚ U+304B U+309A).
     */
    public boolean containsSequence(final int base, final int next)
    {
        if (anyVariationSelectorAfterIdeograph && next >= IvdTable.FIRST_SELECTOR && next <= IvdTable.LAST_SELECTOR)
        {
            return Character.isIdeographic(base);
        }
        return sequences.contains(base, next);
    }

    /** Number of code points in the repertoire. */
    public int size()
    {
        return members.size();
    }

    /** Number of listed two-code-point sequences. */
    public int sequenceCount()
    {
        return sequences.size();
    }

    /** Whether any ideographic variation selector is accepted after an ideograph, registered or not. */
    public boolean acceptsAnyVariationSelector()
    {
        return anyVariationSelectorAfterIdeograph;
    }

    SequenceSet sequences()
    {
        return sequences;
    }

    /** The variation selectors listed after {@code base}, ascending (error details; allocates). */
    int[] selectorsFor(final int base)
    {
        return java.util.Arrays.stream(sequences.secondsAfter(base))
            .filter(cp -> cp >= IvdTable.FIRST_SELECTOR && cp <= IvdTable.LAST_SELECTOR)
            .toArray();
    }

    /** What to send instead of a compatibility ideograph NFC changes; "" when nothing is known. */
    String compatibilityHint(final int codePoint)
    {
        return compatibilityHints.getOrDefault(codePoint, "");
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

    private static Repertoire buildProfile(final String name)
    {
        switch (name)
        {
            case JAPANESE_NAMES: return buildJapaneseNames();
            case JIS_X_0213: return buildJisX0213();
            default: return buildUnicode();
        }
    }

    private static Repertoire buildJapaneseNames()
    {
        final JisX0213Table jis = JisX0213Table.get();
        final IvdTable ivd = IvdTable.get();
        final CodePointSet members = new CodePointSet();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            final boolean fromJis = jis.characters().contains(cp) && !isControl(cp) &&
                Character.getType(cp) != Character.FORMAT &&
                (cp < FIRST_HALFWIDTH_KATAKANA || cp > LAST_HALFWIDTH_KATAKANA);
            if (fromJis || ivd.bases().contains(cp))
            {
                members.add(cp);
            }
        }
        final SequenceSet sequences = new SequenceSet.Builder()
            .addNeeded(jis.sequences(), members)
            .addNeeded(ivd.sequences(), members)
            .build();
        return new Repertoire(JAPANESE_NAMES, members, sequences, false);
    }

    private static Repertoire buildJisX0213()
    {
        final JisX0213Table jis = JisX0213Table.get();
        final CodePointSet members = new CodePointSet();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            if (jis.characters().contains(cp) && !isControl(cp))
            {
                members.add(cp);
            }
        }
        return new Repertoire(JIS_X_0213, members, new SequenceSet.Builder().addNeeded(jis.sequences(), members).build(),
            true);
    }

    private static Repertoire buildUnicode()
    {
        final CodePointSet members = new CodePointSet();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            final int type = Character.getType(cp);
            if (type != Character.UNASSIGNED && type != Character.SURROGATE && type != Character.PRIVATE_USE &&
                type != Character.CONTROL)
            {
                members.add(cp);
            }
        }
        return new Repertoire(UNICODE, members, SequenceSet.EMPTY, true);
    }

    private static boolean isControl(final int codePoint)
    {
        return Character.getType(codePoint) == Character.CONTROL;
    }
}
