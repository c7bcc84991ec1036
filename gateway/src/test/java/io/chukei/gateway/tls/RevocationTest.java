package io.chukei.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.RevokedCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RevocationTest
{
    private static final Duration GRACE = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private DevPki pki;
    private CertificateFiles revokedConnector;
    private CertificateFiles goodConnector;

    @BeforeEach
    void issue()
    {
        pki = DevPki.openOrCreate(dir.resolve("pki"));
        revokedConnector = pki.issueConnector("131016");
        goodConnector = pki.issueConnector("422011");
    }

    @Test
    void aCertificateListedInTheCrlIsRefusedAndOthersPass() throws Exception
    {
        final Path crl = pki.revoke(revokedConnector.certificate(), RevokedCertificate.Reason.KEY_COMPROMISE);
        final Revocation revocation = load(crl);

        final PeerRefusedException refusal = revocation.check(chainOf(revokedConnector));
        assertThat(refusal).isNotNull();
        assertThat(refusal.reason()).isEqualTo(PeerRefusal.REVOKED);
        assertThat(refusal.getMessage()).contains("connector-131016").contains("KEY_COMPROMISE");
        assertThat(revocation.check(chainOf(goodConnector))).isNull();
    }

    @Test
    void aPolicyWithRevocationRefusesARevokedPeerBeforeLookingAtItsRole() throws Exception
    {
        final Revocation revocation = load(pki.revoke(revokedConnector.certificate(), RevokedCertificate.Reason.SUPERSEDED));
        final PeerPolicy policy = PeerPolicy.connectorListener().checkRevocation(revocation);

        assertThat(policy.check(chainOf(revokedConnector)).reason()).isEqualTo(PeerRefusal.REVOKED);
        assertThat(policy.check(chainOf(goodConnector))).isNull();
        assertThat(policy.checkRevocation(null).check(chainOf(revokedConnector))).isNull();
    }

    @Test
    void aChangedFileIsReloadedAndListenersAreTold() throws Exception
    {
        final Revocation revocation = load(pki.writeCrl(Duration.ofDays(7)));
        final int[] told = {0};
        revocation.onReload(() -> told[0]++);
        assertThat(revocation.check(chainOf(revokedConnector))).isNull();

        pki.revoke(revokedConnector.certificate(), RevokedCertificate.Reason.UNSPECIFIED);
        touchLater(pki.crlFile());

        assertThat(revocation.reloadIfChanged()).isTrue();
        assertThat(told[0]).isEqualTo(1);
        assertThat(revocation.isRevoked(certificate(revokedConnector))).isTrue();
        assertThat(revocation.reloadIfChanged()).as("unchanged files are not read again").isFalse();
    }

    @Test
    void aCrlFromAnotherCaIsRefusedAtLoadNamingTheIssuer()
    {
        final DevPki other = DevPki.openOrCreate(dir.resolve("other"));
        final Path foreign = other.writeCrl(Duration.ofDays(7));

        assertThatThrownBy(() -> load(foreign))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(foreign.toString())
            .hasMessageContaining("not by a trusted CA");
    }

    @Test
    void aCrlWithABadSignatureIsRefusedAtReloadAndThePreviousListStays() throws Exception
    {
        final Path crl = pki.revoke(revokedConnector.certificate(), RevokedCertificate.Reason.UNSPECIFIED);
        final Revocation revocation = load(crl);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        revocation.bindTo(registry);

        // Same issuer, the last byte of the signature changed: an empty list would "unrevoke" 131016.
        final byte[] der = readCrl(Files.readAllBytes(sameCaWithoutRevocations().writeCrl(Duration.ofDays(7)))).getEncoded();
        der[der.length - 1] ^= 0x01;
        Files.write(crl, der);
        touchLater(crl);

        assertThat(revocation.reloadIfChanged()).isFalse();
        assertThat(revocation.check(chainOf(revokedConnector)).reason()).isEqualTo(PeerRefusal.REVOKED);
        assertThat(registry.get("chukei.tls.crl.reload.failing").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("chukei.tls.crl.reloads").tag("result", "failed").functionCounter().count()).isEqualTo(1.0);
        assertThatThrownBy(() -> load(crl)).hasMessageContaining("bad signature");
    }

    @Test
    void aMissingFileStopsTheStartButAfterwardsKeepsThePreviousList() throws Exception
    {
        assertThatThrownBy(() -> load(dir.resolve("absent.crl")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("absent.crl: no such file or directory");

        final Path crl = pki.revoke(revokedConnector.certificate(), RevokedCertificate.Reason.UNSPECIFIED);
        final Revocation revocation = load(crl);
        Files.delete(crl);

        assertThat(revocation.reloadIfChanged()).isFalse();
        assertThat(revocation.isRevoked(certificate(revokedConnector))).isTrue();
    }

    @Test
    void aStaleListFailsClosedOnlyPastTheGrace() throws Exception
    {
        final Revocation revocation = load(pki.writeCrl(Duration.ofDays(1)));
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        revocation.bindTo(registry);

        clock.advance(Duration.ofDays(1).plus(GRACE).minusSeconds(5));
        assertThat(revocation.check(chainOf(goodConnector))).isNull();
        assertThat(registry.get("chukei.tls.crl.stale").gauge().value()).isEqualTo(0.0);

        clock.advance(Duration.ofSeconds(10));
        assertThat(revocation.check(chainOf(goodConnector)).reason()).isEqualTo(PeerRefusal.CRL_STALE);
        assertThat(registry.get("chukei.tls.crl.stale").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("chukei.tls.crl.next.update").gauge().value()).isNegative();
    }

    @Test
    void aDirectoryContributesItsCrlFilesOnly() throws Exception
    {
        final Path crls = Files.createDirectories(dir.resolve("crls"));
        Files.copy(pki.revoke(revokedConnector.certificate(), RevokedCertificate.Reason.UNSPECIFIED),
            crls.resolve("dev.crl"));
        Files.copy(pki.caCertificate(), crls.resolve("ca.crt"));
        Files.writeString(crls.resolve("notes.txt"), "not a list");

        final Revocation revocation = load(crls);

        assertThat(revocation.isRevoked(certificate(revokedConnector))).isTrue();
        assertThat(revocation.isRevoked(certificate(goodConnector))).isFalse();
    }

    @Test
    void aFileThatIsNoCrlIsRefusedSayingSo() throws Exception
    {
        final Path garbage = Files.writeString(dir.resolve("garbage.crl"), "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");

        assertThatThrownBy(() -> load(garbage)).hasMessageContaining("garbage.crl").hasMessageContaining("not a CRL");
        assertThatThrownBy(() -> load(Files.createDirectories(dir.resolve("empty"))))
            .hasMessageContaining("no CRL file");
    }

    /** The same CA in another directory, with nothing revoked. */
    private DevPki sameCaWithoutRevocations() throws Exception
    {
        final Path copy = Files.createDirectories(dir.resolve("same-ca"));
        Files.copy(pki.caCertificate(), copy.resolve(DevPki.CA_CERTIFICATE_FILE));
        Files.copy(pki.directory().resolve(DevPki.CA_KEY_FILE), copy.resolve(DevPki.CA_KEY_FILE));
        return DevPki.openOrCreate(copy);
    }

    private Revocation load(final Path location)
    {
        return Revocation.load(location, pki.caCertificate(), GRACE, clock);
    }

    /** Some file systems keep mtime in seconds: a rewrite within the same second must still look changed. */
    private static void touchLater(final Path file) throws Exception
    {
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(2)));
    }

    private static X509Certificate[] chainOf(final CertificateFiles files) throws Exception
    {
        return new X509Certificate[] {certificate(files)};
    }

    private static X509Certificate certificate(final CertificateFiles files) throws Exception
    {
        try (var in = Files.newInputStream(files.certificate()))
        {
            return (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static X509CRL readCrl(final byte[] pem) throws Exception
    {
        return (X509CRL)CertificateFactory.getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(pem));
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock
    {
        private volatile Instant now;

        MutableClock(final Instant now)
        {
            this.now = now;
        }

        void advance(final Duration by)
        {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(final ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
