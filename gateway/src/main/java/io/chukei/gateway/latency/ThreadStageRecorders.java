package io.chukei.gateway.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One recording thread's recorders, one per {@link Stage}. Only that thread records into them, so a record is a
 * plain histogram increment between two uncontended atomic adds: no cache line is shared with another event
 * loop (one {@code Recorder} shared by all event loops cost several contended atomics per value, bench/README.md
 * "Stage recording: where the CPU went"). The draining thread takes their intervals under
 * {@link StageHistograms}' lock.
 */
final class ThreadStageRecorders
{
    private final SingleWriterRecorder[] recorders = new SingleWriterRecorder[Stage.count()];
    /** The histograms the recorders handed out last, given back to them at the next take (no allocation). */
    private final Histogram[] spares = new Histogram[Stage.count()];

    ThreadStageRecorders()
    {
        for (int i = 0; i < recorders.length; i++)
        {
            recorders[i] = new SingleWriterRecorder(1, StageHistograms.HIGHEST_NANOS, StageHistograms.SIGNIFICANT_DIGITS);
        }
    }

    /** On the owning thread only. */
    void record(final int stage, final long nanos)
    {
        recorders[stage].recordValue(nanos);
    }

    /** What {@code stage} recorded since the previous take; valid until the next take. On the draining thread only. */
    Histogram take(final int stage)
    {
        final Histogram interval = recorders[stage].getIntervalHistogram(spares[stage]);
        spares[stage] = interval;
        return interval;
    }
}
