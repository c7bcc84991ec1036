package io.chukei.gateway.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DevPkiTest
{
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int URI = 6;
    private static final int DNS = 2;
    private static final int IP = 7;

    @TempDir
    Path dir;

    @Test
    void createsSelfSignedCaOnFirstOpen() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        assertThat(pki.caCreated()).isTrue();
        assertThat(pki.caCertificate()).isEqualTo(dir.resolve("ca.crt"));
        final X509Certificate ca = PkiFiles.certificate(dir.resolve("ca.crt"));
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).as("CA:true").isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()).as("keyCertSign and cRLSign only")
            .containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3650)));
        assertThat(fieldSize(dir.resolve("ca.key"))).as("P-256").isEqualTo(256);
    }

    @Test
    void writesKeysAsPkcs8AndEveryFileOwnerOnly() throws Exception
    {
        final CertificateFiles files = DevPki.openOrCreate(dir).issueConnector("131016");
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX file system");

        for (final Path key : List.of(dir.resolve("ca.key"), files.privateKey()))
        {
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.certificate())))
            .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void reusesTheCaOnSecondOpen() throws Exception
    {
        final byte[] first = DevPki.openOrCreate(dir).caX509Certificate().getEncoded();
        final byte[] keyBytes = Files.readAllBytes(dir.resolve("ca.key"));

        final DevPki reopened = DevPki.openOrCreate(dir);

        assertThat(reopened.caCreated()).isFalse();
        assertThat(reopened.caX509Certificate().getEncoded()).isEqualTo(first);
        assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(keyBytes);
    }

    @Test
    void issuesConnectorCertificateBoundToItsMunicipalityAndChainedToTheCa() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        final CertificateFiles files = pki.issueConnector("131016");

        assertThat(files).isEqualTo(new CertificateFiles(
            dir.resolve("connectors/131016.crt"), dir.resolve("connectors/131016.key"), dir.resolve("ca.crt")));
        final X509Certificate connector = PkiFiles.certificate(files.certificate());
        assertThat(connector.getSubjectAlternativeNames())
            .containsExactly(List.of(URI, "urn:chukei:municipality:131016"));
        assertThat(connector.getSubjectX500Principal().getName()).startsWith("CN=connector-131016");
        assertThat(connector.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(connector.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThatCode(() -> PkiFiles.validateChain(connector, PkiFiles.certificate(files.caCertificate())))
            .doesNotThrowAnyException();
        assertThat(fieldSize(files.privateKey())).as("P-256").isEqualTo(256);
    }

    @Test
    void connectorCertificateDoesNotChainToAnotherCa(@TempDir final Path otherDir)
    {
        final X509Certificate connector = PkiFiles.certificate(DevPki.openOrCreate(dir).issueConnector("131016").certificate());
        final X509Certificate otherCa = DevPki.openOrCreate(otherDir).caX509Certificate();

        assertThatThrownBy(() -> PkiFiles.validateChain(connector, otherCa))
            .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void reusesConnectorCertificateWhileValid() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);
        assertThat(pki.ensureConnector("131016").outcome()).isEqualTo(IssuedCertificate.Outcome.CREATED);
        final byte[] issued = Files.readAllBytes(dir.resolve("connectors/131016.crt"));

        final IssuedCertificate again = DevPki.openOrCreate(dir).ensureConnector("131016");

        assertThat(again.outcome()).isEqualTo(IssuedCertificate.Outcome.REUSED);
        assertThat(Files.readAllBytes(again.files().certificate())).isEqualTo(issued);
    }

    @Test
    void replacesConnectorCertificateThatIsAboutToExpire()
    {
        final Instant issuedAt = Instant.now();
        DevPki.openOrCreate(dir, DevPki.FORMAT_ONLY, fixedAt(issuedAt)).issueConnector("131016");
        final X509Certificate first = PkiFiles.certificate(dir.resolve("connectors/131016.crt"));
        final Instant almostExpired = first.getNotAfter().toInstant().minus(Duration.ofHours(12));

        final IssuedCertificate renewed = DevPki.openOrCreate(dir, DevPki.FORMAT_ONLY, fixedAt(almostExpired))
            .ensureConnector("131016");

        assertThat(renewed.outcome()).isEqualTo(IssuedCertificate.Outcome.REPLACED);
        assertThat(PkiFiles.certificate(renewed.files().certificate()).getNotAfter()).isAfter(first.getNotAfter());
    }

    @Test
    void replacesConnectorCertificateIssuedByAnotherCa(@TempDir final Path otherDir) throws Exception
    {
        final CertificateFiles foreign = DevPki.openOrCreate(otherDir).issueConnector("131016");
        Files.createDirectories(dir.resolve("connectors"));
        Files.copy(foreign.certificate(), dir.resolve("connectors/131016.crt"));
        Files.copy(foreign.privateKey(), dir.resolve("connectors/131016.key"));
        final DevPki pki = DevPki.openOrCreate(dir);

        final IssuedCertificate issued = pki.ensureConnector("131016");

        assertThat(issued.outcome()).isEqualTo(IssuedCertificate.Outcome.REPLACED);
        assertThatCode(() -> PkiFiles.validateChain(
            PkiFiles.certificate(issued.files().certificate()), pki.caX509Certificate())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = { "13101x", "13101", "1310160", "", " 131016", "１３１０１６" })
    void rejectsMunicipalityCodeThatIsNotSixAsciiDigits(final String code)
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        assertThatThrownBy(() -> pki.issueConnector(code))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("municipalityCode: " + code + " (expected: 6 digits)");
        assertThat(dir.resolve("connectors")).doesNotExist();
    }

    @Test
    void rejectsMunicipalityCodeThatFailsTheCheckDigitRule()
    {
        final DevPki pki = DevPki.openOrCreate(dir, code -> !code.equals("131017"));

        assertThatThrownBy(() -> pki.issueConnector("131017"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("municipalityCode: 131017 (expected: a valid check digit)");
        assertThat(pki.issueConnector("131016").certificate()).exists();
    }

    @Test
    void issuesNodeCertificateForLoopbackByDefault() throws Exception
    {
        final CertificateFiles files = DevPki.openOrCreate(dir).issueNode("node-1", List.of(), List.of());

        assertThat(files.certificate()).isEqualTo(dir.resolve("nodes/node-1.crt"));
        final X509Certificate node = PkiFiles.certificate(files.certificate());
        assertThat(node.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
            List.of(URI, "urn:chukei:node:node-1"), List.of(DNS, "localhost"), List.of(IP, "127.0.0.1"));
        assertThat(node.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    }

    @Test
    void replacesNodeCertificateWhenItsNamesChange() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);
        pki.issueNode("node-2", List.of("node-2.local"), List.of("10.0.0.2"));

        final IssuedCertificate same = pki.ensureNode("node-2", List.of("NODE-2.local"), List.of("10.0.0.2"));
        final IssuedCertificate changed = pki.ensureNode("node-2", List.of("node-2.local"), List.of("10.0.0.2", "::1"));

        assertThat(same.outcome()).isEqualTo(IssuedCertificate.Outcome.REUSED);
        assertThat(changed.outcome()).isEqualTo(IssuedCertificate.Outcome.REPLACED);
        assertThat(PkiFiles.certificate(changed.files().certificate()).getSubjectAlternativeNames())
            .containsExactlyInAnyOrder(List.of(URI, "urn:chukei:node:node-2"),
                List.of(DNS, "node-2.local"), List.of(IP, "10.0.0.2"), List.of(IP, "0:0:0:0:0:0:0:1"));
        assertThat(changed.reason()).startsWith("its names differ");
    }

    @Test
    void issuesUpstreamCertificateBesideTheNodes() throws Exception
    {
        final CertificateFiles files = DevPki.openOrCreate(dir).issueUpstream("cardsim");

        assertThat(files.certificate()).isEqualTo(dir.resolve("upstreams/cardsim.crt"));
        final X509Certificate upstream = PkiFiles.certificate(files.certificate());
        assertThat(upstream.getExtendedKeyUsage()).as("a server only").containsExactly(SERVER_AUTH);
        assertThat(upstream.getSubjectAlternativeNames()).contains(List.of(URI, "urn:chukei:card-management:cardsim"));
    }

    @Test
    void issuesOperatorAndViewerClientCertificates() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        final X509Certificate operator = PkiFiles.certificate(pki.issueOperator("sato").certificate());
        final X509Certificate viewer = PkiFiles.certificate(pki.issueViewer("suzuki").certificate());

        assertThat(operator.getSubjectAlternativeNames()).containsExactly(List.of(URI, "urn:chukei:operator:sato"));
        assertThat(operator.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(viewer.getSubjectAlternativeNames()).containsExactly(List.of(URI, "urn:chukei:viewer:suzuki"));
        assertThat(viewer.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(dir.resolve("operators/sato.crt")).exists();
        assertThat(dir.resolve("viewers/suzuki.crt")).exists();
    }

    @Test
    void reissuesANodeCertificateFromBeforeRolesAndSaysWhy() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);
        final CertificateFiles files = pki.issueNode("node-1", List.of(), List.of());
        // What an older version wrote: the same names, no role URI.
        TestIssuer.overwrite(dir, files, TestIssuer.ecKeyPair(), List.of(), List.of("localhost"), List.of("127.0.0.1"));

        final IssuedCertificate again = DevPki.openOrCreate(dir).ensureNode("node-1", List.of(), List.of());

        assertThat(again.outcome()).isEqualTo(IssuedCertificate.Outcome.REPLACED);
        assertThat(again.reason()).contains("its names differ", "urn:chukei:node:node-1");
        assertThat(PkiFiles.certificate(files.certificate()).getSubjectAlternativeNames())
            .contains(List.of(URI, "urn:chukei:node:node-1"));
    }

    @Test
    void replacesACertificateWhoseKeyIsBelowTheMinimum() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);
        final CertificateFiles files = pki.issueConnector("131016");
        TestIssuer.overwrite(dir, files, TestIssuer.rsaKeyPair(1024), List.of("urn:chukei:municipality:131016"),
            List.of(), List.of());

        final IssuedCertificate again = pki.ensureConnector("131016");

        assertThat(again.outcome()).isEqualTo(IssuedCertificate.Outcome.REPLACED);
        assertThat(again.reason()).isEqualTo("its key was RSA 1024 bits (expected: at least 2048)");
        assertThat(KeyStrength.weakness(PkiFiles.certificate(files.certificate()).getPublicKey())).isNull();
    }

    @Test
    void refusesToOpenACaWithAWeakKey() throws Exception
    {
        TestIssuer.writeSelfSignedRsaCa(dir, 1024);

        assertThatThrownBy(() -> DevPki.openOrCreate(dir))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage(dir.resolve("ca.crt") + ": the CA's key is RSA 1024 bits (expected: at least 2048); "
                + "remove the PKI directory to create a new one");
    }

    @Test
    void rejectsNodeNameThatIsNotAPlainFileName()
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        assertThatThrownBy(() -> pki.issueNode("../node-1", List.of(), List.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("name: ../node-1 (expected: 1-64 letters, digits");
    }

    @Test
    void rejectsAddressesThatAreNotIpLiterals()
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        assertThatThrownBy(() -> pki.issueNode("node-1", List.of(), List.of("127.0.0")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ipAddress: 127.0.0 (expected: an IPv4 or IPv6 literal)");
        assertThatThrownBy(() -> pki.issueNode("node-1", List.of("bad_name"), List.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("dnsName: bad_name (expected: ");
    }

    @Test
    void refusesToOpenCaCertificateWithoutItsKey() throws Exception
    {
        DevPki.openOrCreate(dir);
        Files.delete(dir.resolve("ca.key"));

        assertThatThrownBy(() -> DevPki.openOrCreate(dir))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("ca.key is missing (expected: both ca.crt and ca.key, or neither");
    }

    @Test
    void aCheckedCaKeyIsRememberedAndAKeySwappedInAfterwardsIsStillRefused(@TempDir final Path otherDir) throws Exception
    {
        DevPki.openOrCreate(dir);
        DevPki.openOrCreate(dir);
        assertThat(Files.readAllLines(dir.resolve(CheckedPairs.FILE))).as("the CA key's check, remembered").hasSize(1);
        DevPki.openOrCreate(otherDir);
        Files.copy(otherDir.resolve("ca.key"), dir.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> DevPki.openOrCreate(dir))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("ca.key: does not match ca.crt");
    }

    @Test
    void aReusedCertificatesChecksAreRememberedAndItsKeySwappedInAfterwardsGetsItReplaced() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);
        final CertificateFiles first = pki.ensureConnector("131016").files();
        assertThat(DevPki.openOrCreate(dir).ensureConnector("131016").outcome()).isEqualTo(IssuedCertificate.Outcome.REUSED);
        final List<String> remembered = Files.readAllLines(dir.resolve(CheckedPairs.FILE));
        assertThat(remembered).as("the CA key's check and the certificate's").hasSize(2);
        assertThat(DevPki.openOrCreate(dir).ensureConnector("131016").outcome()).as("reused, nothing checked anew")
            .isEqualTo(IssuedCertificate.Outcome.REUSED);
        assertThat(Files.readAllLines(dir.resolve(CheckedPairs.FILE))).isEqualTo(remembered);
        final CertificateFiles other = pki.ensureConnector("011002").files();
        Files.copy(other.privateKey(), first.privateKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        final IssuedCertificate afterSwap = DevPki.openOrCreate(dir).ensureConnector("131016");

        assertThat(afterSwap.outcome()).isEqualTo(IssuedCertificate.Outcome.REPLACED);
        assertThat(afterSwap.reason()).isEqualTo("its key file did not match it");
    }

    /** What the file is for: a check it remembers is skipped (so whoever may write the PKI directory is trusted, as ever). */
    @Test
    void aRememberedCheckIsNotMadeAgain(@TempDir final Path otherDir) throws Exception
    {
        DevPki.openOrCreate(dir);
        DevPki.openOrCreate(otherDir);
        Files.copy(otherDir.resolve("ca.key"), dir.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve(CheckedPairs.FILE),
            CheckedPairs.digest("ca-key", dir.resolve("ca.crt"), dir.resolve("ca.key")) + "\n");

        assertThatCode(() -> DevPki.openOrCreate(dir)).doesNotThrowAnyException();
    }

    @Test
    void aDamagedOrForeignRememberedFileOnlyMeansTheChecksAreMadeAgain() throws Exception
    {
        DevPki.openOrCreate(dir);
        Files.writeString(dir.resolve(CheckedPairs.FILE), "not a digest\n" + "0".repeat(64) + "\n");

        assertThatCode(() -> DevPki.openOrCreate(dir)).doesNotThrowAnyException();
        assertThat(Files.readAllLines(dir.resolve(CheckedPairs.FILE))).as("the zeros kept, the CA's check added")
            .hasSize(2).contains("0".repeat(64));
    }

    private static int fieldSize(final Path ecKey)
    {
        return ((ECPrivateKey)PkiFiles.ecPrivateKey(ecKey)).getParams().getCurve().getField().getFieldSize();
    }

    private static Clock fixedAt(final Instant instant)
    {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
