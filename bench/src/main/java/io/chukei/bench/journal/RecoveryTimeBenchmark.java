package io.chukei.bench.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalKeys;
import io.chukei.gateway.journal.RecoveredState;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Restart time of a node with a large journal: journals N requests (ACCEPTED, FORWARDED, COMPLETED each;
 * 1 in K left pending, K = 100 unless {@code --pending-every K}), closes (which writes the final checkpoint), then
 * measures open + recover(). A second measurement removes the checkpoint to show the full-scan fallback.
 * <p>
 * {@code --sealed}: the entries are sealed as a node writes them (a key ring, AES-GCM; gateway/README.md,
 * "Personal data at rest"). {@code --keep DIR}: the journal is written to {@code DIR/journal} and its key ring to
 * {@code DIR/keys/journal.keys}, the layout of a node's data directory, and kept, so a node can be started on
 * it ({@code ops/chukei run --data DIR}); the full-scan measurement is then skipped (it would delete the checkpoint).
 * <p>
 * Run: {@code java -cp bench/target/chukei-bench.jar io.chukei.bench.journal.RecoveryTimeBenchmark [N] [--sealed]
 * [--pending-every K] [--keep DIR]} with the JVM flags of the design brief (section 5); N defaults to 10,000,000.
 */
public final class RecoveryTimeBenchmark
{
    /** The municipality of every entry (131016), as request keys scope ids. */
    private static final int SCOPE = 131016;
    private RecoveryTimeBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        long requests = 10_000_000L;
        boolean sealed = false;
        long pendingEvery = 100;
        Path keep = null;
        boolean readOnly = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--sealed" -> sealed = true;
                case "--pending-every" -> pendingEvery = Long.parseLong(args[++i]);
                case "--keep" -> keep = Path.of(args[++i]);
                case "--read-only" -> readOnly = true;
                default -> requests = Long.parseLong(args[i]);
            }
        }
        final Path root = keep != null ? keep : Files.createTempDirectory("chukei-recovery-bench");
        final Path directory = root.resolve("journal");
        final JournalConfig config = JournalConfig.builder().directory(directory)
            .keys(sealed ? JournalKeys.loadOrCreate(JournalKeys.defaultFile(root)) : null).build();
        final UnsafeBuffer submit = new UnsafeBuffer(new byte[1024]);
        final int submitLength = SampleSubmit.encode(submit, 1, 1);
        final UnsafeBuffer municipality = new UnsafeBuffer("131016".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        if (readOnly)
        {
            // An existing --keep journal: only the reads a restart does (recover, then the pending Submits).
            for (int run = 0; run < 3; run++)
            {
                measure("checkpoint + tail", config);
            }
            return;
        }
        try
        {
            final long writeStartNs = System.nanoTime();
            long pending = 0;
            long waits = 0;
            try (Journal journal = Journal.open(config))
            {
                journal.recover();
                for (long lo = 1; lo <= requests; lo++)
                {
                    final long id = lo;
                    waits += append(() -> journal.appendAccepted(7, id, 1, 1L, municipality, 0, (byte)1,
                        1_800_000_000_000L, id, submit, 0, submitLength));
                    waits += append(() -> journal.appendForwarded(SCOPE, 7, id, 1, 1, false));
                    if (lo % pendingEvery != 0)
                    {
                        waits += append(() -> journal.appendCompleted(SCOPE, 7, id, (byte)1, 0, false, empty, 0, 0, empty,
                            0, 0));
                    }
                    else
                    {
                        pending++;
                    }
                }
            }
            final long writeNs = System.nanoTime() - writeStartNs;
            System.out.printf("journaled %,d requests (%,d entries, %s, %,d pending) in %.1f s into %s (%,d waits for " +
                "the disk-space guard)%n", requests, requests * 3 - pending, sealed ? "sealed" : "clear", pending,
                writeNs / 1e9, directory, waits);

            measure("checkpoint + tail", config);
            if (keep == null)
            {
                Files.delete(directory.resolve("requests.checkpoint"));
                measure("full scan (no checkpoint)", config);
            }
        }
        finally
        {
            if (keep == null)
            {
                JournalAppendBenchmark.deleteRecursively(root);
            }
        }
    }

    /**
     * What a restart then reads: every pending request's Submit (ACCEPTED entry, opened when sealed), by a jump to
     * each through the queue's index, as the node does (one pass forward from the oldest was measured no faster:
     * bench/README.md, "Restart time").
     */
    private static void readPending(final Journal journal, final RecoveredState state)
    {
        final int count = state.pending().size();
        final long[] indexes = new long[count];
        for (int i = 0; i < count; i++)
        {
            indexes[i] = state.pending().get(i).acceptedIndex();
        }
        final io.chukei.gateway.journal.AcceptedView view = new io.chukei.gateway.journal.AcceptedView();
        long startNs = System.nanoTime();
        int read = 0;
        for (int i = 0; i < count; i++)
        {
            read += journal.readAccepted(indexes[i], view) ? 1 : 0;
        }
        System.out.printf("  pending Submits read by a jump each (readAccepted): %,d in %d ms%n", read,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
    }

    /**
     * Appends until the journal takes the entry: an unpaced writer outruns the disk-space guard's preallocation
     * (it refuses a burst of more than half its window between two ticks), and an entry lost there would leave the
     * journal with fewer pending requests than asked for. Returns the 1 ms waits it took.
     */
    private static long append(final java.util.function.LongSupplier append)
    {
        long waits = 0;
        while (append.getAsLong() == Journal.APPEND_FAILED)
        {
            waits++;
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return waits;
    }

    private static void measure(final String label, final JournalConfig config)
    {
        final long startNs = System.nanoTime();
        try (Journal journal = Journal.open(config))
        {
            final RecoveredState state = journal.recover();
            final long readyNs = System.nanoTime() - startNs;
            System.out.printf("%s: open + recover() = %d ms (recover alone %d ms; %,d known, %,d pending, %,d entries replayed)%n",
                label, TimeUnit.NANOSECONDS.toMillis(readyNs), TimeUnit.NANOSECONDS.toMillis(state.elapsedNs()),
                state.requests().size(), state.pending().size(), state.replayedEntries());
            readPending(journal, state);
        }
    }
}
