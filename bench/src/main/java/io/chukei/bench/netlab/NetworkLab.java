package io.chukei.bench.netlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private network for real network faults: one namespace per host, each joined by a veth pair
 * to a bridge in a switch namespace, and one veth from this (the root) namespace to the bridge so
 * the test process (connectors, the card-management simulator) takes part. Addresses come from a
 * 10.x.y.0/24 no interface here uses yet: {@link #rootAddress()} on this side, {@link #address}
 * for each host. Faults are nft rules (drop, or drop at random) and tc shaping inside a host's own
 * namespace, so they touch that host's traffic only, and nothing outside the lab.
 *
 * <p>Names carry this process's pid and a random tag, so parallel runs never collide; namespaces
 * left by a run that died (its pid gone) are removed by the next {@link #create}. {@link #close}
 * removes everything, and a shutdown hook does so if the JVM exits without it.
 *
 * <p>Needs root and the {@code ip}, {@code tc} and {@code nft} commands (Debian packages iproute2 and
 * nftables; {@code .ci/run} installs them). Without them {@link #create} fails saying which is missing.
 */
public final class NetworkLab implements AutoCloseable
{
    private static final String PREFIX = "chukei-lab-";
    private static final String TABLE = "chukeilab";
    private static final List<String> TOOLS = List.of("ip", "tc", "nft");
    private static final long COMMAND_TIMEOUT_MS = 10_000;

    private final String tag;
    private final String subnet;
    private final int hosts;
    private final Thread cleanupHook = new Thread(this::removeAll, "network-lab-cleanup");
    private boolean closed;

    private NetworkLab(final String tag, final String subnet, final int hosts)
    {
        this.tag = tag;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /** Builds the lab with {@code hosts} host namespaces (1..50), all up and reachable from here. */
    public static NetworkLab create(final int hosts) throws IOException, InterruptedException
    {
        if (hosts < 1 || hosts > 50)
        {
            throw new IllegalArgumentException("hosts: " + hosts + " (expected: 1..50)");
        }
        requireTools();
        removeAbandoned();
        final String tag = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        final NetworkLab lab = new NetworkLab(ProcessHandle.current().pid() + "-" + tag, freeSubnet(), hosts);
        Runtime.getRuntime().addShutdownHook(lab.cleanupHook);
        try
        {
            lab.build(tag);
            return lab;
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            lab.close();
            throw ex;
        }
    }

    /** Why the lab cannot run here, or null when it can: not root, or a command missing. */
    public static String unavailableReason()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "network namespaces need root (running as " + System.getProperty("user.name") + ")";
        }
        for (final String tool : TOOLS)
        {
            if (which(tool) == null)
            {
                return "'" + tool + "' not found on PATH or in /usr/sbin, /sbin (Debian package " +
                    (tool.equals("nft") ? "nftables" : "iproute2") + "; .ci/run installs it)";
            }
        }
        return null;
    }

    private static void requireTools()
    {
        final String reason = unavailableReason();
        if (reason != null)
        {
            throw new IllegalStateException("NetworkLab cannot run: " + reason);
        }
    }

    private void build(final String shortTag) throws IOException, InterruptedException
    {
        final String sw = switchNamespace();
        run("ip", "netns", "add", sw);
        run("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
        run("ip", "-n", sw, "link", "set", "br0", "up");
        final String root = rootLink(shortTag);
        run("ip", "link", "add", root, "type", "veth", "peer", "name", root + "s");
        run("ip", "link", "set", root + "s", "netns", sw);
        run("ip", "-n", sw, "link", "set", root + "s", "master", "br0", "up");
        run("ip", "addr", "add", rootAddress() + "/24", "dev", root);
        run("ip", "link", "set", root, "up");
        for (int host = 1; host <= hosts; host++)
        {
            final String ns = namespace(host);
            final String link = "ck" + shortTag + "n" + host;
            run("ip", "netns", "add", ns);
            run("ip", "link", "add", link, "type", "veth", "peer", "name", link + "s");
            run("ip", "link", "set", link, "netns", ns);
            run("ip", "link", "set", link + "s", "netns", sw);
            run("ip", "-n", sw, "link", "set", link + "s", "master", "br0", "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", ns, "link", "set", link, "name", "lab0");
            run("ip", "-n", ns, "addr", "add", address(host) + "/24", "dev", "lab0");
            run("ip", "-n", ns, "link", "set", "lab0", "up");
            nft(host, "add", "table", "inet", TABLE);
            nft(host, "add", "chain", "inet", TABLE, "input", "{ type filter hook input priority 0; }");
            nft(host, "add", "chain", "inet", TABLE, "output", "{ type filter hook output priority 0; }");
        }
    }

    /** This namespace's address in the lab: where the test's own listeners (e.g. the simulator) bind. */
    public String rootAddress()
    {
        return subnet + "1";
    }

    /** Host {@code host}'s address (1-based). */
    public String address(final int host)
    {
        checkHost(host);
        return subnet + (10 + host);
    }

    public int hosts()
    {
        return hosts;
    }

    /** Host {@code host}'s namespace name. */
    public String namespace(final int host)
    {
        checkHost(host);
        return PREFIX + tag + "-n" + host;
    }

    /** The command prefix that runs a program inside host {@code host}'s namespace. */
    public List<String> exec(final int host)
    {
        return List.of(which("ip").toString(), "netns", "exec", namespace(host));
    }

    /**
     * The largest TCP send and receive buffers the kernel gives a socket in host {@code host}'s namespace
     * (net.ipv4.tcp_wmem and tcp_rmem, per-namespace settings; this host's defaults let them grow to 4 and 32 MiB): a
     * program there that writes to a peer which does not read backs up into its own buffers after this many bytes
     * instead of megabytes later, and what it stops reading backs up to the peer as soon.
     */
    public void limitTcpBuffers(final int host, final int maxBytes) throws IOException, InterruptedException
    {
        if (maxBytes < 16_384)
        {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 16384, the default buffer)");
        }
        writeTcpBuffers(host, "4096 16384 " + maxBytes, "4096 " + Math.min(131_072, maxBytes) + " " + maxBytes);
    }

    /**
     * The host's TCP buffer settings (net.ipv4.tcp_wmem, then tcp_rmem, one line each), to hand back to
     * {@link #restoreTcpBuffers} after {@link #limitTcpBuffers}.
     */
    public String tcpBuffers(final int host) throws IOException, InterruptedException
    {
        return run("ip", "netns", "exec", namespace(host), "cat", "/proc/sys/net/ipv4/tcp_wmem", "/proc/sys/net/ipv4/tcp_rmem")
            .strip();
    }

    /** Sets the host's TCP buffer settings back to what {@link #tcpBuffers} read. */
    public void restoreTcpBuffers(final int host, final String settings) throws IOException, InterruptedException
    {
        final String[] lines = settings.split("\n");
        if (lines.length != 2 || !settings.matches("[0-9\\s]+"))
        {
            throw new IllegalArgumentException("settings: " + settings + " (expected: the two lines of tcpBuffers)");
        }
        writeTcpBuffers(host, lines[0].strip(), lines[1].strip());
    }

    /** net.ipv4.tcp_wmem and tcp_rmem ("min default max") in host {@code host}'s namespace. */
    private void writeTcpBuffers(final int host, final String wmem, final String rmem) throws IOException, InterruptedException
    {
        run("ip", "netns", "exec", namespace(host), "sh", "-c",
            "echo '" + wmem + "' > /proc/sys/net/ipv4/tcp_wmem && echo '" + rmem + "' > /proc/sys/net/ipv4/tcp_rmem");
    }

    /** Every packet to or from the host's local TCP port is dropped, both ways (e.g. its connector listener). */
    public void partitionLocalPort(final int host, final int port) throws IOException, InterruptedException
    {
        dropLocalPort(host, port, 100);
    }

    /** {@code percent} of the packets to or from the host's local TCP port are dropped at random, each way. */
    public void lossOnLocalPort(final int host, final int port, final int percent) throws IOException, InterruptedException
    {
        dropLocalPort(host, port, percent);
    }

    /** Every packet between the host and {@code address:port} is dropped, both ways (e.g. a card-management endpoint). */
    public void partitionRemote(final int host, final String address, final int port) throws IOException, InterruptedException
    {
        dropRemote(host, address, port, 100);
    }

    /** {@code percent} of the packets between the host and {@code address:port} are dropped at random, each way. */
    public void lossToRemote(final int host, final String address, final int port, final int percent)
        throws IOException, InterruptedException
    {
        dropRemote(host, address, port, percent);
    }

    /**
     * One-way: packets from {@code fromAddress} to the host's local TCP port are dropped, so connections
     * from there to that port fail while the host's own connections to {@code fromAddress} work.
     */
    public void blockInbound(final int host, final String fromAddress, final int localPort) throws IOException, InterruptedException
    {
        rule(host, "input", "ip saddr " + fromAddress + " tcp dport " + localPort + " drop");
    }

    /**
     * What the host sends to {@code address:port} leaves at {@code bytesPerSecond} (a tbf under an htb
     * class that only this destination's packets enter): the far end reads slowly, all else is as fast.
     */
    public void throttleTo(final int host, final String address, final int port, final int bytesPerSecond)
        throws IOException, InterruptedException
    {
        if (bytesPerSecond < 1_000)
        {
            throw new IllegalArgumentException("bytesPerSecond: " + bytesPerSecond + " (expected: >= 1000)");
        }
        final String ns = namespace(host);
        final String bits = (bytesPerSecond * 8L) + "bit";
        run("tc", "-n", ns, "qdisc", "add", "dev", "lab0", "root", "handle", "1:", "htb", "default", "1");
        run("tc", "-n", ns, "class", "add", "dev", "lab0", "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit");
        run("tc", "-n", ns, "class", "add", "dev", "lab0", "parent", "1:", "classid", "1:2", "htb", "rate", "10gbit");
        // A queue of up to 60 s at the rate: what does not fit waits in the sender's socket, as behind a slow reader.
        run("tc", "-n", ns, "qdisc", "add", "dev", "lab0", "parent", "1:2", "handle", "20:", "tbf", "rate", bits,
            "burst", "1600", "latency", "60s");
        run("tc", "-n", ns, "filter", "add", "dev", "lab0", "parent", "1:", "protocol", "ip", "prio", "1", "u32",
            "match", "ip", "dst", address + "/32", "match", "ip", "dport", Integer.toString(port), "0xffff", "flowid", "1:2");
    }

    /** Removes every rule and shaping from the host: its network is whole again. */
    public void heal(final int host) throws IOException, InterruptedException
    {
        nft(host, "flush", "chain", "inet", TABLE, "input");
        nft(host, "flush", "chain", "inet", TABLE, "output");
        if (run("tc", "-n", namespace(host), "qdisc", "show", "dev", "lab0").contains("htb"))
        {
            run("tc", "-n", namespace(host), "qdisc", "del", "dev", "lab0", "root");
        }
    }

    /** The host's nft rules now, for logs and assertions. */
    public String rules(final int host) throws IOException, InterruptedException
    {
        return nft(host, "list", "table", "inet", TABLE);
    }

    private void dropLocalPort(final int host, final int port, final int percent) throws IOException, InterruptedException
    {
        rule(host, "input", "tcp dport " + port + randomly(percent) + " drop");
        rule(host, "output", "tcp sport " + port + randomly(percent) + " drop");
    }

    private void dropRemote(final int host, final String address, final int port, final int percent)
        throws IOException, InterruptedException
    {
        rule(host, "output", "ip daddr " + address + " tcp dport " + port + randomly(percent) + " drop");
        rule(host, "input", "ip saddr " + address + " tcp sport " + port + randomly(percent) + " drop");
    }

    private static String randomly(final int percent)
    {
        if (percent < 1 || percent > 100)
        {
            throw new IllegalArgumentException("percent: " + percent + " (expected: 1..100)");
        }
        return percent == 100 ? "" : " numgen random mod 100 < " + percent;
    }

    private void rule(final int host, final String chain, final String expression) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("add", "rule", "inet", TABLE, chain));
        command.addAll(List.of(expression.split(" ")));
        nft(host, command.toArray(String[]::new));
    }

    private String nft(final int host, final String... arguments) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host), "nft"));
        command.addAll(List.of(arguments));
        return run(command.toArray(String[]::new));
    }

    private String switchNamespace()
    {
        return PREFIX + tag + "-sw";
    }

    private static String rootLink(final String shortTag)
    {
        return "ck" + shortTag + "h";
    }

    private void checkHost(final int host)
    {
        if (host < 1 || host > hosts)
        {
            throw new IllegalArgumentException("host: " + host + " (expected: 1.." + hosts + ")");
        }
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        removeAll();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // The hook is running or has run: nothing to remove.
        }
    }

    /** Deleting a namespace deletes its veth ends, and with them their peers (the root link among them). */
    private void removeAll()
    {
        for (int host = 1; host <= hosts; host++)
        {
            quietly("ip", "netns", "del", PREFIX + tag + "-n" + host);
        }
        quietly("ip", "netns", "del", switchNamespace());
        quietly("ip", "link", "del", rootLink(tag.substring(tag.indexOf('-') + 1)));
    }

    /** Namespaces of labs whose process is gone (a run killed before it could clean up). */
    private static void removeAbandoned() throws IOException, InterruptedException
    {
        for (final String line : run("ip", "netns", "list").split("\n"))
        {
            final String name = line.trim().split(" ")[0];
            if (!name.startsWith(PREFIX))
            {
                continue;
            }
            final String rest = name.substring(PREFIX.length());
            final int dash = rest.indexOf('-');
            try
            {
                final long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                {
                    continue;
                }
            }
            catch (final NumberFormatException ex)
            {
                // Not one of ours after all: leave it.
                continue;
            }
            quietly("ip", "netns", "del", name);
        }
    }

    /** A 10.x.y.0/24 (x in 200..254) that no address or route of this namespace touches. */
    private static String freeSubnet() throws IOException, InterruptedException
    {
        final String inUse = run("ip", "-o", "addr") + run("ip", "route") + run("ip", "netns", "list");
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final String candidate = "10." + (200 + ThreadLocalRandom.current().nextInt(55)) + "." +
                ThreadLocalRandom.current().nextInt(256) + ".";
            if (!inUse.contains(candidate))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.x.y.0/24 for the lab after 100 tries");
    }

    private static void quietly(final String... command)
    {
        try
        {
            run(command);
        }
        catch (final IOException ex)
        {
            // Already gone: that is what we wanted.
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static String run(final String... command) throws IOException, InterruptedException
    {
        final List<String> resolved = new ArrayList<>(List.of(command));
        final Path tool = which(command[0]);
        if (tool != null)
        {
            resolved.set(0, tool.toString());
        }
        final Process process = new ProcessBuilder(resolved).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no exit within " + COMMAND_TIMEOUT_MS + " ms");
        }
        final String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0)
        {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text.trim());
        }
        return text;
    }

    private static Path which(final String tool)
    {
        final List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        directories.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (final String directory : directories)
        {
            if (directory.isEmpty())
            {
                continue;
            }
            final Path candidate = Path.of(directory, tool);
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public String toString()
    {
        return "network lab " + tag + " (" + subnet + "0/24, " + hosts + " hosts)";
    }
}
