package io.chukei.protocol.validation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The {@code file:PATH} profile: an operator's list of code points and sequences. */
class RepertoireFileTest
{
    @TempDir
    Path directory;

    @Test
    void readsCodePointsRangesSequencesAndComments() throws Exception
    {
        final Repertoire repertoire = load("# the card-management system's characters\n" +
            "\n" +
            "U+9AD9        # 髙\n" +
            "6a4b\n" +
            "3041..3096\n" +
            "845B E0102    # 葛, Hanyo-Denshi JA1975\n");

        assertThat(repertoire.name()).isEqualTo("file:" + directory.resolve("chars.txt"));
        assertThat(repertoire.contains(0x9AD9)).isTrue();
        assertThat(repertoire.contains(0x6A4B)).isTrue();
        assertThat(repertoire.contains(0x3041)).isTrue();
        assertThat(repertoire.contains(0x3096)).isTrue();
        assertThat(repertoire.contains(0x3097)).isFalse();
        assertThat(repertoire.contains(0x845B)).as("a sequence lists its base").isTrue();
        assertThat(repertoire.containsSequence(0x845B, 0xE0102)).isTrue();
        assertThat(repertoire.containsSequence(0x845B, 0xE0100)).as("only listed sequences").isFalse();
        assertThat(repertoire.size()).isEqualTo(2 + 86 + 1);
    }

    @Test
    void acceptsAWindowsExportWithByteOrderMarkAndCrLf() throws Exception
    {
        final Repertoire repertoire = load("\uFEFF9AD9\r\n845B E0100\r\n");

        assertThat(repertoire.contains(0x9AD9)).isTrue();
        assertThat(repertoire.containsSequence(0x845B, 0xE0100)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "9AD|'9AD': not a code point",
        "U+110000|'U+110000': not a code point",
        "9FFF..4E00|'9FFF..4E00': range ends before it starts",
        "4E00..|'4E00..': not a range of code points",
        "845B E0100 E0101|'845B E0100 E0101': too many code points",
        "845B 4E00|'845B 4E00': U+4E00 is not a combining mark",
        "E0100|'E0100': U+E0100 is a variation selector, listed only after its base",
        "E000|'E000': U+E000 is a private-use code point",
        "D800|'D800': U+D800 is a surrogate",
        "000A|'000A': U+000A is a control character",
        "202E|'202E': U+202E is a bidi control or byte order mark",
        "0000..0041|'0000..0041': the range includes U+0000 is a control character",
    })
    void aMalformedLineIsAnErrorNamingTheLineAndTheProblem(final String line, final String problem) throws Exception
    {
        final Path file = write("4E00\n# fine so far\n" + line + "\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Repertoire.forName("file:" + file))
            .withMessage("repertoire file:" + file + " line 3: " + problem + " (expected: " + RepertoireFile.FORMAT + ")");
    }

    @Test
    void aMissingFileIsAnError()
    {
        final Path missing = directory.resolve("missing.txt");

        assertThatIllegalArgumentException().isThrownBy(() -> Repertoire.forName("file:" + missing))
            .withMessageStartingWith("repertoire file:" + missing + ": no such file");
    }

    @Test
    void aFileWithoutEntriesIsAnError() throws Exception
    {
        final Path file = write("# nothing yet\n\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Repertoire.forName("file:" + file))
            .withMessageStartingWith("repertoire file:" + file + ": no entries");
    }

    @Test
    void aFileThatIsNotUtf8IsAnError() throws Exception
    {
        final Path file = directory.resolve("latin1.txt");
        Files.write(file, new byte[] {'4', 'E', '0', '0', ' ', '#', ' ', (byte)0xE9, '\n'});

        assertThatIllegalArgumentException().isThrownBy(() -> Repertoire.forName("file:" + file))
            .withMessageStartingWith("repertoire file:" + file + ": not UTF-8");
    }

    @Test
    void thePublishedJapaneseNamesListLoadsBackAsTheSameRepertoire() throws Exception
    {
        final Repertoire original = Repertoire.japaneseNames();
        final StringBuilder list = new StringBuilder();
        RepertoireFile.write(original, list);

        final Repertoire loaded = load(list.toString());

        assertThat(loaded.size()).isEqualTo(original.size());
        assertThat(loaded.sequenceCount()).isEqualTo(original.sequenceCount());
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++)
        {
            if (loaded.contains(cp) != original.contains(cp))
            {
                assertThat(loaded.contains(cp)).as("U+%04X", cp).isEqualTo(original.contains(cp));
            }
        }
        for (int i = 0; i < original.sequences().size(); i++)
        {
            assertThat(loaded.containsSequence(original.sequences().first(i), original.sequences().second(i))).isTrue();
        }
    }

    private Repertoire load(final String content) throws Exception
    {
        return Repertoire.forName("file:" + write(content));
    }

    private Path write(final String content) throws Exception
    {
        final Path file = directory.resolve("chars.txt");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
