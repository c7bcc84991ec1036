package io.chukei.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceCommandTest
{
    @TempDir
    Path dir;

    /** The archive carries the bundle's journal and log lines: owner-only, as the bundle (it was 0644 under umask 022). */
    @Test
    void aPackedBundleIsOwnerOnly() throws Exception
    {
        final Path bundle = Files.createDirectories(dir.resolve("data/evidence/2026-12-08T02-48-47.884Z-operator"));
        Files.writeString(bundle.resolve("manifest.json"), "{}");
        Files.writeString(bundle.resolve("journal.txt"), "entries\n");
        final Path archive = dir.resolve("out.tar.gz");
        Files.writeString(archive, "an older archive, world-readable");
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-r--r--"));
        final StringWriter out = new StringWriter();

        final int exit = ChukeiCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
            .execute("evidence", "pack", "--data", dir.resolve("data").toString(), "operator", "--out", archive.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("wrote " + archive);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-------");
        assertThat(Files.size(archive)).isGreaterThan(32);
    }
}
