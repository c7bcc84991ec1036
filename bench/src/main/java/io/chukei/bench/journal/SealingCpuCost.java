package io.chukei.bench.journal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalKeys;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * CPU time (not wall time) per journal entry, clear vs sealed, in alternating rounds in one process: on a shared
 * machine at load 30+ the wall-clock JMH figures of {@link JournalAppendBenchmark} swing by ±200 %, while the
 * thread's own CPU time is what sealing adds to a request's cost.
 * <p>Run: {@code java <flags> -cp bench/target/chukei-bench.jar io.chukei.bench.journal.SealingCpuCost [ROUNDS] [PER_ROUND]}
 * (defaults 6 rounds of 30,000 entries per case, after one warm-up round). Prints CPU ns per ACCEPTED and per
 * COMPLETED, clear and sealed, per round, then the medians.
 */
public final class SealingCpuCost
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SealingCpuCost()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        final int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        final Path root = Files.createTempDirectory("chukei-sealing-cost");
        final UnsafeBuffer submit = new UnsafeBuffer(new byte[1024]);
        final int submitLength = SampleSubmit.encode(submit, 0x0123_4567_89AB_CDEFL, 1);
        final UnsafeBuffer municipality = new UnsafeBuffer("131016".getBytes(StandardCharsets.US_ASCII));
        final UnsafeBuffer detail = new UnsafeBuffer("card suspended by the municipality 131016".getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        final double[][] results = new double[4][rounds];
        try (Journal clear = Journal.open(JournalConfig.builder().directory(root.resolve("clear")).build());
             Journal sealed = Journal.open(JournalConfig.builder().directory(root.resolve("sealed"))
                 .keys(JournalKeys.loadOrCreate(root.resolve("journal.keys"))).build()))
        {
            final Journal[] journals = {clear, sealed, clear, sealed};
            long sequence = 0;
            for (int round = -1; round < rounds; round++)
            {
                for (int c = 0; c < 4; c++)
                {
                    final Journal journal = journals[c];
                    final long start = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < perRound; i++)
                    {
                        final long lo = ++sequence;
                        if (c < 2)
                        {
                            journal.appendAccepted(1, lo, 1, 1L, municipality, 0, (byte)1, 1_800_000_000_000L, lo, submit, 0,
                                submitLength);
                        }
                        else
                        {
                            journal.appendCompleted(131016, 1, lo, (byte)0, 0, false, detail, 0, detail.capacity(), payload, 0,
                                payload.capacity());
                        }
                    }
                    final double nsPerEntry = (THREADS.getCurrentThreadCpuTime() - start) / (double)perRound;
                    if (round >= 0)
                    {
                        results[c][round] = nsPerEntry;
                    }
                }
                if (round >= 0)
                {
                    System.out.printf("round %d: ACCEPTED clear %.0f sealed %.0f ns CPU; COMPLETED clear %.0f sealed %.0f ns CPU%n",
                        round + 1, results[0][round], results[1][round], results[2][round], results[3][round]);
                }
            }
        }
        finally
        {
            JournalAppendBenchmark.deleteRecursively(root);
        }
        System.out.printf("median: ACCEPTED clear %.0f sealed %.0f (+%.0f) ns CPU; COMPLETED clear %.0f sealed %.0f (+%.0f) ns CPU%n",
            median(results[0]), median(results[1]), median(results[1]) - median(results[0]),
            median(results[2]), median(results[3]), median(results[3]) - median(results[2]));
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
