package io.chukei.gateway.latency;

/**
 * How per-stage latency is recorded and kept (keys {@code metrics.stages*}, gateway/README.md, "Per-stage latency").
 *
 * @param enabled       record at all; off exists to measure what recording costs (bench/compare)
 * @param intervalMs    one interval histogram per stage written this often
 * @param rotateMinutes a new log file this often (files are aligned to multiples of it, UTC)
 * @param retainHours   log files last written longer ago are deleted
 * @param maxMegabytes  the log files together never take more; the oldest go first
 * @param recentMinutes how much of the past {@link StageHistograms#recent} can answer from memory
 */
public record StageLogConfig(
    boolean enabled, int intervalMs, int rotateMinutes, int retainHours, int maxMegabytes, int recentMinutes)
{
    public StageLogConfig
    {
        requirePositive("metrics.stages.intervalMs", intervalMs);
        requirePositive("metrics.stages.rotateMinutes", rotateMinutes);
        requirePositive("metrics.stages.retainHours", retainHours);
        requirePositive("metrics.stages.maxMegabytes", maxMegabytes);
        requirePositive("metrics.stages.recentMinutes", recentMinutes);
        if ((long)rotateMinutes * 60_000 < intervalMs)
        {
            throw new IllegalArgumentException("metrics.stages.rotateMinutes: " + rotateMinutes +
                " (expected: at least one interval, metrics.stages.intervalMs " + intervalMs + ")");
        }
    }

    /** On, every 5 s, hourly files kept 24 hours and at most 256 MiB, 15 minutes in memory. */
    public static StageLogConfig defaults()
    {
        return new StageLogConfig(true, 5000, 60, 24, 256, 15);
    }

    public long maxBytes()
    {
        return (long)maxMegabytes << 20;
    }

    private static void requirePositive(final String key, final int value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(key + ": " + value + " (expected: > 0)");
        }
    }
}
