package io.chukei.gateway.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.regex.Pattern;

/**
 * The dev PKI's signature checks that passed, remembered by a digest of the files they were made on, so a restart
 * does not make them again: that a key file is its certificate's key (a signature made and verified), and that an
 * issued certificate is this CA's (its signature verified). The first ECDSA operation of a JVM costs 0.2-0.4 s on
 * two cores (the JDK's curve code loading and its tables built, interpreted), most of the dev PKI's share of a start
 * (bench/README.md, "Restart time"). A digest covers the exact bytes of every file a check read, so a changed,
 * swapped or replaced file is checked again. Kept in {@code checked-pairs} beside them (0600, the last
 * {@value #KEPT}); whoever can write that file can also replace the keys themselves, so it weakens nothing. Losing
 * it, or failing to write it (a read-only directory), only costs the checks again. Used under the PKI's lock.
 */
final class CheckedPairs
{
    static final String FILE = "checked-pairs";
    static final int KEPT = 64;
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private final Path file;
    private final LinkedHashSet<String> digests;

    private CheckedPairs(final Path file, final LinkedHashSet<String> digests)
    {
        this.file = file;
        this.digests = digests;
    }

    /** The checks remembered in {@code directory}; none when the file is missing or unreadable. Malformed lines are ignored. */
    static CheckedPairs load(final Path directory)
    {
        final Path file = directory.resolve(FILE);
        final LinkedHashSet<String> digests = new LinkedHashSet<>();
        try
        {
            for (final String line : Files.readAllLines(file, StandardCharsets.US_ASCII))
            {
                if (DIGEST.matcher(line).matches())
                {
                    digests.add(line);
                }
            }
        }
        catch (final NoSuchFileException ex)
        {
            // Nothing checked yet.
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // A cache: without it every check is made again.
            digests.clear();
        }
        return new CheckedPairs(file, digests);
    }

    /** The digest of a check of {@code kind} over these files' exact contents, in this order. */
    static String digest(final String kind, final Path... files)
    {
        final MessageDigest sha256;
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
        }
        sha256.update(kind.getBytes(StandardCharsets.US_ASCII));
        for (final Path file : files)
        {
            final byte[] content;
            try
            {
                content = Files.readAllBytes(file);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(file + ": cannot read", ex);
            }
            // Lengths first, so no two different sets of files share the bytes hashed.
            sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(0, content.length));
            sha256.update(content);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    boolean contains(final String digest)
    {
        return digests.contains(digest);
    }

    /** Remembers a check that passed; the oldest go beyond {@value #KEPT}. A failure to write is not an error. */
    void add(final String digest)
    {
        if (!digests.add(digest))
        {
            return;
        }
        final Iterator<String> oldest = digests.iterator();
        while (digests.size() > KEPT)
        {
            oldest.next();
            oldest.remove();
        }
        try
        {
            PemFiles.writeAtomically(file, String.join("\n", digests) + "\n");
        }
        catch (final UncheckedIOException | IllegalStateException ex)
        {
            // Checked again at the next start.
        }
    }
}
