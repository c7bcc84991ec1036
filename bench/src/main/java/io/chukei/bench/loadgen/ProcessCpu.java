package io.chukei.bench.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used so far by this process and by the processes under test, read from Linux's
 * {@code /proc/PID/stat}. CPU seconds per request are what a saturation figure is made of when
 * the load generator cannot outrun the target: on a 2-core machine the generator needs about as
 * much CPU as a minimal relay, so the baselines never saturate, but their cost per request
 * can still be compared side by side.
 */
final class ProcessCpu
{
    /** Linux reports utime and stime in USER_HZ ticks, fixed at 100 per second by the kernel ABI. */
    static final long NANOS_PER_TICK = 10_000_000L;

    private final List<Long> targetPids;
    private final com.sun.management.OperatingSystemMXBean self;

    private ProcessCpu(final List<Long> targetPids)
    {
        this.targetPids = List.copyOf(targetPids);
        this.self = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }

    /**
     * Watches the given processes besides this one.
     *
     * @throws IllegalArgumentException when a process cannot be read now (gone, or not Linux)
     */
    static ProcessCpu watching(final List<Long> targetPids)
    {
        final ProcessCpu cpu = new ProcessCpu(targetPids);
        for (final long pid : targetPids)
        {
            if (cpu.ticksOf(pid) < 0)
            {
                throw new IllegalArgumentException("--target-pid: " + pid + " (expected: a running process whose " +
                    statFile(pid) + " can be read)");
            }
        }
        return cpu;
    }

    /** Now: wall clock, this process's CPU and the targets' CPU (-1 when none is watched or one has gone). */
    CpuSample sample()
    {
        long target = targetPids.isEmpty() ? -1 : 0;
        for (final long pid : targetPids)
        {
            final long ticks = ticksOf(pid);
            if (ticks < 0)
            {
                target = -1;
                break;
            }
            target += ticks * NANOS_PER_TICK;
        }
        final long own = self == null ? -1 : self.getProcessCpuTime();
        return new CpuSample(System.nanoTime(), own, target);
    }

    private long ticksOf(final long pid)
    {
        try
        {
            return parseTicks(Files.readString(statFile(pid), StandardCharsets.US_ASCII));
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private static Path statFile(final long pid)
    {
        return Path.of("/proc", Long.toString(pid), "stat");
    }

    /**
     * utime + stime of a {@code /proc/PID/stat} line. The command name (field 2) is in parentheses
     * and may itself hold spaces and parentheses, so fields are counted from the last ')'.
     */
    static long parseTicks(final String stat)
    {
        final int end = stat.lastIndexOf(')');
        if (end < 0)
        {
            throw new IllegalArgumentException("stat: no ')' after the command name (expected: /proc/PID/stat format)");
        }
        final String[] fields = stat.substring(end + 1).trim().split(" +");
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
        if (fields.length < 13)
        {
            throw new IllegalArgumentException("stat: " + fields.length + " fields after the name (expected: >= 13)");
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** One reading; CPU values in nanoseconds, -1 when unknown. */
    record CpuSample(long wallNs, long ownCpuNs, long targetCpuNs)
    {
        /** What was used between {@code earlier} and this reading. */
        PhaseCpu since(final CpuSample earlier)
        {
            final double wall = (wallNs - earlier.wallNs) / 1e9;
            final double own = ownCpuNs < 0 || earlier.ownCpuNs < 0 ? Double.NaN : (ownCpuNs - earlier.ownCpuNs) / 1e9;
            final double target = targetCpuNs < 0 || earlier.targetCpuNs < 0 ? Double.NaN : (targetCpuNs - earlier.targetCpuNs) / 1e9;
            return new PhaseCpu(wall, own, target);
        }
    }
}
