package io.chukei.gateway.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The bundles under DATA/evidence, for retention and for {@code chukei evidence}. */
public final class EvidenceBundles
{
    private EvidenceBundles()
    {
    }

    /** Complete bundles (a manifest, no {@code .partial} suffix), oldest first: names start with their UTC time. */
    public static List<Path> list(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.filter(Files::isDirectory)
                .filter(dir -> !dir.getFileName().toString().endsWith(".partial"))
                .filter(dir -> Files.exists(dir.resolve("manifest.json")))
                .sorted(Comparator.comparing(dir -> dir.getFileName().toString()))
                .toList();
        }
    }

    /** Bytes of every file under {@code path}. */
    public static long size(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path))
        {
            long total = 0;
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                total += Files.size(file);
            }
            return total;
        }
    }
}
