package io.chukei.bench.host;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Three fixed workloads that measure the machine a benchmark runs on, not the code under test: SHA-256 over a buffer
 * that stays in the core's caches (the core's own speed), a dependent walk through a random cycle of indices much
 * larger than the last-level cache (the memory's latency, which a neighbour on the same host slows first), and the
 * first touch of fresh memory (the kernel's page faults and zeroing, and on a virtual machine the host's own fault
 * behind each guest page it has not backed yet). bench/compare runs it on the target's CPUs before and after each
 * target, so a round in which the machine was slower says so in its table instead of passing for a slower target.
 *
 * <p>{@code java -cp chukei-bench.jar io.chukei.bench.host.HostSpeed [--millis 1000]} prints one line:
 * {@code host-speed sha256MiBPerSecond=N chaseNanosPerLoad=N touchMicrosPerMiB=N}.
 */
public final class HostSpeed
{
    /** Hashed at once: 64 KiB stays in L2 on any core this runs on, so this measures the core, not the memory. */
    static final int HASH_BLOCK = 64 * 1024;
    /** 64 MiB of int indices: larger than the last-level cache of the hosts this project is measured on. */
    static final int CHASE_ENTRIES = 16 * 1024 * 1024;
    private static final int CHASE_BATCH = 100_000;
    /** Fresh memory touched once: 64 MiB outside the heap, so every page is new to this process. */
    static final int TOUCH_BYTES = 64 << 20;

    private HostSpeed()
    {
    }

    @Command(name = "host-speed", mixinStandardHelpOptions = true,
        description = {"Measures the CPU this runs on: core speed, memory latency, first touch of fresh memory.",
            "Exit codes: 0 measured, 2 bad command line."})
    static final class Cli implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--millis", paramLabel = "N", defaultValue = "1000",
            description = "Milliseconds each timed workload runs, 10..60000 (default: ${DEFAULT-VALUE}).")
        long millis;

        @Override
        public Integer call() throws NoSuchAlgorithmException
        {
            if (millis < 10 || millis > 60_000)
            {
                throw new ParameterException(spec.commandLine(), "--millis: " + millis + " (expected: 10..60000)");
            }
            spec.commandLine().getOut().println(measure(millis, CHASE_ENTRIES, TOUCH_BYTES).line());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** What one measurement found. */
    public record Speed(double sha256MiBPerSecond, double chaseNanosPerLoad, double touchMicrosPerMiB)
    {
        public String line()
        {
            return String.format(Locale.ROOT, "host-speed sha256MiBPerSecond=%.1f chaseNanosPerLoad=%.2f touchMicrosPerMiB=%.1f",
                sha256MiBPerSecond, chaseNanosPerLoad, touchMicrosPerMiB);
        }
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new Cli()).execute(args));
    }

    /**
     * Each timed workload runs {@code millis} after a warm-up of half as long (the JIT compiles it meanwhile); the touch
     * is one pass over {@code touchBytes} of fresh memory.
     */
    public static Speed measure(final long millis, final int chaseEntries, final int touchBytes) throws NoSuchAlgorithmException
    {
        final double touchMicrosPerMiB = touch(touchBytes);
        final byte[] block = new byte[HASH_BLOCK];
        new SplittableRandom(1).nextBytes(block);
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        hash(sha, block, millis / 2);
        final double shaMiBPerSecond = hash(sha, block, millis);
        final int[] cycle = randomCycle(chaseEntries, new SplittableRandom(2));
        chase(cycle, millis / 2);
        return new Speed(shaMiBPerSecond, chase(cycle, millis), touchMicrosPerMiB);
    }

    /**
     * Microseconds per MiB to get fresh memory from the kernel and write it once: a direct buffer is zeroed by the JVM
     * as it is allocated, so every one of its pages faults in, new to this process (and to the host when it had not
     * backed that guest memory). Measured first, while the JVM's own heap is all it has touched; the buffer is left to
     * the collector (64 MiB, within the probe's default direct-memory limit).
     */
    private static double touch(final int bytes)
    {
        final long start = System.nanoTime();
        final java.nio.ByteBuffer fresh = java.nio.ByteBuffer.allocateDirect(bytes);
        final long elapsed = System.nanoTime() - start;
        Sink.index = fresh.get(bytes - 1);
        return elapsed / 1e3 / (bytes / (double)(1 << 20));
    }

    private static double hash(final MessageDigest sha, final byte[] block, final long millis)
    {
        final long start = System.nanoTime();
        final long end = start + millis * 1_000_000L;
        long blocks = 0;
        long now;
        do
        {
            sha.update(block);
            blocks++;
            now = System.nanoTime();
        }
        while (now < end);
        Sink.bytes = sha.digest();
        return blocks * (double)HASH_BLOCK / (1 << 20) / ((now - start) / 1e9);
    }

    private static double chase(final int[] cycle, final long millis)
    {
        final long start = System.nanoTime();
        final long end = start + millis * 1_000_000L;
        long loads = 0;
        int at = 0;
        long now;
        do
        {
            for (int i = 0; i < CHASE_BATCH; i++)
            {
                at = cycle[at];
            }
            loads += CHASE_BATCH;
            now = System.nanoTime();
        }
        while (now < end);
        Sink.index = at;
        return (now - start) / (double)loads;
    }

    /**
     * One cycle through every index in random order (Sattolo's algorithm): each load depends on the one before and the
     * hardware prefetcher cannot guess the next, so the walk waits for memory at every step.
     */
    static int[] randomCycle(final int entries, final SplittableRandom random)
    {
        final int[] next = new int[entries];
        for (int i = 0; i < entries; i++)
        {
            next[i] = i;
        }
        for (int i = entries - 1; i > 0; i--)
        {
            final int j = random.nextInt(i);
            final int swap = next[i];
            next[i] = next[j];
            next[j] = swap;
        }
        return next;
    }

    /** Results kept where the JIT cannot prove them unused. */
    private static final class Sink
    {
        static volatile byte[] bytes;
        static volatile int index;
    }
}
