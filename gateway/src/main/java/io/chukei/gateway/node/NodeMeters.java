package io.chukei.gateway.node;

import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.pki.CertificateFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** Gauges about the node's surroundings: the data directory's disk and the certificates it serves with. */
final class NodeMeters
{
    private NodeMeters()
    {
    }

    /**
     * {@code disk_free_bytes} and {@code disk_total_bytes} of the file system holding the data directory (the
     * journal): a full disk stops new acceptances, so operators alert well before.
     */
    static void bindDataDirectory(final RelayMetrics metrics, final Path dataDir)
    {
        new DiskSpaceMetrics(dataDir.toFile()).bindTo(metrics.registry());
    }

    /**
     * {@code chukei_tls_certificate_expiry_seconds{certificate="node"|"ca"}}: seconds until notAfter (negative
     * once expired). Read from the files at each scrape, so a certificate replaced on disk is what is shown.
     */
    static void bindCertificates(final RelayMetrics metrics, final CertificateFiles files)
    {
        certificate(metrics, "node", files.certificate());
        certificate(metrics, "ca", files.caCertificate());
    }

    private static void certificate(final RelayMetrics metrics, final String which, final Path file)
    {
        Gauge.builder("chukei.tls.certificate.expiry", () -> secondsUntilNotAfter(file))
            .description("Seconds until the certificate's notAfter (NaN when the file cannot be read)")
            .baseUnit("seconds")
            .tag("certificate", which)
            .register(metrics.registry());
    }

    static double secondsUntilNotAfter(final Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final X509Certificate certificate =
                (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
            return (certificate.getNotAfter().getTime() - System.currentTimeMillis()) / 1000.0;
        }
        catch (final IOException | GeneralSecurityException | ClassCastException ex)
        {
            return Double.NaN;
        }
    }
}
