package io.chukei.bench.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code chukei} command in a JVM of its own, started with this JVM's class path and the
 * module openings Chronicle, Agrona and Netty need, so faults are real: SIGKILL, SIGSTOP and
 * SIGCONT reach a separate process, never a thread of ours.
 */
public final class ChildJvm
{
    private static final String MAIN_CLASS = "io.chukei.gateway.cli.ChukeiCommand";
    /** The system property with extra JVM options for the children. */
    public static final String OPTIONS_PROPERTY = "chukei.childJvmOptions";

    private final List<String> arguments;
    private final Path log;
    private final String heap;
    private final List<String> launcher;
    private Process process;

    public ChildJvm(final List<String> arguments, final Path log, final String heap)
    {
        this(arguments, log, heap, List.of());
    }

    /**
     * @param launcher a command the JVM is run under, e.g. {@code ip netns exec NS} (it must exec the JVM, so
     *     signals reach it); empty for none
     */
    public ChildJvm(final List<String> arguments, final Path log, final String heap, final List<String> launcher)
    {
        this.arguments = List.copyOf(arguments);
        this.log = log;
        this.heap = heap;
        this.launcher = List.copyOf(launcher);
    }

    /** Starts the process; its output goes to the log file (appended, so restarts keep history). */
    public void start() throws IOException
    {
        if (isAlive())
        {
            throw new IllegalStateException("already running: pid " + process.pid());
        }
        final List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle.") ||
                argument.startsWith("--enable-native-access") || argument.startsWith("--sun-misc"))
            {
                command.add(argument);
            }
        }
        command.addAll(extraOptions());
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN_CLASS);
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "---- start " + String.join(" ", arguments) + "\n", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * JVM options for every child, from the system property {@value #OPTIONS_PROPERTY} (whitespace-separated; none when
     * unset). The system tests set C1-only there (root pom, {@code chukei.test.childJvmOptions}); {@code ops/chukei soak}
     * sets nothing, so its nodes run as {@code ops/chukei run}'s do.
     */
    static List<String> extraOptions()
    {
        return options(System.getProperty(OPTIONS_PROPERTY));
    }

    /** {@code text} split at whitespace; none for null or blank. */
    static List<String> options(final String text)
    {
        final String options = text == null ? "" : text.strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /** Waits until the log has {@code line} more times than {@code before} (see {@link #count}); fails if the process dies. */
    public void awaitLine(final String line, final int before, final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (count(line) <= before)
        {
            if (!isAlive())
            {
                throw new IllegalStateException("process exited with " + process.exitValue() + " before '" + line +
                    "'; log " + log + ":\n" + tail());
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no '" + line + "' within " + timeoutMs + " ms; log " + log + ":\n" + tail());
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    /** How often the log contains {@code line}. */
    public int count(final String line) throws IOException
    {
        if (!Files.exists(log))
        {
            return 0;
        }
        final String text = Files.readString(log, StandardCharsets.UTF_8);
        int count = 0;
        for (int at = text.indexOf(line); at >= 0; at = text.indexOf(line, at + line.length()))
        {
            count++;
        }
        return count;
    }

    /** The lines of the log that contain {@code text}, oldest first. */
    public List<String> linesContaining(final String text) throws IOException
    {
        if (!Files.exists(log))
        {
            return List.of();
        }
        try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8))
        {
            return lines.filter(line -> line.contains(text)).toList();
        }
    }

    public boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    public long pid()
    {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException
    {
        if (isAlive())
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGKILL without waiting: for a caller that was interrupted (a test's time limit), which must still not leave the
     * process running behind it (a node left running in a network namespace outlives the test and its lab).
     */
    public void destroyNow()
    {
        if (process != null)
        {
            process.destroyForcibly();
        }
    }

    /** SIGSTOP: the process keeps its sockets (the kernel still completes handshakes) but runs nothing. */
    public void pause() throws IOException, InterruptedException
    {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException
    {
        signal("CONT");
    }

    /** SIGTERM (resuming first, a stopped process cannot handle it) and wait; SIGKILL after 30 s. */
    public void stop() throws IOException, InterruptedException
    {
        if (isAlive())
        {
            signal("CONT");
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                kill();
            }
        }
    }

    private void signal(final String name) throws IOException, InterruptedException
    {
        if (!isAlive())
        {
            throw new IllegalStateException("not running: cannot send SIG" + name);
        }
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
        {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The last 4,000 characters of the log, for error messages. */
    public String tail() throws IOException
    {
        if (!Files.exists(log))
        {
            return "";
        }
        final String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.substring(Math.max(0, text.length() - 4000));
    }
}
