package io.chukei.protocol.validation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Committed files that code generates (the JIS X 0213 table, the published repertoire lists, the test vectors):
 * a test fails when a file drifts from what the code now produces; run it with
 * {@code -Dchukei.regenerate=true} to rewrite the file, then review and commit the difference.
 */
public final class GeneratedFiles
{
    public static final String REGENERATE = "chukei.regenerate";

    private GeneratedFiles()
    {
    }

    /** Paths are relative to the protocol module, where Maven runs its tests. */
    public static void assertCommitted(final Path file, final String expected) throws IOException
    {
        if (Boolean.getBoolean(REGENERATE))
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertThat(file).as("%s is missing: run this test with -D%s=true", file, REGENERATE).exists();
        final String committed = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(committed.equals(expected))
            .as("%s differs from what the code generates now: run this test with -D%s=true, review the diff " +
                "and commit it", file, REGENERATE)
            .isTrue();
    }
}
