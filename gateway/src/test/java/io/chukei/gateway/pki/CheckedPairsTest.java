package io.chukei.gateway.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckedPairsTest
{
    @TempDir
    Path dir;

    @Test
    void onlyTheLatestChecksAreKeptOnDiskOldestFirst() throws Exception
    {
        final List<String> digests = new ArrayList<>();
        final CheckedPairs checked = CheckedPairs.load(dir);
        for (int i = 0; i < CheckedPairs.KEPT + 6; i++)
        {
            final Path file = Files.writeString(dir.resolve("f" + i), "content " + i);
            final String digest = CheckedPairs.digest("test", file);
            digests.add(digest);
            checked.add(digest);
        }
        final List<String> latest = digests.subList(6, digests.size());
        assertThat(Files.readAllLines(dir.resolve(CheckedPairs.FILE))).containsExactlyElementsOf(latest);
        final CheckedPairs reloaded = CheckedPairs.load(dir);
        assertThat(digests.subList(0, 6)).noneMatch(reloaded::contains).noneMatch(checked::contains);
        assertThat(latest).allMatch(reloaded::contains);
    }

    @Test
    void aDigestCoversTheKindAndEveryFilesExactBytes() throws Exception
    {
        final Path a = Files.writeString(dir.resolve("a"), "ab");
        final Path b = Files.writeString(dir.resolve("b"), "c");
        final Path c = Files.writeString(dir.resolve("c"), "a");
        final Path d = Files.writeString(dir.resolve("d"), "bc");
        assertThat(CheckedPairs.digest("ca-key", a, b)).isEqualTo(CheckedPairs.digest("ca-key", a, b))
            .isNotEqualTo(CheckedPairs.digest("issued", a, b))
            // Same bytes in all, split differently between the files.
            .isNotEqualTo(CheckedPairs.digest("ca-key", c, d));
    }
}
