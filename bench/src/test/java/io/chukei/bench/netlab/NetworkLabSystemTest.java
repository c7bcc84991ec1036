package io.chukei.bench.netlab;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab itself: hosts reach this namespace, a partition rule cuts exactly that, and nothing is left after close. */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkLabSystemTest
{
    @Test
    void aHostReachesTheRootAddressUntilPartitionedAndTheLabLeavesNothingBehind() throws Exception
    {
        final String namespace;
        try (NetworkLab lab = NetworkLab.create(2);
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName(lab.rootAddress())))
        {
            namespace = lab.namespace(1);
            assertThat(connects(lab, 1, lab.rootAddress(), listener.getLocalPort())).as("host 1 reaches us").isTrue();

            lab.partitionRemote(1, lab.rootAddress(), listener.getLocalPort());
            assertThat(connects(lab, 1, lab.rootAddress(), listener.getLocalPort())).as("host 1 cut off").isFalse();
            assertThat(connects(lab, 2, lab.rootAddress(), listener.getLocalPort())).as("host 2 unaffected").isTrue();

            lab.heal(1);
            assertThat(connects(lab, 1, lab.rootAddress(), listener.getLocalPort())).as("healed").isTrue();

            // cat, not Files.readString: /proc files claim size 0 and Java read one byte of this one.
            final String hostDefault = run("cat", "/proc/sys/net/ipv4/tcp_wmem", "/proc/sys/net/ipv4/tcp_rmem").trim();
            lab.limitTcpBuffers(1, 65_536);
            assertThat(tcpBuffers(lab, 1)).as("host 1's send and receive buffers capped")
                .matches("(?s)4096\\s+16384\\s+65536\\s+4096\\s+65536\\s+65536");
            assertThat(tcpBuffers(lab, 2)).as("host 2 keeps the default").isEqualTo(hostDefault);
            assertThat(run("cat", "/proc/sys/net/ipv4/tcp_wmem", "/proc/sys/net/ipv4/tcp_rmem").trim())
                .as("this host untouched").isEqualTo(hostDefault);
        }
        assertThat(run("ip", "netns", "list")).doesNotContain(namespace);
    }

    /** A TCP connection from inside the host's namespace (bash's /dev/tcp), given 2 s. */
    private static boolean connects(final NetworkLab lab, final int host, final String address, final int port) throws Exception
    {
        final java.util.List<String> command = new java.util.ArrayList<>(lab.exec(host));
        command.addAll(java.util.List.of("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    /** net.ipv4.tcp_wmem and tcp_rmem as seen inside the host's namespace. */
    private static String tcpBuffers(final NetworkLab lab, final int host) throws Exception
    {
        final java.util.List<String> command = new java.util.ArrayList<>(lab.exec(host));
        command.addAll(java.util.List.of("cat", "/proc/sys/net/ipv4/tcp_wmem", "/proc/sys/net/ipv4/tcp_rmem"));
        return run(command.toArray(String[]::new)).trim();
    }

    private static String run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return output;
    }
}
