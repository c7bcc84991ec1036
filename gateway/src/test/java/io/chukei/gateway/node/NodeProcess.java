package io.chukei.gateway.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A relay node in its own JVM ({@code chukei run}), so tests can kill it for real
 * ({@code kill -9}) and start it again on the same data directory.
 */
final class NodeProcess implements AutoCloseable
{
    private final Path config;
    private final Path dataDir;
    private final Path log;
    private Process process;
    private long drainMs = -1;

    NodeProcess(final Path config, final Path dataDir)
    {
        this(config, dataDir, dataDir.resolve("node-process.log"));
    }

    /** With the node's output in {@code log}, e.g. outside the data directory when a test examines every file there. */
    NodeProcess(final Path config, final Path dataDir, final Path log)
    {
        this.config = config;
        this.dataDir = dataDir;
        this.log = log;
    }

    /**
     * {@code --drain-ms} for the node's stops: how long SIGTERM waits for requests in flight. For tests that end with
     * requests a fault keeps in flight for good (a lost outcome), so the node's default 10 s is not a pause at every close.
     */
    NodeProcess drainMs(final long ms)
    {
        this.drainMs = ms;
        return this;
    }

    /** Starts the node and waits for its ready line. */
    NodeProcess start() throws IOException, InterruptedException
    {
        // A start took 65 s at load average 35 on the 2-core build machine (2026-12-04): JVM, repertoire, PKI, keys.
        return launch().awaitReady(Duration.ofSeconds(120));
    }

    /** Starts the node's JVM without waiting: several nodes of a cluster start side by side, then {@link #awaitReady}. */
    NodeProcess launch() throws IOException
    {
        final List<String> command = TestProcesses.java("512m", true, "io.chukei.gateway.cli.ChukeiCommand");
        command.add("run");
        command.add("--config");
        command.add(config.toString());
        command.add("--data");
        command.add(dataDir.toString());
        if (drainMs >= 0)
        {
            command.add("--drain-ms");
            command.add(Long.toString(drainMs));
        }
        Files.createDirectories(dataDir);
        Files.deleteIfExists(log);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return this;
    }

    /** Waits for the ready line of a launched node. */
    NodeProcess awaitReady(final Duration timeout) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!readyLinePrinted())
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("node exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("node not ready within " + timeout.toSeconds() + " s:\n" +
                    Files.readString(log));
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private boolean readyLinePrinted() throws IOException
    {
        return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("chukei ready:");
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal by name (STOP, CONT) with the system's {@code kill}: a real stop, as an operator's or the kernel's. */
    void signal(final String name) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0)
        {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + kill.exitValue());
        }
    }

    /** SIGTERM and wait: the node's orderly shutdown. */
    void stop() throws InterruptedException
    {
        if (process != null && process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    String log() throws IOException
    {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException
    {
        stop();
    }

    /** A port free right now on 127.0.0.1, below the ephemeral range, for a node that must come back at the same address. */
    static int freePort() throws IOException
    {
        return io.chukei.protocol.testing.LoopbackPorts.free(1)[0];
    }
}
