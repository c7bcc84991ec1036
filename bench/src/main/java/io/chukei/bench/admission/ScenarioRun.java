package io.chukei.bench.admission;

import io.chukei.bench.loadgen.MachineInfo;
import io.chukei.bench.loadgen.OperationMix;
import io.chukei.bench.loadgen.OutcomeCounts;
import io.chukei.bench.loadgen.Outcomes;
import io.chukei.bench.loadgen.RequestFactory;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * Runs one scenario open loop on the calling thread: a warmup that is sent but not recorded,
 * then the measured part, then a drain that waits for the last answers so the next scenario
 * starts on a quiet node. Latency is taken from each request's intended start (no coordinated
 * omission); only Results are timed, a fast rejection is not a served request.
 */
final class ScenarioRun
{
    /** Like the load generator: up to 10 minutes, 3 significant digits, microseconds. */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final long PARK_THRESHOLD_NS = 20_000;
    private static final long DRAIN_POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Scenario scenario;
    private final List<ConnectorClient> clientsByRank;
    private final RequestFactory requests;
    private final SplittableRandom random;
    private final PrintStream progress;
    private final AdmissionGauges gauges;
    private final Map<TrafficGroup, GroupRecorders> measured = new EnumMap<>(TrafficGroup.class);
    private final Outcomes warmup = new Outcomes();

    /** @param gauges the node's admission gauges to sample while measuring, or null when the node's admin port is unknown */
    ScenarioRun(final Scenario scenario, final List<ConnectorClient> clientsByRank, final RequestFactory requests, final long seed,
        final PrintStream progress, final AdmissionGauges gauges)
    {
        this.scenario = scenario;
        this.clientsByRank = List.copyOf(clientsByRank);
        this.requests = requests;
        this.random = new SplittableRandom(seed);
        this.progress = progress;
        this.gauges = gauges;
        for (final Stream stream : scenario.streams())
        {
            if (stream.firstRank() + stream.municipalities() > clientsByRank.size())
            {
                throw new IllegalArgumentException("scenario " + scenario.name() + ": " + stream.group() + " ranks up to " +
                    (stream.firstRank() + stream.municipalities() - 1) + " (expected: < " + clientsByRank.size() + " clients)");
            }
            measured.put(stream.group(), new GroupRecorders());
        }
    }

    ScenarioResult run(final Duration warmupTime, final Duration measuredTime, final Duration drainTimeout)
    {
        final long warmupCount = scenario.requestsWithin(warmupTime.toNanos());
        final long total = scenario.requestsWithin(warmupTime.toNanos() + measuredTime.toNanos());
        final String loadAtStart = MachineInfo.loadAverage();
        final long startNs = System.nanoTime();
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "noisy-neighbour-progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> tick(startNs, warmupTime.toNanos(), warmupTime.plus(measuredTime).toNanos()), 1, 1, TimeUnit.SECONDS);
        final Map<String, AdmissionGauges.Sample> nodeGauges;
        try
        {
            for (long index = 0; index < total; index++)
            {
                final long intendedNs = startNs + scenario.intendedStartNs(index);
                waitUntil(intendedNs);
                final Stream stream = scenario.nextStream(random);
                final int rank = stream.firstRank() + random.nextInt(stream.municipalities());
                final OperationMix.Entry kind = stream.mix().next(random);
                final AnswerTiming timing = index < warmupCount
                    ? new AnswerTiming(intendedNs, warmup, null)
                    : new AnswerTiming(intendedNs, measured.get(stream.group()).outcomes, measured.get(stream.group()).answer);
                timing.outcomes.sent();
                clientsByRank.get(rank).send(requests.create(kind, rank)).answer().whenComplete(timing);
            }
            nodeGauges = gauges == null ? Map.of() : gauges.takeSamples();
            drain(drainTimeout);
        }
        finally
        {
            ticker.shutdownNow();
        }
        printProgress(startNs, warmupTime.toNanos());
        final Map<TrafficGroup, GroupResult> groups = new EnumMap<>(TrafficGroup.class);
        measured.forEach((group, recorders) -> groups.put(group, recorders.result(group)));
        return new ScenarioResult(scenario, measuredTime.toNanos() / 1e9, groups, nodeGauges, loadAtStart, MachineInfo.loadAverage());
    }

