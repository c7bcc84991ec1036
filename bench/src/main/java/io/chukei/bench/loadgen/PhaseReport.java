package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;

/**
 * The outcome of one recorded phase (a constant run has one, a stepped run one per step).
 * Latencies are in microseconds from each request's intended start.
 *
 * @param scheduled requests due within the phase
 * @param accepted latency to the relay's Accepted
 * @param answer latency to a terminal Result (rejections are counted, not timed)
 * @param cpu CPU used by the load generator and the target while the phase's requests were sent
 */
record PhaseReport(
    String name,
    long targetRatePerSecond,
    double durationSeconds,
    long scheduled,
    OutcomeCounts outcomes,
    Histogram accepted,
    Histogram answer,
    PhaseCpu cpu)
{
    /** Requests due per second: the load offered, whether or not the generator kept up. */
    double offeredRatePerSecond()
    {
        return durationSeconds == 0 ? 0 : scheduled / durationSeconds;
    }

    /** Results per second over the phase. */
    double achievedRatePerSecond()
    {
        return durationSeconds == 0 ? 0 : outcomes.results() / durationSeconds;
    }
}
