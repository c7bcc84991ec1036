package io.chukei.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Certificate revocation from CRL files ({@code tls.crl}): the lists in force, checked by every
 * {@link PeerPolicy} given this object during each handshake (both TLS providers call the same
 * trust manager), and a watcher that reloads them when the files change.
 *
 * <p>The watcher is one daemon thread, never an event loop: it compares the files' size, mtime and
 * inode every {@code pollMs} and reloads on any change. A reload that fails (unreadable file, bad
 * signature, no CRL left) keeps the lists in force and says why; the failure shows in
 * {@code chukei_tls_crl_reload_failing}. Past the soonest nextUpdate plus the grace, every handshake
 * checked here is refused ({@link PeerRefusal#CRL_STALE}): an attacker who blocks the CRL's
 * distribution cannot make a revoked certificate good again by waiting.
 */
public final class Revocation implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Revocation.class);

    private final Path location;
    private final List<X509Certificate> trusted;
    private final Duration grace;
    private final Clock clock;
    private final List<Runnable> reloadListeners = new CopyOnWriteArrayList<>();
    private final LongAdder loaded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile CrlSet current;
    private volatile Instant loadedAt;
    private volatile boolean failing;
    private String fingerprint;
    private ScheduledExecutorService watcher;

    private Revocation(final Path location, final List<X509Certificate> trusted, final Duration grace, final Clock clock)
    {
        this.location = location;
        this.trusted = trusted;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * Loads the CRLs at {@code location} (a file, or a directory of {@code *.crl} files), each of which must be
     * signed by a CA in {@code caFile}; does not watch yet ({@link #watch}).
     *
     * @throws IllegalStateException naming the file and the fault, when nothing usable can be loaded
     */
    public static Revocation load(final Path location, final Path caFile, final Duration grace, final Clock clock)
    {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(clock, "clock");
        final Revocation revocation = new Revocation(location, readCertificates(caFile), grace, clock);
        revocation.fingerprint = revocation.fingerprintNow();
        revocation.swapIn(CrlSet.load(location, revocation.trusted));
        return revocation;
    }

    /** Starts polling the files every {@code pollMs} on a thread of its own; {@link #close} stops it. */
    public synchronized Revocation watch(final long pollMs)
    {
        if (watcher == null)
        {
            watcher = Executors.newSingleThreadScheduledExecutor(runnable ->
            {
                final Thread thread = new Thread(runnable, "chukei-crl-watch");
                thread.setDaemon(true);
                return thread;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, pollMs, pollMs, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Runs after every successful reload, on the watcher's thread (e.g. to close sessions now revoked). */
    public void onReload(final Runnable listener)
    {
        reloadListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Reloads when the files changed since the last look; true when new lists were taken. Failures are
     * logged once per change of the files, never thrown: the thread must go on watching.
     */
    synchronized boolean reloadIfChanged()
    {
        final String now = fingerprintNow();
        if (now.equals(fingerprint))
        {
            return false;
        }
        fingerprint = now;
        final CrlSet next;
        try
        {
            next = CrlSet.load(location, trusted);
        }
        catch (final RuntimeException ex)
        {
            failed.increment();
            failing = true;
            LOG.error("tls.crl: reload refused, keeping the lists loaded at {} (nextUpdate {}): {}", loadedAt,
                current.nextUpdate(), ex.getMessage());
            return false;
        }
        swapIn(next);
        LOG.info("tls.crl: reloaded {}: {} CRL(s), {} revoked certificate(s), nextUpdate {}", location,
            next.crlCount(), next.revokedCount(), next.nextUpdate());
        for (final Runnable listener : reloadListeners)
        {
            try
            {
                listener.run();
            }
            catch (final RuntimeException ex)
            {
                LOG.error("tls.crl: a reload listener failed", ex);
            }
        }
        return true;
    }

    private void swapIn(final CrlSet next)
    {
        current = next;
        loadedAt = clock.instant();
        failing = false;
        loaded.increment();
    }

    /**
     * Null when no certificate of the chain is revoked and the lists are fresh; else the refusal. The
     * chain's last certificate may be the trust anchor itself, which no CRL of ours lists.
     */
    PeerRefusedException check(final X509Certificate[] chain)
    {
        final CrlSet lists = current;
        if (isStale(lists))
        {
            return new PeerRefusedException(PeerRefusal.CRL_STALE, "the CRLs in " + location + " are past nextUpdate "
                + lists.nextUpdate() + " plus the grace of " + grace + " (expected: a fresh CRL; every handshake is "
                + "refused until one is there)", null);
        }
        for (final X509Certificate certificate : chain)
        {
            final X509CRLEntry entry = lists.revocationOf(certificate);
            if (entry != null)
            {
                return new PeerRefusedException(PeerRefusal.REVOKED, "certificate serial "
                    + CrlSet.serial(certificate.getSerialNumber()) + " (" + certificate.getSubjectX500Principal().getName()
                    + ") revoked on " + entry.getRevocationDate().toInstant()
                    + (entry.getRevocationReason() == null ? "" : ", " + entry.getRevocationReason()),
                    // The cause names the alert both providers send: certificate_revoked, not internal_error.
                    new java.security.cert.CertPathValidatorException("certificate revoked", null, null, -1,
                        java.security.cert.CertPathValidatorException.BasicReason.REVOKED));
            }
        }
        return null;
    }

    /** Whether the lists in force revoke this certificate (ignoring staleness): for sessions already open. */
    public boolean isRevoked(final X509Certificate certificate)
    {
        return current.isRevoked(certificate);
    }

    /** Past the soonest nextUpdate plus the grace: every handshake checked here is refused. */
    public boolean isStale()
    {
        return isStale(current);
    }

    private boolean isStale(final CrlSet lists)
    {
        return clock.instant().isAfter(lists.nextUpdate().plus(grace));
    }

    public Path location()
    {
        return location;
    }

    /**
     * {@code chukei_tls_crl_stale} (1 while handshakes are refused for a stale list),
     * {@code chukei_tls_crl_next_update_seconds} (until the soonest nextUpdate; negative once past),
     * {@code chukei_tls_crl_revoked} (entries in force), {@code chukei_tls_crl_reload_failing} (1 while the
     * files on disk were refused) and {@code chukei_tls_crl_reloads_total{result}}.
     */
    public void bindTo(final MeterRegistry registry)
    {
        Gauge.builder("chukei.tls.crl.stale", this, revocation -> revocation.isStale() ? 1 : 0)
            .description("1 while the CRLs are past nextUpdate plus the grace: every handshake is refused")
            .register(registry);
        Gauge.builder("chukei.tls.crl.next.update", this,
                revocation -> Duration.between(revocation.clock.instant(), revocation.current.nextUpdate()).toMillis() / 1000.0)
            .description("Seconds until the soonest nextUpdate of the CRLs in force (negative once past)")
            .baseUnit("seconds")
            .register(registry);
        Gauge.builder("chukei.tls.crl.revoked", this, revocation -> revocation.current.revokedCount())
            .description("Revoked certificates listed by the CRLs in force")
            .register(registry);
        Gauge.builder("chukei.tls.crl.reload.failing", this, revocation -> revocation.failing ? 1 : 0)
            .description("1 while the CRL files on disk were refused at their last change (the previous lists stay)")
            .register(registry);
        FunctionCounter.builder("chukei.tls.crl.reloads", loaded, LongAdder::sum)
            .description("CRL loads by result").tag("result", "loaded").register(registry);
        FunctionCounter.builder("chukei.tls.crl.reloads", failed, LongAdder::sum)
            .description("CRL loads by result").tag("result", "failed").register(registry);
    }

    @Override
    public synchronized void close()
    {
        if (watcher != null)
        {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    /** Size, mtime and inode of every file read: a change of any, or of the set of files, means reload. */
    private String fingerprintNow()
    {
        final StringBuilder text = new StringBuilder();
        try
        {
            for (final Path file : CrlSet.filesAt(location))
            {
                final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                text.append(file.getFileName()).append(' ').append(attributes.size()).append(' ')
                    .append(attributes.lastModifiedTime().toInstant()).append(' ').append(attributes.fileKey()).append('\n');
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            text.append("unreadable: ").append(ex.getMessage());
        }
        return text.toString();
    }

    private static List<X509Certificate> readCertificates(final Path caFile)
    {
        try (InputStream in = Files.newInputStream(caFile))
        {
            final List<X509Certificate> certificates = new ArrayList<>();
            for (final Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in))
            {
                certificates.add((X509Certificate)certificate);
            }
            if (certificates.isEmpty())
            {
                throw new IllegalStateException(caFile + ": no CA certificate (expected: PEM certificates)");
            }
            return List.copyOf(certificates);
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            throw new IllegalStateException(caFile + ": cannot read the CA certificates the CRLs must be signed by", ex);
        }
    }
}
