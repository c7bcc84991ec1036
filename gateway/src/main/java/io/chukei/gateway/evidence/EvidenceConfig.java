package io.chukei.gateway.evidence;

/**
 * {@code evidence.*}: continuous flight recording, GC log, the in-memory log ring and evidence bundles
 * (gateway/README.md, "Evidence").
 *
 * @param enabled             bundles are written on triggers
 * @param minIntervalSeconds  automatic triggers closer than this to the previous bundle are counted, not written
 * @param retainBundles       bundles kept under DATA/evidence (the oldest go first)
 * @param maxMegabytes        bound of DATA/evidence on disk (the oldest bundles go first)
 * @param windowSeconds       how far back a bundle's journal entries, histograms and log lines reach
 * @param logLines            log lines kept in memory for the next bundle
 * @param gcPauseMs           a GC pause at least this long is a trigger
 * @param jfr                 the continuous JFR recording runs
 * @param jfrMaxAgeSeconds    the recording keeps at most this much history
 * @param jfrMaxMegabytes     and at most this much on disk
 * @param gcLog               a rotated GC log is written under DATA/logs
 * @param gcLogFiles          rotated GC log files kept
 * @param gcLogFileMegabytes  size of one GC log file
 * @param jfrSettings         the recording's settings: {@code chukei} (the shipped low-overhead profile),
 *                            the JDK's {@code default} or {@code profile}, or the path of a .jfc file
 */
public record EvidenceConfig(
    boolean enabled,
    int minIntervalSeconds,
    int retainBundles,
    int maxMegabytes,
    int windowSeconds,
    int logLines,
    int gcPauseMs,
    boolean jfr,
    int jfrMaxAgeSeconds,
    int jfrMaxMegabytes,
    boolean gcLog,
    int gcLogFiles,
    int gcLogFileMegabytes,
    String jfrSettings)
{
    /** The shipped settings file (io/chukei/gateway/evidence/chukei.jfc): the default. */
    public static final String CHUKEI_JFR_SETTINGS = "chukei";

    /** The defaults of gateway/README.md. */
    public static EvidenceConfig defaults()
    {
        return new EvidenceConfig(true, 300, 20, 1000, 120, 5000, 1000, true, 900, 200, true, 5, 20, CHUKEI_JFR_SETTINGS);
    }

    public long maxBytes()
    {
        return maxMegabytes * 1024L * 1024L;
    }
}
