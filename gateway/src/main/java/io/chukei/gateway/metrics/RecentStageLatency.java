package io.chukei.gateway.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link LatencyCurves} from one HdrHistogram {@link Recorder} per stage: recording is wait-free and
 * allocates nothing; {@link #sample()} (one thread, every interval) swaps each recorder's interval
 * histogram out and keeps a bounded ring of points per stage. Values are recorded in microseconds
 * from 1 µs to 60 s (longer ones count as 60 s) with 2 significant digits: about 30 KB per stage.
 */
public final class RecentStageLatency implements LatencyCurves
{
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    /** One stage's recorder; {@link #recordNanos} is the hot path. */
    public static final class Stage
    {
        private final String name;
        private final Recorder recorder = new Recorder(1, HIGHEST_MICROS, 2);
        private final Deque<Point> points = new ArrayDeque<>();
        private Histogram recycled;

        private Stage(final String name)
        {
            this.name = name;
        }

        public void recordNanos(final long nanos)
        {
            recorder.recordValue(Math.max(1, Math.min(HIGHEST_MICROS, nanos / 1_000)));
        }
    }

    private final Clock clock;
    private final Duration interval;
    private final int retained;
    private final Map<String, Stage> stages = new LinkedHashMap<>();

    /**
     * @param names    the stages, in display order
     * @param interval how often {@link #sample()} is called (one point each)
     * @param retained points kept per stage (interval x retained is the longest window)
     */
    public RecentStageLatency(final List<String> names, final Duration interval, final int retained, final Clock clock)
    {
        if (retained <= 0)
        {
            throw new IllegalArgumentException("retained: " + retained + " (expected: > 0)");
        }
        this.clock = clock;
        this.interval = interval;
        this.retained = retained;
        for (final String name : names)
        {
            stages.put(name, new Stage(name));
        }
    }

    /** The recorder of stage {@code name}; look it up once, at start-up. */
    public Stage stage(final String name)
    {
        final Stage stage = stages.get(name);
        if (stage == null)
        {
            throw new IllegalArgumentException("stage: '" + name + "' (expected one of " + stages.keySet() + ")");
        }
        return stage;
    }

    /** Ends the current interval of every stage: one point each, the oldest dropped beyond {@code retained}. */
    public synchronized void sample()
    {
        final long now = clock.millis();
        for (final Stage stage : stages.values())
        {
            final Histogram h = stage.recorder.getIntervalHistogram(stage.recycled);
            stage.recycled = h;
            stage.points.addLast(new Point(now, h.getTotalCount(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
                h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1_000.0));
            if (stage.points.size() > retained)
            {
                stage.points.removeFirst();
            }
        }
    }

    @Override
    public synchronized Map<String, List<Point>> recent(final Duration window)
    {
        final long from = clock.millis() - window.toMillis();
        final Map<String, List<Point>> out = new LinkedHashMap<>();
        for (final Stage stage : stages.values())
        {
            final List<Point> points = new ArrayList<>(stage.points.size());
            for (final Point point : stage.points)
            {
                if (point.epochMs() >= from)
                {
                    points.add(point);
                }
            }
            out.put(stage.name, points);
        }
        return out;
    }

    @Override
    public Duration interval()
    {
        return interval;
    }

    private static double ms(final Histogram h, final double percentile)
    {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1_000.0;
    }
}
