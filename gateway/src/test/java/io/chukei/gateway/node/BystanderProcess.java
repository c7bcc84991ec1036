package io.chukei.gateway.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link SteadyConnector} in a JVM of its own; {@link #takeInterval()} asks it for the latencies since the last call. */
final class BystanderProcess implements AutoCloseable
{
    /**
     * Latencies of one interval, microseconds; {@code failures} counts every request since the start that got no Result,
     * {@code firstFailure} says what the first of them got.
     */
    record Interval(long count, long p50, long p90, long p99, long max, long failures, String firstFailure)
    {
    }

    private final Process process;
    private final Writer commands;
    private final BufferedReader answers;

    private BystanderProcess(final Process process)
    {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static BystanderProcess start(final int nodePort, final Path pki, final String municipality, final int perSecond)
        throws IOException
    {
        final List<String> command = TestProcesses.java("256m", false, SteadyConnector.class.getName());
        command.add(Integer.toString(nodePort));
        command.add(pki.toString());
        command.add(municipality);
        command.add(Integer.toString(perSecond));
        return new BystanderProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    /** The latencies since the last call (the first: since the start); blocks until the bystander answers. */
    Interval takeInterval() throws IOException
    {
        commands.write("take\n");
        commands.flush();
        for (String line = answers.readLine(); line != null; line = answers.readLine())
        {
            if (line.startsWith("interval "))
            {
                final String[] f = line.split(" ");
                return new Interval(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), f.length > 7 ? f[7] : "-");
            }
        }
        throw new IOException("the bystander process ended (exit " + (process.isAlive() ? "-" : process.exitValue()) + ")");
    }

    @Override
    public void close() throws IOException, InterruptedException
    {
        commands.close();
        if (!process.waitFor(20, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
