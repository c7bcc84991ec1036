package io.chukei.gateway.evidence;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the operating system and the JVM say about the process at the moment of a bundle: load, open files
 * against their limit, disk free under the data directory, memory of the host and of the JVM. Read from
 * /proc where there is one; a missing source is said, not guessed.
 */
final class OsView
{
    private OsView()
    {
    }

    static String describe(final Path dataDir)
    {
        final StringBuilder out = new StringBuilder(4096);
        out.append("load average (1 5 15 min, runnable/total, last pid): ").append(firstLine(Path.of("/proc/loadavg")))
            .append('\n');
        out.append("processors: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        out.append("open files: ").append(openFiles()).append('\n');
        out.append(limit("Max open files")).append('\n');
        out.append(diskFree(dataDir)).append('\n');
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        out.append("jvm heap: ").append(memory.getHeapMemoryUsage()).append('\n');
        out.append("jvm non-heap: ").append(memory.getNonHeapMemoryUsage()).append('\n');
        out.append("jvm threads: ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
        out.append("jvm uptime ms: ").append(ManagementFactory.getRuntimeMXBean().getUptime()).append('\n');
        out.append("\n/proc/self/status (memory and threads):\n");
        for (final String line : lines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("Vm") || line.startsWith("Rss") || line.startsWith("Threads") ||
                line.startsWith("voluntary") || line.startsWith("nonvoluntary") || line.startsWith("State"))
            {
                out.append("  ").append(line).append('\n');
            }
        }
        out.append("\n/proc/meminfo:\n");
        lines(Path.of("/proc/meminfo")).stream().limit(8).forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    private static String openFiles()
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return Long.toString(fds.count());
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown (" + ex + ")";
        }
    }

    private static String limit(final String name)
    {
        for (final String line : lines(Path.of("/proc/self/limits")))
        {
            if (line.startsWith(name))
            {
                return "limit: " + line.replaceAll("\\s+", " ").trim();
            }
        }
        return "limit: " + name + " unknown";
    }

    private static String diskFree(final Path dataDir)
    {
        try
        {
            final FileStore store = Files.getFileStore(dataDir);
            return "disk under " + dataDir + ": " + store.getUsableSpace() / (1024 * 1024) + " MB usable of " +
                store.getTotalSpace() / (1024 * 1024) + " MB (" + store + ")";
        }
        catch (final IOException ex)
        {
            return "disk under " + dataDir + ": unknown (" + ex + ")";
        }
    }

    private static String firstLine(final Path file)
    {
        final List<String> lines = lines(file);
        return lines.isEmpty() ? "unknown (" + file + " unreadable)" : lines.get(0);
    }

    private static List<String> lines(final Path file)
    {
        try
        {
            return Files.readAllLines(file);
        }
        catch (final IOException ex)
        {
            return List.of();
        }
    }
}
