package io.chukei.gateway.cli;

import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.evidence.EvidenceBundles;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code chukei evidence list|show|pack}: a node's evidence bundles (DIR/evidence), read without the node. */
@Command(name = "evidence", mixinStandardHelpOptions = true,
    description = "List, show or pack a node's evidence bundles (DIR/evidence).",
    subcommands = {EvidenceCommand.ListBundles.class, EvidenceCommand.Show.class, EvidenceCommand.Pack.class})
public final class EvidenceCommand
{
    static final int EXIT_OK = 0;
    static final int EXIT_NOT_FOUND = 1;

    private EvidenceCommand()
    {
    }

    /** The data directory option, shared by the subcommands. */
    static class DataOption
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Node data directory (bundles in DIR/evidence).")
        Path data;

        Path evidence()
        {
            return data.resolve("evidence");
        }

        /** The bundle named {@code name} (a full name, or a unique part of one such as the trigger); null, said, if none. */
        Path bundle(final String name) throws IOException
        {
            final List<Path> bundles = EvidenceBundles.list(evidence());
            final List<Path> matching = bundles.stream()
                .filter(bundle -> bundle.getFileName().toString().equals(name)).toList();
            final List<Path> found = matching.isEmpty() ? bundles.stream()
                .filter(bundle -> bundle.getFileName().toString().contains(name)).toList() : matching;
            if (found.size() == 1)
            {
                return found.get(0);
            }
            spec.commandLine().getErr().println("evidence: " + (found.isEmpty() ? "no bundle named '" + name + "'" :
                found.size() + " bundles match '" + name + "': " + found.stream().map(p -> p.getFileName().toString()).toList()) +
                " under " + evidence() + " (expected: a name from `chukei evidence list --data " + data + "`)");
            return null;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every bundle, oldest first: name, size, trigger detail.")
    static final class ListBundles extends DataOption implements Callable<Integer>
    {
        @Override
        public Integer call() throws IOException
        {
            final PrintWriter out = spec.commandLine().getOut();
            final List<Path> bundles = EvidenceBundles.list(evidence());
            if (bundles.isEmpty())
            {
                out.println("no evidence bundles under " + evidence());
            }
            for (final Path bundle : bundles)
            {
                final var manifest = Json.tree(Files.readString(bundle.resolve("manifest.json")));
                out.printf("%-45s %10d bytes  %s%n", bundle.getFileName(), EvidenceBundles.size(bundle),
                    manifest.path("detail").asText());
            }
            out.flush();
            return EXIT_OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One bundle: its manifest and its files.")
    static final class Show extends DataOption implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "BUNDLE", description = "A bundle's name, or a unique part of it.")
        String name;

        @Override
        public Integer call() throws IOException
        {
            final Path bundle = bundle(name);
            if (bundle == null)
            {
                return EXIT_NOT_FOUND;
            }
            final PrintWriter out = spec.commandLine().getOut();
            out.println(bundle);
            out.println(Files.readString(bundle.resolve("manifest.json")).strip());
            try (Stream<Path> files = Files.walk(bundle))
            {
                for (final Path file : files.filter(Files::isRegularFile).sorted().toList())
                {
                    out.printf("  %-40s %10d bytes%n", bundle.relativize(file), Files.size(file));
                }
            }
            out.println("read: threads.txt (jstack -l format), recording.jfr (jfr summary|print, JDK Mission Control), " +
                "stages.json and histograms/ (chukei histo --data), metrics.prom, cluster.json, journal.txt, log.txt, os.txt");
            out.flush();
            return EXIT_OK;
        }
    }

    @Command(name = "pack", mixinStandardHelpOptions = true, description = "One bundle as a .tar.gz, to hand to a vendor.")
    static final class Pack extends DataOption implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "BUNDLE", description = "A bundle's name, or a unique part of it.")
        String name;

        @Option(names = "--out", paramLabel = "FILE", description = "Archive to write. Default: BUNDLE.tar.gz in the current directory.")
        Path out;

        @Override
        public Integer call() throws IOException
        {
            final Path bundle = bundle(name);
            if (bundle == null)
            {
                return EXIT_NOT_FOUND;
            }
            final Path archive = out != null ? out : Path.of(bundle.getFileName() + ".tar.gz");
            // Owner-only, as the bundle it packs: its journal and log lines are the node's, its recording the JVM's.
            io.chukei.gateway.files.PrivateFiles.createFileIfAbsent(archive);
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive));
                 GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip);
                 Stream<Path> files = Files.walk(bundle))
            {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (final Path each : files.filter(Files::isRegularFile).sorted().toList())
                {
                    final String entryName = bundle.getFileName() + "/" + bundle.relativize(each);
                    final TarArchiveEntry entry = tar.createArchiveEntry(each, entryName);
                    tar.putArchiveEntry(entry);
                    Files.copy(each, tar);
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
            spec.commandLine().getOut().println("wrote " + archive.toAbsolutePath() + " (" + Files.size(archive) + " bytes)");
            spec.commandLine().getOut().flush();
            return EXIT_OK;
        }
    }
}
