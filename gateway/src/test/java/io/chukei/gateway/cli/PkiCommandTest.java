package io.chukei.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class PkiCommandTest
{
    private static final int USAGE = 2;

    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void initCreatesTheCaTheFirstNodeAndTheSimulatorCertificate()
    {
        final int exitCode = pki("init", "--data", data.toString());

        assertThat(exitCode).isZero();
        assertThat(data.resolve("pki/ca.crt")).exists();
        assertThat(data.resolve("pki/nodes/node-1.crt")).exists();
        assertThat(data.resolve("pki/upstreams/cardsim.key")).exists();
        assertThat(out.toString())
            .contains("created  CA", "created  node node-1", "created  upstream cardsim")
            .contains(data.resolve("pki/nodes/node-1.key").toString());
    }

    @Test
    void initAgainKeepsWhatIsThere()
    {
        pki("init", "--data", data.toString());
        out.getBuffer().setLength(0);

        final int exitCode = pki("init", "--data", data.toString());

        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("reused   CA", "reused   node node-1", "reused   upstream cardsim")
            .doesNotContain("created");
    }

    @Test
    void issuesOneCertificatePerMunicipality() throws Exception
    {
        final int exitCode = pki("issue-connector", "--data", data.toString(), "131016", "422011");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("created  connector 131016", "created  connector 422011");
        assertThat(certificate(data.resolve("pki/connectors/422011.crt")).getSubjectAlternativeNames())
            .containsExactly(List.of(6, "urn:chukei:municipality:422011"));
    }

    @Test
    void revokeListsTheCertificateInTheCrlAndAnUnknownReasonIsAUsageError() throws Exception
    {
        pki("issue-connector", "--data", data.toString(), "131016");
        final Path certificate = data.resolve("pki/connectors/131016.crt");

        assertThat(pki("revoke", "--data", data.toString(), "--reason", "stolen", certificate.toString())).isEqualTo(USAGE);
        assertThat(data.resolve("pki/ca.crl")).doesNotExist();

        assertThat(pki("revoke", "--data", data.toString(), "--reason", "key-compromise", certificate.toString())).isZero();
        assertThat(out.toString()).contains("revoked  key-compromise", "written  CRL");
        try (var in = java.nio.file.Files.newInputStream(data.resolve("pki/ca.crl")))
        {
            final java.security.cert.X509CRL crl = (java.security.cert.X509CRL)java.security.cert.CertificateFactory
                .getInstance("X.509").generateCRL(in);
            assertThat(crl.isRevoked(certificate(certificate))).isTrue();
        }
        assertThat(java.nio.file.Files.getPosixFilePermissions(data.resolve("pki/revoked.txt")))
            .as("owner-only as every file of the PKI").isEqualTo(io.chukei.gateway.files.PrivateFiles.FILE_MODE);
        assertThat(java.nio.file.Files.getPosixFilePermissions(data.resolve("pki/ca.crl")))
            .isEqualTo(io.chukei.gateway.files.PrivateFiles.FILE_MODE);
    }

    @Test
    void badMunicipalityCodeIsAUsageErrorAndNothingIsWritten()
    {
        final int exitCode = pki("issue-connector", "--data", data.toString(), "131016", "13101x");

        assertThat(exitCode).isEqualTo(USAGE);
        assertThat(err.toString()).contains("municipalityCode: 13101x (expected: 6 digits)");
        assertThat(data.resolve("pki")).doesNotExist();
    }

    @Test
    void issuesNodeCertificateForTheGivenNames() throws Exception
    {
        final int exitCode = pki("issue-node", "--data", data.toString(), "--name", "node-2",
            "--dns", "node-2.local,localhost", "--ip", "10.0.0.2", "--ip", "127.0.0.1");

        assertThat(exitCode).isZero();
        assertThat(certificate(data.resolve("pki/nodes/node-2.crt")).getSubjectAlternativeNames())
            .containsExactlyInAnyOrder(List.of(6, "urn:chukei:node:node-2"),
                List.of(2, "node-2.local"), List.of(2, "localhost"), List.of(7, "10.0.0.2"), List.of(7, "127.0.0.1"));
    }

    @Test
    void issuesOperatorViewerAndUpstreamCertificates() throws Exception
    {
        assertThat(pki("issue-operator", "--data", data.toString(), "sato", "tanaka")).isZero();
        assertThat(pki("issue-viewer", "--data", data.toString(), "suzuki")).isZero();
        assertThat(pki("issue-upstream", "--data", data.toString(), "--name", "cms-a", "--dns", "cms-a.local")).isZero();

        assertThat(out.toString()).contains("created  operator sato", "created  operator tanaka",
            "created  viewer suzuki", "created  upstream cms-a");
        assertThat(certificate(data.resolve("pki/operators/tanaka.crt")).getSubjectAlternativeNames())
            .containsExactly(List.of(6, "urn:chukei:operator:tanaka"));
        assertThat(certificate(data.resolve("pki/viewers/suzuki.crt")).getSubjectAlternativeNames())
            .containsExactly(List.of(6, "urn:chukei:viewer:suzuki"));
        assertThat(certificate(data.resolve("pki/upstreams/cms-a.crt")).getSubjectAlternativeNames())
            .containsExactlyInAnyOrder(List.of(6, "urn:chukei:card-management:cms-a"), List.of(2, "cms-a.local"));
    }

    @Test
    void badOperatorNameIsAUsageErrorAndNothingIsWritten()
    {
        final int exitCode = pki("issue-operator", "--data", data.toString(), "sato", "../root");

        assertThat(exitCode).isEqualTo(USAGE);
        assertThat(err.toString()).contains("name: ../root (expected: 1-64 letters");
        assertThat(data.resolve("pki")).doesNotExist();
    }

    @Test
    void badAddressIsAUsageError()
    {
        final int exitCode = pki("issue-node", "--data", data.toString(), "--name", "node-2", "--ip", "10.0.0");

        assertThat(exitCode).isEqualTo(USAGE);
        assertThat(err.toString()).contains("ipAddress: 10.0.0 (expected: an IPv4 or IPv6 literal)");
    }

    @Test
    void missingNameOrSubcommandIsAUsageError()
    {
        assertThat(pki("issue-node", "--data", data.toString())).isEqualTo(USAGE);
        assertThat(pki()).isEqualTo(USAGE);
        assertThat(err.toString()).contains("--name", "Missing subcommand");
    }

    @Test
    void unusablePkiDirectoryIsReportedInOneLine() throws Exception
    {
        Files.writeString(data.resolve("pki"), "a file where the directory should be");

        final int exitCode = pki("init", "--data", data.toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).startsWith("chukei pki: ").doesNotContain("\tat ");
    }

    private int pki(final String... args)
    {
        return new CommandLine(new PkiCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }

    private static X509Certificate certificate(final Path file) throws Exception
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
