package io.chukei.protocol.validation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A repertoire as a text file, one entry a line: the format of an operator's {@code file:PATH}
 * repertoire and of the published lists in protocol/spec/. UTF-8 (in practice ASCII):
 * <pre>
 * # a comment; '#' starts a comment anywhere on a line, blank lines are ignored
 * 9AD9           one code point: 4 to 6 hex digits, U+ prefix optional (U+9AD9)
 * 4E00..9FFF     an inclusive range of code points
 * 845B E0100     a sequence: a code point and the combining mark allowed directly after it (an
 *                ideographic variation selector, or a mark such as 309A); lists 845B on its own too
 * </pre>
 * Lines may end in CRLF and the file may start with a byte order mark. A variation selector is
 * accepted only as part of a listed sequence. Refused in any line:
 * surrogates, private-use code points (they do not mean the same on both sides), control
 * characters, bidi controls and U+FEFF, which the text rules refuse whatever the repertoire.
 */
final class RepertoireFile
{
    static final String FORMAT = "a code point (9AD9 or U+9AD9), a range (4E00..9FFF), " +
        "or a code point and a combining mark after it (845B E0100)";

    private final CodePointSet members = new CodePointSet();
    private final SequenceSet.Builder sequences = new SequenceSet.Builder();
    private int entries;

    private RepertoireFile()
    {
    }

    /**
     * Reads an operator's list.
     *
     * @param name the repertoire's name for messages, {@code file:PATH}
     * @throws IllegalArgumentException naming the line and what was expected, or when the file
     *                                  cannot be read
     */
    static Repertoire load(final String name, final Path path)
    {
        final RepertoireFile file = new RepertoireFile();
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8))
        {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                lineNumber++;
                // Exports from Windows tools often start with a byte order mark.
                file.parseLine(name, lineNumber, lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line);
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException("repertoire " + name + ": no such file (expected: a readable list, " +
                "see protocol/README.md)", ex);
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("repertoire " + name + ": not UTF-8 (expected: a UTF-8 text file)", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("repertoire " + name + ": cannot be read", ex);
        }
        if (file.entries == 0)
        {
            throw new IllegalArgumentException("repertoire " + name + ": no entries (expected: at least one line with " +
                FORMAT + ")");
        }
        return Repertoire.of(name, file.members, file.sequences.build(), false);
    }

    private void parseLine(final String name, final int lineNumber, final String line)
    {
        final int comment = line.indexOf('#');
        final String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
        if (content.isEmpty())
        {
            return;
        }
        final String[] tokens = content.split("\\s+");
        final String problem;
        if (tokens.length == 1 && tokens[0].contains(".."))
        {
            problem = range(tokens[0]);
        }
        else if (tokens.length == 1)
        {
            problem = single(tokens[0]);
        }
        else if (tokens.length == 2)
        {
            problem = sequence(tokens[0], tokens[1]);
        }
        else
        {
            problem = "too many code points";
        }
        if (problem != null)
        {
            throw new IllegalArgumentException("repertoire " + name + " line " + lineNumber + ": '" + line.strip() +
                "': " + problem + " (expected: " + FORMAT + ")");
        }
        entries++;
    }

    private String single(final String token)
    {
        final int codePoint = HexCodePoints.parse(token);
        if (codePoint < 0)
        {
            return "not a code point";
        }
        if (isVariationSelector(codePoint))
        {
            return FieldNames.codePoint(codePoint) + " is a variation selector, listed only after its base";
        }
        final String refusal = refusal(codePoint);
        if (refusal != null)
        {
            return refusal;
        }
        members.add(codePoint);
        return null;
    }

    private String range(final String token)
    {
        final int dots = token.indexOf("..");
        final int first = HexCodePoints.parse(token.substring(0, dots));
        final int last = HexCodePoints.parse(token.substring(dots + 2));
        if (first < 0 || last < 0)
        {
            return "not a range of code points";
        }
        if (last < first)
        {
            return "range ends before it starts";
        }
        for (int cp = first; cp <= last; cp++)
        {
            final String refusal = isVariationSelector(cp) ?
                FieldNames.codePoint(cp) + " is a variation selector, listed only after its base" : refusal(cp);
            if (refusal != null)
            {
                return "the range includes " + refusal;
            }
        }
        for (int cp = first; cp <= last; cp++)
        {
            members.add(cp);
        }
        return null;
    }

    private String sequence(final String firstToken, final String secondToken)
    {
        final int first = HexCodePoints.parse(firstToken);
        final int second = HexCodePoints.parse(secondToken);
        if (first < 0 || second < 0)
        {
            return "not two code points";
        }
        final String refusal = refusal(first);
        if (refusal != null)
        {
            return refusal;
        }
        if (!isCombiningMark(second))
        {
            return FieldNames.codePoint(second) + " is not a combining mark";
        }
        members.add(first);
        sequences.add(first, second);
        return null;
    }

    /** Why a code point can never be a member, or null. */
    private static String refusal(final int codePoint)
    {
        final int type = Character.getType(codePoint);
        final String label = FieldNames.codePoint(codePoint);
        if (type == Character.SURROGATE)
        {
            return label + " is a surrogate";
        }
        if (type == Character.PRIVATE_USE)
        {
            return label + " is a private-use code point";
        }
        if (type == Character.CONTROL)
        {
            return label + " is a control character";
        }
        if (TextValidator.isBidiControl(codePoint) || codePoint == 0xFEFF)
        {
            return label + " is a bidi control or byte order mark";
        }
        return null;
    }

    private static boolean isVariationSelector(final int codePoint)
    {
        return codePoint >= IvdTable.FIRST_SELECTOR && codePoint <= IvdTable.LAST_SELECTOR;
    }

    private static boolean isCombiningMark(final int codePoint)
    {
        final int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK ||
            type == Character.ENCLOSING_MARK;
    }

    /**
     * Writes a repertoire in this format: each member, ascending, then the sequences that start
     * with it. Loading the output as {@code file:} gives the same members and sequences.
     */
    static void write(final Repertoire repertoire, final Appendable out)
    {
        final SequenceSet sequences = repertoire.sequences();
        int next = 0;
        try
        {
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
            {
                if (!repertoire.contains(cp))
                {
                    continue;
                }
                out.append(HexCodePoints.format(cp)).append('\n');
                if (next < sequences.size() && sequences.first(next) < cp)
                {
                    throw new IllegalStateException(repertoire.name() + ": sequence after " +
                        FieldNames.codePoint(sequences.first(next)) + ", which is not a member");
                }
                while (next < sequences.size() && sequences.first(next) == cp)
                {
                    out.append(HexCodePoints.format(cp)).append(' ')
                        .append(HexCodePoints.format(sequences.second(next))).append('\n');
                    next++;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
