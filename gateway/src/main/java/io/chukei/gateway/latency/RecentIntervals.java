package io.chukei.gateway.latency;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * The last intervals of every stage, as their percentiles and their compressed histograms (a few hundred bytes
 * each, so fifteen minutes of 5 s intervals take well under a megabyte), in a ring.
 */
final class RecentIntervals
{
    private record Entry(long startEpochMs, long endEpochMs, Percentiles[] percentiles, byte[][] compressed)
    {
    }

    private final Entry[] ring;
    private final long intervalMs;
    private ByteBuffer scratch = ByteBuffer.allocate(1024);
    private int next;
    private int size;

    RecentIntervals(final int capacity, final long intervalMs)
    {
        this.ring = new Entry[capacity];
        this.intervalMs = intervalMs;
    }

    long intervalMs()
    {
        return intervalMs;
    }

    synchronized void add(final long startEpochMs, final long endEpochMs, final Histogram[] intervals)
    {
        final Percentiles[] percentiles = new Percentiles[intervals.length];
        final byte[][] compressed = new byte[intervals.length][];
        for (int i = 0; i < intervals.length; i++)
        {
            percentiles[i] = Percentiles.of(intervals[i]);
            compressed[i] = compress(intervals[i]);
        }
        ring[next] = new Entry(startEpochMs, endEpochMs, percentiles, compressed);
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    synchronized List<StageLatency> latest(final Duration window)
    {
        final int wanted = (int)Math.min(size, Math.max(1, (window.toMillis() + intervalMs - 1) / intervalMs));
        final int taken = Math.min(wanted, size);
        final List<StageLatency> stages = new ArrayList<>(Stage.count());
        for (int s = 0; s < Stage.count(); s++)
        {
            final List<IntervalPercentiles> points = new ArrayList<>(taken);
            Histogram sum = null;
            for (int k = taken; k >= 1; k--)
            {
                final Entry entry = ring[Math.floorMod(next - k, ring.length)];
                points.add(new IntervalPercentiles(entry.startEpochMs, entry.endEpochMs, entry.percentiles[s]));
                if (entry.percentiles[s].count() > 0)
                {
                    final Histogram interval = decompress(entry.compressed[s]);
                    if (sum == null)
                    {
                        sum = interval;
                    }
                    else
                    {
                        sum.add(interval);
                    }
                }
            }
            stages.add(new StageLatency(Stage.at(s), sum == null ? Percentiles.NONE : Percentiles.of(sum), List.copyOf(points)));
        }
        return stages;
    }

    private byte[] compress(final Histogram histogram)
    {
        final int needed = histogram.getNeededByteBufferCapacity();
        if (scratch.capacity() < needed)
        {
            scratch = ByteBuffer.allocate(needed);
        }
        scratch.clear();
        final int length = histogram.encodeIntoCompressedByteBuffer(scratch);
        final byte[] bytes = new byte[length];
        scratch.flip();
        scratch.get(bytes);
        return bytes;
    }

    private static Histogram decompress(final byte[] bytes)
    {
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        }
        catch (final DataFormatException ex)
        {
            throw new IllegalStateException("a histogram this process compressed does not decode", ex);
        }
    }
}