    /** Parks for long waits, yields for the last few microseconds; a late send is never made up by skipping. */
    private static void waitUntil(final long deadlineNs)
    {
        long remaining;
        while ((remaining = deadlineNs - System.nanoTime()) > 0)
        {
            if (remaining > PARK_THRESHOLD_NS)
            {
                LockSupport.parkNanos(remaining - PARK_THRESHOLD_NS / 2);
            }
            else
            {
                Thread.yield();
            }
        }
    }

    private void drain(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (outstanding() > 0 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(DRAIN_POLL_NS);
        }
    }

    private long outstanding()
    {
        long outstanding = warmup.sentCount() - warmup.answeredCount();
        for (final GroupRecorders recorders : measured.values())
        {
            outstanding += recorders.outcomes.sentCount() - recorders.outcomes.answeredCount();
        }
        return outstanding;
    }

    private void tick(final long startNs, final long warmupNs, final long endNs)
    {
        final long elapsedNs = System.nanoTime() - startNs;
        if (gauges != null && elapsedNs >= warmupNs && elapsedNs <= endNs)
        {
            gauges.sample();
        }
        printProgress(startNs, warmupNs);
    }

    private void printProgress(final long startNs, final long warmupNs)
    {
        final long elapsedNs = System.nanoTime() - startNs;
        final StringBuilder line = new StringBuilder(200);
        line.append(String.format(Locale.ROOT, "[%s %5.1fs] %s  in flight %d", scenario.name(), elapsedNs / 1e9,
            elapsedNs < warmupNs ? "warmup (not recorded)" : "measured", outstanding()));
        if (elapsedNs < warmupNs)
        {
            final OutcomeCounts counts = warmup.snapshot();
            line.append(String.format(Locale.ROOT, "  all: sent %d results %d", counts.sent(), counts.results()));
        }
        measured.forEach((group, recorders) ->
        {
            final OutcomeCounts counts = recorders.outcomes.snapshot();
            line.append(String.format(Locale.ROOT, "  %s: sent %d results %d", group.label(), counts.sent(), counts.results()));
            if (!counts.rejectedByCode().isEmpty())
            {
                line.append(" rejected ").append(counts.rejectedByCode());
            }
        });
        progress.println(line);
        progress.flush();
    }

    static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** The live record of one group's measured requests. */
    private static final class GroupRecorders
    {
        final Outcomes outcomes = new Outcomes();
        final Recorder answer = new Recorder(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);

        GroupResult result(final TrafficGroup group)
        {
            final Histogram histogram = newHistogram();
            histogram.add(answer.getIntervalHistogram());
            return new GroupResult(group, outcomes.snapshot(), histogram);
        }
    }

    /** Counts one request's answer and, for a Result in the measured part, records its latency; runs on the client's event loop. */
    private static final class AnswerTiming implements BiConsumer<Answer, Throwable>
    {
        private final long intendedNs;
        private final Outcomes outcomes;
        private final Recorder answer;

        AnswerTiming(final long intendedNs, final Outcomes outcomes, final Recorder answer)
        {
            this.intendedNs = intendedNs;
            this.outcomes = outcomes;
            this.answer = answer;
        }

        @Override
        public void accept(final Answer result, final Throwable failure)
        {
            if (failure != null)
            {
                outcomes.failed();
                return;
            }
            final long micros = (System.nanoTime() - intendedNs) / 1000;
            if (outcomes.answered(result) && answer != null)
            {
                answer.recordValue(Math.max(0, Math.min(micros, HIGHEST_MICROS)));
            }
        }
    }
}
