package io.chukei.gateway.journal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Small builders the journal tests share. */
final class JournalFixtures
{
    static final DirectBuffer MUNICIPALITY = ascii("131016");
    /** {@link #MUNICIPALITY} as the scope of request keys. */
    static final int SCOPE = 131016;
    static final byte INTERACTIVE = 1;
    static final DirectBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private JournalFixtures()
    {
    }

    static JournalConfig.Builder config(final Path directory)
    {
        return JournalConfig.builder().directory(directory).nodeId(7);
    }

    static DirectBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    static DirectBuffer utf8(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes standing in for a Submit's SBE header and body: distinct per id, so read-backs can be compared. */
    static UnsafeBuffer submitBytes(final long seed, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return new UnsafeBuffer(bytes);
    }

    static long accept(final Journal journal, final long hi, final long lo)
    {
        final UnsafeBuffer submit = submitBytes(lo, 300);
        return journal.appendAccepted(hi, lo, 7, 42L, MUNICIPALITY, 0, INTERACTIVE, 1_800_000_000_000L + lo, hi ^ lo,
            submit, 0, submit.capacity());
    }

    static long complete(final Journal journal, final long hi, final long lo)
    {
        return journal.appendCompleted(SCOPE, hi, lo, (byte)1, 0, false, EMPTY, 0, 0, EMPTY, 0, 0);
    }
}
