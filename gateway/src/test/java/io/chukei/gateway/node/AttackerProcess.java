package io.chukei.gateway.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** {@link HostileConnections} in a JVM of its own, at the lowest CPU priority; its counters are read from the status lines it prints. */
final class AttackerProcess implements AutoCloseable
{
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    final AtomicLong connected = new AtomicLong();
    final AtomicLong closedAtOnce = new AtomicLong();
    final AtomicLong handshakes = new AtomicLong();
    final AtomicLong helloRequiredGoAways = new AtomicLong();

    private AttackerProcess(final Process process)
    {
        this.process = process;
        final Thread reader = new Thread(this::readStatus, "attacker-status");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts holding {@code idleSockets} from 127.0.0.1 and {@code sessionsWithoutHello} from 127.0.1.1-8. */
    static AttackerProcess start(final int nodePort, final Path pki, final int idleSockets, final int sessionsWithoutHello,
        final List<String> certificateCodes) throws IOException
    {
        final List<String> command = new ArrayList<>();
        // The attacker stands in for hosts elsewhere: at the lowest priority its own connects and handshakes take CPU only
        // when the node and the bystander leave some, so the test measures the node's handling of the attack, not two
        // shared cores running the attacker too. What the attack makes the node do is unchanged.
        command.add("nice");
        command.add("-n");
        command.add("19");
        // The module openings the test JVM runs with; not its paranoid leak detection, which makes every buffer costly.
        command.addAll(TestProcesses.java("256m", false, HostileConnections.class.getName()));
        command.add(Integer.toString(nodePort));
        command.add(pki.toString());
        command.add(Integer.toString(idleSockets));
        command.add(Integer.toString(sessionsWithoutHello));
        command.addAll(certificateCodes);
        return new AttackerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void readStatus()
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line = lines.readLine(); line != null; line = lines.readLine())
            {
                if (line.startsWith("status "))
                {
                    final String[] counts = line.split(" ");
                    connected.set(Long.parseLong(counts[1]));
                    closedAtOnce.set(Long.parseLong(counts[2]));
                    handshakes.set(Long.parseLong(counts[3]));
                    helloRequiredGoAways.set(Long.parseLong(counts[4]));
                }
                else
                {
                    synchronized (output)
                    {
                        output.append(line).append('\n');
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            // The process ended; its last counts stand.
        }
    }

    /** What the attacker printed besides its status lines (errors), for a failure message. */
    String output()
    {
        synchronized (output)
        {
            return output.toString();
        }
    }

    /** Ends the attack: stdin closes, the attacker closes its connections and exits. */
    @Override
    public void close() throws IOException, InterruptedException
    {
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
