package io.chukei.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CRLs read from one file or directory, each checked against the trusted CAs: signed by one of
 * them, with a nextUpdate. Immutable; {@link Revocation} swaps a whole new set in at each reload.
 * A directory contributes every regular {@code *.crl} file in it (PEM or DER), nothing else, so
 * certificates or temporary files beside them are not mistaken for lists.
 */
final class CrlSet
{
    static final String CRL_SUFFIX = ".crl";

    private final List<X509CRL> crls;
    private final Instant nextUpdate;
    private final int revokedCount;

    private CrlSet(final List<X509CRL> crls)
    {
        this.crls = List.copyOf(crls);
        Instant soonest = Instant.MAX;
        int count = 0;
        for (final X509CRL crl : crls)
        {
            final Instant next = crl.getNextUpdate().toInstant();
            soonest = next.isBefore(soonest) ? next : soonest;
            count += crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
        }
        this.nextUpdate = soonest;
        this.revokedCount = count;
    }

    /**
     * Reads and checks every CRL at {@code location}.
     *
     * @throws IllegalStateException naming the file and what is wrong with it: unreadable, not a CRL, not
     *     signed by any of {@code trusted}, without nextUpdate, or no CRL at all
     */
    static CrlSet load(final Path location, final Collection<X509Certificate> trusted)
    {
        final List<Path> files = filesAt(location);
        if (files.isEmpty())
        {
            throw new IllegalStateException(location + ": no CRL file (expected: a CRL file, or a directory with *"
                + CRL_SUFFIX + " files)");
        }
        final List<X509CRL> crls = new ArrayList<>();
        for (final Path file : files)
        {
            for (final X509CRL crl : read(file))
            {
                requireSignedByTrustedCa(file, crl, trusted);
                if (crl.getNextUpdate() == null)
                {
                    throw new IllegalStateException(file + ": CRL of " + crl.getIssuerX500Principal().getName()
                        + " has no nextUpdate (expected: one, so a list that is no longer refreshed is noticed)");
                }
                crls.add(crl);
            }
        }
        return new CrlSet(crls);
    }

    /** The files a reload reads: the file itself, or the directory's {@code *.crl} files in name order. */
    static List<Path> filesAt(final Path location)
    {
        if (!Files.isDirectory(location))
        {
            if (!Files.isRegularFile(location))
            {
                throw new IllegalStateException(location + ": no such file or directory (expected: a CRL file, or a "
                    + "directory with *" + CRL_SUFFIX + " files)");
            }
            return List.of(location);
        }
        try (Stream<Path> entries = Files.list(location))
        {
            return entries.filter(path -> path.getFileName().toString().endsWith(CRL_SUFFIX))
                .filter(path -> !path.getFileName().toString().startsWith("."))
                .filter(Files::isRegularFile)
                .sorted()
                .toList();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(location + ": cannot list (" + ex.getMessage() + ")", ex);
        }
    }

    private static List<X509CRL> read(final Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final Collection<? extends CRL> read = CertificateFactory.getInstance("X.509").generateCRLs(in);
            if (read.isEmpty())
            {
                throw new IllegalStateException(file + ": no CRL in it (expected: PEM 'X509 CRL' blocks or DER)");
            }
            final List<X509CRL> crls = new ArrayList<>(read.size());
            for (final CRL crl : read)
            {
                crls.add((X509CRL)crl);
            }
            return crls;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(file + ": cannot read (" + ex.getMessage() + ")", ex);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(file + ": not a CRL (expected: PEM 'X509 CRL' blocks or DER): "
                + ex.getMessage(), ex);
        }
    }

    private static void requireSignedByTrustedCa(final Path file, final X509CRL crl,
        final Collection<X509Certificate> trusted)
    {
        for (final X509Certificate ca : trusted)
        {
            if (!ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal()))
            {
                continue;
            }
            try
            {
                crl.verify(ca.getPublicKey());
                return;
            }
            catch (final GeneralSecurityException ex)
            {
                throw new IllegalStateException(file + ": CRL of " + crl.getIssuerX500Principal().getName()
                    + " has a bad signature (expected: signed by that CA's key): " + ex.getMessage(), ex);
            }
        }
        throw new IllegalStateException(file + ": CRL issued by " + crl.getIssuerX500Principal().getName()
            + ", not by a trusted CA (expected: one of " + trusted.stream()
            .map(ca -> ca.getSubjectX500Principal().getName()).toList() + ")");
    }

    /** The entry revoking this certificate, or null. */
    X509CRLEntry revocationOf(final X509Certificate certificate)
    {
        for (final X509CRL crl : crls)
        {
            if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal()))
            {
                final X509CRLEntry entry = crl.getRevokedCertificate(certificate.getSerialNumber());
                if (entry != null)
                {
                    return entry;
                }
            }
        }
        return null;
    }

    boolean isRevoked(final X509Certificate certificate)
    {
        return revocationOf(certificate) != null;
    }

    /** The soonest nextUpdate among the lists: past it (plus the grace) the set is stale. */
    Instant nextUpdate()
    {
        return nextUpdate;
    }

    int revokedCount()
    {
        return revokedCount;
    }

    int crlCount()
    {
        return crls.size();
    }

    static String serial(final BigInteger serial)
    {
        return serial.toString(16);
    }
}
