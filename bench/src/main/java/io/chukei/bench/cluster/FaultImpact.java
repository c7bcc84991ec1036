package io.chukei.bench.cluster;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one kind of fault cost, over all its repetitions: detection times, and for the requests
 * caught in it ({@link FaultEvent#exposes}: unresolved when it took effect, or sent before it
 * was detected) the extra latency over the quiet median and how long after detection they
 * completed (0 for those that completed before).
 */
public final class FaultImpact
{
    private final Fault fault;
    private final Histogram extraLatencyMs = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
    private final Histogram afterDetectionMs = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
    private final List<Long> detectionMs = new ArrayList<>();
    private int caught;
    private int unanswered;

    public FaultImpact(final Fault fault)
    {
        this.fault = fault;
    }

    /** Adds one repetition: {@code quietMedianNanos} is the median latency just before the fault. */
    public void add(final FaultEvent event, final List<SentRequest> sent, final long quietMedianNanos)
    {
        if (event.detectedMs() >= 0)
        {
            detectionMs.add(event.detectedMs());
        }
        for (final SentRequest request : sent)
        {
            if (!event.exposes(request))
            {
                continue;
            }
            caught++;
            if (!request.answered())
            {
                unanswered++;
                continue;
            }
            extraLatencyMs.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMillis(request.latencyNanos() - quietMedianNanos)));
            afterDetectionMs.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMillis(request.answeredNanos() -
                event.detectedNanos())));
        }
    }

    public Fault fault()
    {
        return fault;
    }

    public int caught()
    {
        return caught;
    }

    public int unanswered()
    {
        return unanswered;
    }

    public List<Long> detectionMs()
    {
        return List.copyOf(detectionMs);
    }

    public long maxDetectionMs()
    {
        return detectionMs.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    public Histogram extraLatencyMs()
    {
        return extraLatencyMs;
    }

    public Histogram afterDetectionMs()
    {
        return afterDetectionMs;
    }
}
