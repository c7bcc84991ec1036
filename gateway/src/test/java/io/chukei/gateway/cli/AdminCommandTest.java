package io.chukei.gateway.cli;

import io.chukei.gateway.config.HostPort;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdminCommandTest
{
    @TempDir
    Path dir;

    @Test
    void theNodeAnActionIsAboutIsToldFirstTheOthersInListOrder() throws Exception
    {
        final Path config = dir.resolve("node.properties");
        Files.writeString(config, String.join("\n",
            "node.id=1",
            "cluster.nodes=1@127.0.0.1:7401/127.0.0.1:7501,2@127.0.0.1:7402/127.0.0.1:7502,3@127.0.0.1:7403/127.0.0.1:7503",
            ""));
        final AdminCommand.Targets targets = new AdminCommand.Targets();
        targets.config = config;

        assertThat(targets.resolve(2)).containsExactly(new HostPort("127.0.0.1", 7502), new HostPort("127.0.0.1", 7501),
            new HostPort("127.0.0.1", 7503));
        assertThat(targets.resolve()).containsExactly(new HostPort("127.0.0.1", 7501), new HostPort("127.0.0.1", 7502),
            new HostPort("127.0.0.1", 7503));
    }

    @Test
    void statusAsksEveryNodeAtOnceSoHungNodesCostOneTimeoutNotOneEach() throws Exception
    {
        // A SIGSTOPped node's kernel still accepts connections; nothing answers. Three of them, sequentially,
        // would take three 3 s timeouts; asked at once, one.
        final List<ServerSocket> hung = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                hung.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            }
            final String admin = String.join(",", hung.stream().map(s -> "127.0.0.1:" + s.getLocalPort()).toList());
            final StringWriter out = new StringWriter();

            io.chukei.gateway.pki.DevPki.openOrCreate(dir.resolve("pki")).issueOperator("alice");
            // Once against a closed port first: class loading and TLS set-up are not what is measured here.
            final int closedPort;
            try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
            {
                closedPort = closed.getLocalPort();
            }
            new CommandLine(AdminCommand.class).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(new StringWriter()))
                .execute("status", "--admin", "127.0.0.1:" + closedPort, "--pki", dir.resolve("pki").toString());

            final int exitCode = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(8), () ->
                new CommandLine(AdminCommand.class).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                    .execute("status", "--admin", admin, "--pki", dir.resolve("pki").toString()));

            assertThat(exitCode).isEqualTo(AdminCommand.EXIT_NONE_RECORDED);
            assertThat(out.toString().lines()).hasSize(3).allSatisfy(line -> assertThat(line).contains("unreachable"));
        }
        finally
        {
            for (final ServerSocket socket : hung)
            {
                socket.close();
            }
        }
    }

    @Test
    void anActionWithoutAnOperatorCertificateSaysHowToGetOne()
    {
        io.chukei.gateway.pki.DevPki.openOrCreate(dir.resolve("pki")).issueViewer("bob");
        final StringWriter err = new StringWriter();

        final int exitCode = new CommandLine(AdminCommand.class).setOut(new PrintWriter(new StringWriter()))
            .setErr(new PrintWriter(err)).execute("isolate", "1", "--admin", "127.0.0.1:7501", "--pki",
                dir.resolve("pki").toString());

        assertThat(exitCode).isEqualTo(AdminCommand.EXIT_NO_CERTIFICATE);
        assertThat(err.toString()).contains("no operator certificate in " + dir.resolve("pki").resolve("operators"),
            "chukei pki issue-operator --data " + dir + " NAME");
    }

    @Test
    void noCertificateAtAllIsAUsageErrorNamingTheOptions()
    {
        final StringWriter err = new StringWriter();

        final int exitCode = new CommandLine(AdminCommand.class).setOut(new PrintWriter(new StringWriter()))
            .setErr(new PrintWriter(err)).execute("status", "--admin", "127.0.0.1:7501");

        assertThat(exitCode).isEqualTo(AdminCommand.EXIT_NO_CERTIFICATE);
        assertThat(err.toString()).contains("no client certificate", "--cert/--key/--cacert");
    }
}
