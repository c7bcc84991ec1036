package io.chukei.gateway.node;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What system tests that run nodes and connectors in their own JVMs share: the java command line (the test JVM's
 * module openings and Chronicle switches), a node data directory seeded with the test's dev PKI, and the system's
 * {@code kill -9}.
 */
final class TestProcesses
{
    private TestProcesses()
    {
    }

    /**
     * {@code java} with the test JVM's module openings (and, with {@code chronicleSwitches}, its {@code -Dchronicle.}
     * properties), the build's options for child JVMs ({@link #childJvmOptions}), {@code -Xmx}, the test class path and
     * {@code mainClass}; the caller appends the arguments.
     */
    static List<String> java(final String maxHeap, final boolean chronicleSwitches, final String mainClass)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access") ||
                argument.startsWith("--sun-misc") || chronicleSwitches && argument.startsWith("-Dchronicle."))
            {
                command.add(argument);
            }
        }
        command.addAll(childJvmOptions());
        command.add("-Xmx" + maxHeap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    /**
     * The options the build gives every JVM a system test starts (system property {@code chukei.childJvmOptions}, from the
     * root pom's {@code chukei.test.childJvmOptions}: C1 only, so a node's start does not spend the shared cores on C2).
     * Read the same way as bench's {@code ChildJvm.OPTIONS_PROPERTY}, which this module cannot see.
     */
    static List<String> childJvmOptions()
    {
        final String options = System.getProperty("chukei.childJvmOptions", "").strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /** {@code nodeData}, created, with a copy of the test's dev PKI in {@code nodeData/pki} (same CA, so peers trust). */
    static Path nodeDataWithPki(final Path pki, final Path nodeData) throws IOException
    {
        copyTree(pki, nodeData.resolve("pki"));
        return nodeData;
    }

    /** Copies the files under {@code from} that {@code to} does not have yet. */
    static void copyTree(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (var files = Files.walk(from))
        {
            for (final Path source : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source))
                {
                    Files.createDirectories(target);
                }
                else if (!Files.exists(target))
                {
                    Files.copy(source, target);
                }
            }
        }
    }

    /**
     * The system's {@code kill -9}: unlike {@link Process#destroyForcibly()} it leaves the pipes of the killed process
     * open on this side, so what it printed up to the kill can still be read.
     */
    static void kill9(final Process process) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0)
        {
            throw new IllegalStateException("kill -9 " + process.pid() + " exited with " + kill.exitValue());
        }
    }
}
