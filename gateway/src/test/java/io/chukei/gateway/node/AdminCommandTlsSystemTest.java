package io.chukei.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.chukei.gateway.cli.ChukeiCommand;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.RevokedCertificate;
import io.chukei.gateway.tls.MunicipalityCodes;
import picocli.CommandLine;

/** {@code chukei admin} against a real node whose admin listener refuses the client's certificate, or is refused by it. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminCommandTlsSystemTest
{
    @TempDir
    Path dataDir;

    @TempDir
    Path otherDir;

    private RelayNode node;

    @AfterEach
    void stop()
    {
        if (node != null)
        {
            node.close();
        }
    }

    /**
     * Each way an operator's TLS set-up can fail against a real node's admin listener gives one line naming the cause
     * and the fix (it printed "unreachable:" and the TLS stack's exception: "Received fatal alert:
     * certificate_required", "PKIX path building failed: ...", "HTTP/1.1 header parser received no bytes").
     */
    @Test
    void aRefusedCertificateIsNamedWithItsCauseNotReportedAsAnUnreachableNode() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        final Path crl = pki.writeCrl(Duration.ofDays(7));
        node = new RelayNode(NodeFixtures.config(dataDir, "tls.crl", crl.toString()), Clock.systemUTC()).start();
        final String admin = "127.0.0.1:" + node.adminAddress().getPort();
        final DevPki other = DevPki.openOrCreate(otherDir.resolve("pki"), MunicipalityCodes::isValid);
        final CertificateFiles stranger = other.issueOperator("eve");
        final CertificateFiles connector = pki.issueConnector("131016");
        final CertificateFiles mallory = pki.issueOperator("mallory");
        final String ca = pki.caCertificate().toString();

        assertThat(run("status", "--admin", admin, "--cert", stranger.certificate().toString(), "--key",
            stranger.privateKey().toString(), "--cacert", ca))
            .contains(admin + " refused: no client certificate was presented, since " + stranger.certificate() +
                " is not issued by a CA the node names")
            .doesNotContain("unreachable", "Exception");
        assertThat(run("status", "--admin", admin, "--pki", otherDir.resolve("pki").toString(), "--operator", "eve"))
            .contains(admin + " refused the node's certificate: it is not issued by the CA in " +
                other.caCertificate())
            .doesNotContain("unreachable", "Exception");
        assertThat(run("status", "--admin", admin, "--cert", connector.certificate().toString(), "--key",
            connector.privateKey().toString(), "--cacert", ca))
            .containsPattern(java.util.regex.Pattern.quote(admin) + " (closed the connection without an answer, most " +
                "likely refusing|refused) the client certificate " + java.util.regex.Pattern.quote(
                connector.certificate().toString()))
            .contains("not an operator's or viewer's")
            .doesNotContain("unreachable", "Exception");

        pki.revoke(mallory.certificate(), RevokedCertificate.Reason.KEY_COMPROMISE);
        final java.security.cert.X509Certificate revoked;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(mallory.certificate()))
        {
            revoked = (java.security.cert.X509Certificate)java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(in);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.revocation().isRevoked(revoked));
        assertThat(run("isolate", "1", "--admin", admin, "--pki", dataDir.resolve("pki").toString(), "--operator",
            "mallory"))
            .startsWith("exit 1")
            .contains(admin + " refused: the client certificate " + mallory.certificate() + " is revoked by the node's CRLs")
            .doesNotContain("unreachable", "Exception");
    }

    private static String run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine command = ChukeiCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        final String[] all = new String[args.length + 1];
        all[0] = "admin";
        System.arraycopy(args, 0, all, 1, args.length);
        final int code = command.execute(all);
        return "exit " + code + "\nOUT: " + out + "\nERR: " + err;
    }
}
