package io.chukei.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalKeysTest
{
    @TempDir
    Path directory;

    @Test
    void rotateCreatesAnOwnerOnlyFileWithKeyOneThenAddsKeyTwo() throws Exception
    {
        final Path file = directory.resolve("journal.keys");
        assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");

        assertThat(JournalKeys.rotate(file)).isEqualTo(1);
        assertThat(JournalKeys.rotate(file)).isEqualTo(2);

        final JournalKeys keys = JournalKeys.load(file);
        assertThat(keys.ids()).containsExactly(1, 2);
        assertThat(keys.newestId()).isEqualTo(2);
        assertThat(keys.key(1).getEncoded()).hasSize(32).isNotEqualTo(keys.key(2).getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception
    {
        final Path file = directory.resolve("journal.keys");
        assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        JournalKeys.rotate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> JournalKeys.load(file)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("has mode rw-r--r-- (expected: rw------- , owner only; chmod 600");
    }

    @Test
    void aMissingKeyFileSaysHowToCreateOne()
    {
        final Path file = directory.resolve("absent.keys");

        assertThatThrownBy(() -> JournalKeys.load(file)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("does not exist").hasMessageContaining("chukei keys rotate --key-file " + file);
    }

    @Test
    void aMalformedLineIsNamedWithoutQuotingTheKey() throws Exception
    {
        final Path file = directory.resolve("journal.keys");
        JournalKeys.rotate(file);
        final List<String> lines = Files.readAllLines(file);
        final String keyLine = lines.get(lines.size() - 1);
        final String shortKey = keyLine.substring(0, keyLine.length() - 8);
        Files.write(file, List.of(lines.get(0), lines.get(1), shortKey));

        assertThatThrownBy(() -> JournalKeys.load(file)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("line 3").satisfies(ex ->
                assertThat(ex.getMessage()).doesNotContain(shortKey.split(" ")[2]));
    }
}
