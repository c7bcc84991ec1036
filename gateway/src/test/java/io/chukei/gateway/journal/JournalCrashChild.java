package io.chukei.gateway.journal;

import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;

/** Child process for {@link JournalCrashTest}: appends until killed, printing each index once append returned. */
public final class JournalCrashChild
{
    private JournalCrashChild()
    {
    }

    public static void main(final String[] args)
    {
        final Journal journal = Journal.open(JournalConfig.builder().directory(Path.of(args[0])).build());
        final UnsafeBuffer submit = JournalFixtures.submitBytes(1, 300);
        for (long lo = 1; ; lo++)
        {
            final long index = journal.appendAccepted(3, lo, 1, 1L, JournalFixtures.MUNICIPALITY, 0, (byte)1, 0L, lo,
                submit, 0, submit.capacity());
            System.out.println("INDEX " + index);
            System.out.flush();
        }
    }
}
