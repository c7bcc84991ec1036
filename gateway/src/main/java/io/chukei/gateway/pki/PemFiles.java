package io.chukei.gateway.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes the PEM files of the dev PKI. Keys are PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * the one form both Netty providers read. Files are written to a temporary name and moved into
 * place, so a reader never sees half a file; every file is created owner-only (0600) from the start.
 */
final class PemFiles
{
    private static final FileAttribute<?>[] OWNER_ONLY =
        { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) };

    private PemFiles()
    {
    }

    static X509Certificate readCertificate(final Path file)
    {
        final Object pem = readPemObject(file);
        if (!(pem instanceof X509CertificateHolder))
        {
            throw new IllegalStateException(file + ": " + describe(pem) + " (expected: a PEM CERTIFICATE)");
        }
        try
        {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder)pem);
        }
        catch (final CertificateException ex)
        {
            throw new IllegalStateException(file + ": unreadable certificate (expected: X.509)", ex);
        }
    }

    static PrivateKey readPrivateKey(final Path file)
    {
        final Object pem = readPemObject(file);
        if (!(pem instanceof PrivateKeyInfo))
        {
            throw new IllegalStateException(file + ": " + describe(pem) + " (expected: a PKCS#8 PEM PRIVATE KEY)");
        }
        try
        {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo)pem);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(file + ": unreadable private key (expected: PKCS#8)", ex);
        }
    }

    static void writeCertificate(final Path file, final X509Certificate certificate)
    {
        writeAtomically(file, toPem(certificate));
    }

    static void writeCrl(final Path file, final java.security.cert.X509CRL crl)
    {
        writeAtomically(file, toPem(crl));
    }

    static void writePrivateKey(final Path file, final PrivateKey key)
    {
        try
        {
            writeAtomically(file, toPem(new JcaPKCS8Generator(key, null)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Object readPemObject(final Path file)
    {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
            PEMParser parser = new PEMParser(reader))
        {
            return parser.readObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(file + ": cannot read PEM", ex);
        }
    }

    private static String describe(final Object pem)
    {
        return pem == null ? "no PEM object" : pem.getClass().getSimpleName();
    }

    private static String toPem(final Object object)
    {
        final StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text))
        {
            writer.writeObject(object);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return text.toString();
    }

    static void writeAtomically(final Path file, final String content)
    {
        final Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try
        {
            io.chukei.gateway.files.PrivateFiles.createDirectories(directory);
            temporary = createTemporary(directory, file.getFileName().toString());
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IllegalStateException(file + ": cannot replace (expected: a regular file or nothing)", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(file + ": cannot write", ex);
        }
        finally
        {
            deleteQuietly(temporary);
        }
    }

    private static Path createTemporary(final Path directory, final String name)
        throws IOException
    {
        // Certificates too are owner-only: the PKI lives in the node's data directory, where every file is 0600
        // (a certificate is public, but a world-readable file there would be the one exception to explain).
        try
        {
            return Files.createTempFile(directory, "." + name, ".tmp", OWNER_ONLY);
        }
        catch (final UnsupportedOperationException ex)
        {
            // Not a POSIX file system (e.g. FAT, Windows): nothing finer to ask for.
            return Files.createTempFile(directory, "." + name, ".tmp");
        }
    }

    private static void deleteQuietly(final Path temporary)
    {
        if (temporary != null)
        {
            try
            {
                Files.deleteIfExists(temporary);
            }
            catch (final IOException ignored)
            {
                // The write already failed; that failure is the one worth reporting.
            }
        }
    }
}
