package io.chukei.gateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Byte searches over whole files, streamed (journal cycle files are tens of MB, mostly sparse). */
public final class FileBytes
{
    private static final int CHUNK = 1 << 20;

    private FileBytes()
    {
    }

    /** Every regular file under {@code root} that contains {@code needle} anywhere. */
    public static List<Path> filesContaining(final Path root, final byte[] needle) throws IOException
    {
        final List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                if (contains(file, needle))
                {
                    found.add(file);
                }
            }
        }
        return found;
    }

    public static boolean contains(final Path file, final byte[] needle) throws IOException
    {
        final byte[] buffer = new byte[CHUNK + needle.length];
        int kept = 0;
        try (InputStream in = Files.newInputStream(file))
        {
            int read;
            while ((read = in.readNBytes(buffer, kept, CHUNK)) > 0)
            {
                final int length = kept + read;
                if (indexOf(buffer, length, needle) >= 0)
                {
                    return true;
                }
                // Keep the tail, so a needle across two chunks is found too.
                kept = Math.min(needle.length - 1, length);
                System.arraycopy(buffer, length - kept, buffer, 0, kept);
            }
        }
        return false;
    }

    private static int indexOf(final byte[] haystack, final int length, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
