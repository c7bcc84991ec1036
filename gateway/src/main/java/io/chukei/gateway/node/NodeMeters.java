package io.chukei.gateway.node;

import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.gateway.pki.CertificateFiles;
import io.micrometer.core.instrument.Gauge;
import io.chukei.gateway.relay.ConnectorSessions;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import io.chukei.gateway.tls.PeerChain;

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

    /**
     * {@code chukei_tls_certificate_expiry_seconds{certificate="connector"}}: the soonest notAfter among the
     * connectors connected now (NaN with none), so an expiring municipality certificate is seen before the
     * municipality cannot connect. Walks the sessions at scrape time only.
     */
    static void bindConnectorCertificates(final RelayMetrics metrics, final ConnectorSessions sessions)
    {
        Gauge.builder("chukei.tls.certificate.expiry", () -> soonestConnectorExpirySeconds(sessions))
            .description("Seconds until the certificate's notAfter (NaN when the file cannot be read)")
            .baseUnit("seconds")
            .tag("certificate", "connector")
            .register(metrics.registry());
    }

    private static double soonestConnectorExpirySeconds(final ConnectorSessions sessions)
    {
        final long[] soonest = {Long.MAX_VALUE};
        sessions.forEach(session ->
        {
            // Null while the handshake is not finished: nothing to say yet.
            final X509Certificate peer = PeerChain.leaf(session.channel());
            if (peer != null)
            {
                soonest[0] = Math.min(soonest[0], peer.getNotAfter().getTime());
            }
        });
        return soonest[0] == Long.MAX_VALUE ? Double.NaN : (soonest[0] - System.currentTimeMillis()) / 1000.0;
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
