package io.chukei.gateway.metrics;

import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.gateway.admission.AdmissionMetrics;
import io.chukei.gateway.admission.Priority;
import io.chukei.gateway.admission.RejectReason;
import io.chukei.gateway.latency.StageHistograms;
import io.chukei.gateway.latency.StageLogConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The relay's meters. Every counter and timer is created here, once; the hot path only
 * calls {@code increment()} or {@code record()} on a field, never a registry lookup.
 */
public final class RelayMetrics
{

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<ErrorCode, Counter> rejected = new EnumMap<>(ErrorCode.class);
    private final Map<OutcomeStatus, Counter> results = new EnumMap<>(OutcomeStatus.class);
    private final Counter accepted;
    private final Counter duplicateSubmits;
    private final Counter forwards;
    private final Counter forwardRetries;
    private final Counter recovered;
    private final Counter redirects;
    private final Counter viewPushes;
    private final Counter readPauses;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private final AdmissionMetrics admission;
    private final TopMunicipalities municipalities;
    private final String commonLabels;
    private final JvmMeters jvm;
    private long rerankedAtNanos;
    /** Registered by {@link #enableJournalSync()} only: a node that never fsyncs per commit exports no such series. */
    private volatile Timer journalSync;
    private final StageHistograms stages;
    private final LatencyCurves stageCurves;

    /** A latency for {@link #municipalityOutcome(int, MunicipalityOutcome, long)} that was not measured. */
    public static final long NOT_TIMED = Long.MIN_VALUE;
    /** Municipalities with per-municipality numbers kept; the rest count as "other" (1,741 exist today). */
    static final int MAX_TRACKED_MUNICIPALITIES = 4096;
    private static final long RERANK_NANOS = TimeUnit.MINUTES.toNanos(1);

    public RelayMetrics(final int nodeId)
    {
        this(nodeId, 20);
    }

    /** {@code topK}: municipalities named in per-municipality rejection counts; the rest are "other". */
    public RelayMetrics(final int nodeId, final int topK)
    {
        this(nodeId, topK, StageLogConfig.defaults());
    }

    /** {@code stageLog}: whether and how per-stage latency is recorded ({@link #stages()}). */
    public RelayMetrics(final int nodeId, final int topK, final StageLogConfig stageLog)
    {
        registry.config().commonTags("node", Integer.toString(nodeId));
        JvmMeters.filters(registry);
        commonLabels = "node=\"" + nodeId + "\",";
        admission = new AdmissionMetrics(topK);
        municipalities = new TopMunicipalities("outcome", MunicipalityOutcome.labels(), true, topK, MAX_TRACKED_MUNICIPALITIES);
        BuildInfo.register(registry);
        jvm = JvmMeters.bind(registry);
        for (final Priority priority : Priority.values())
        {
            final String priorityTag = priority.name().toLowerCase(Locale.ROOT);
            FunctionCounter.builder("chukei.admission.admitted", admission, a -> a.admittedCount(priority))
                .description("Requests admitted (accepted), by priority").tag("priority", priorityTag).register(registry);
            for (final RejectReason reason : RejectReason.values())
            {
                FunctionCounter.builder("chukei.admission.rejected", admission, a -> a.rejectedCount(reason, priority))
                    .description("Requests refused by admission, by reason and priority")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).tag("priority", priorityTag).register(registry);
            }
        }
        for (final ErrorCode code : ErrorCode.values())
        {
            if (code != ErrorCode.NULL_VAL && code != ErrorCode.NO_ERROR)
            {
                rejected.put(code, Counter.builder("chukei.requests.rejected")
                    .description("Requests answered with Rejected, by reason")
                    .tag("reason", code.name().toLowerCase(Locale.ROOT))
                    .register(registry));
            }
        }
        for (final OutcomeStatus status : new OutcomeStatus[] {OutcomeStatus.OK, OutcomeStatus.REFUSED})
        {
            results.put(status, Counter.builder("chukei.requests.completed")
                .description("Requests answered with a Result from card management, by status")
                .tag("status", status.name().toLowerCase(Locale.ROOT))
                .register(registry));
        }
        accepted = Counter.builder("chukei.requests.accepted").description("Requests journaled and acknowledged").register(registry);
        duplicateSubmits = Counter.builder("chukei.requests.duplicate.submits")
            .description("Submits of a request id this node already knew; never forwarded twice").register(registry);
        forwards = Counter.builder("chukei.upstream.forwards").description("Forward messages sent to card management").register(registry);
        forwardRetries = Counter.builder("chukei.upstream.retries")
            .description("Forwards repeated on another endpoint after an error, timeout or lost connection").register(registry);
        recovered = Counter.builder("chukei.recovery.requests")
            .description("Accepted-but-unfinished requests re-forwarded after a restart").register(registry);
        redirects = Counter.builder("chukei.cluster.redirects")
            .description("New Submits answered Redirect because this node was draining or isolated").register(registry);
        viewPushes = Counter.builder("chukei.cluster.view.pushes")
            .description("ClusterView messages pushed to open sessions after a view change").register(registry);
        readPauses = Counter.builder("chukei.connections.read.pauses")
            .description("Reads paused on a connection just answered RATE_LIMITED, until its retry-after").register(registry);
        Gauge.builder("chukei.connections", connections, java.util.concurrent.atomic.AtomicInteger::get)
            .description("Open connector connections (TLS handshake under way included)").register(registry);
        stages = new StageHistograms(stageLog);
        if (stages.enabled())
        {
            registry.getPrometheusRegistry().register(new StageHistogramCollector(stages, nodeId));
        }
        stageCurves = new StageCurves(stages);
    }

    /** Per-stage request latency: HdrHistogram recorders and {@code chukei_request_stage_seconds{stage}}. */
    public StageHistograms stages()
    {
        return stages;
    }

    public MeterRegistry registry()
    {
        return registry;
    }

    /**
     * Registers the group-commit fsync histogram: only a node with {@code journal.durability=sync} fsyncs per
     * commit, and elsewhere its series could only ever read zero.
     */
    public synchronized void enableJournalSync()
    {
        if (journalSync == null)
        {
            journalSync = Timer.builder("chukei.journal.sync")
                .description("Group-commit fsyncs with journal.durability=sync, each one's duration")
                .serviceLevelObjectives(LatencyBuckets.SECONDS)
                .publishPercentileHistogram(false)
                .register(registry);
        }
    }

    /** Prometheus text exposition of every meter, then the per-municipality counters (top K + other). */
    public String scrape()
    {
        rerankIfDue();
        final StringBuilder out = new StringBuilder(64 * 1024).append(registry.scrape());
        municipalities.writeTo(out, "chukei_municipality_requests",
            "Requests by municipality (the K busiest of the last minute by name, the rest as other) and outcome",
            "chukei_municipality_request_duration",
            "Submit received to final answer sent, accepted requests, by municipality (top K + other)", commonLabels);
        admission.rejectedTop().writeTo(out, "chukei_admission_rejected_municipality",
            "Admission refusals by municipality (the K most refused of the last minute by name, the rest as other) and " +
                "reason", null, null, commonLabels);
        return out.toString();
    }

    /**
     * Names the busiest municipalities again once a minute; called at each scrape and by the status page's
     * sampler (so a node nobody scrapes names them too). A ranking that named none (no traffic yet) is
     * repeated at the next call rather than a minute later.
     */
    public synchronized void rerankIfDue()
    {
        final long now = System.nanoTime();
        if (rerankedAtNanos == 0 || now - rerankedAtNanos >= RERANK_NANOS)
        {
            rerankedAtNanos = municipalities.rerank() == 0 ? 0 : now;
            admission.rejectedTop().rerank();
        }
    }

    /**
     * A request of {@code municipality} ended with {@code outcome}; {@code latencyNanos} from Submit received to
     * the answer sent (ignored for {@link MunicipalityOutcome#ACCEPTED}, which is not an end).
     */
    public void municipalityOutcome(final String municipality, final MunicipalityOutcome outcome, final long latencyNanos)
    {
        municipalityOutcome(MunicipalityCodes.parse(municipality), outcome, latencyNanos);
    }

    /**
     * As {@link #municipalityOutcome(String, MunicipalityOutcome, long)}, by the code as an int (the request's
     * scope): what the relay calls on its event loops, with no String made. {@link #NOT_TIMED}: counted, no
     * latency (a request refused before it was accepted, or recovered after a restart).
     */
    public void municipalityOutcome(final int municipality, final MunicipalityOutcome outcome, final long latencyNanos)
    {
        if (outcome == MunicipalityOutcome.ACCEPTED || latencyNanos == NOT_TIMED)
        {
            municipalities.record(municipality, outcome.ordinal());
        }
        else
        {
            municipalities.record(municipality, outcome.ordinal(), latencyNanos);
        }
    }

    /** Per-municipality numbers (top K + other), for the status page and tests. */
    public TopMunicipalities municipalities()
    {
        return municipalities;
    }

    /** Gauge in seconds whose source is in nanoseconds: Prometheus wants base units (promtool checks the name). */
    public void gaugeSeconds(final String name, final String description, final java.util.function.LongSupplier nanos)
    {
        Gauge.builder(name, () -> nanos.getAsLong() / 1e9).description(description).baseUnit("seconds")
            .register(registry);
    }

    /** Stops the JVM meters that hold resources (the GC listener). */
    public void close()
    {
        jvm.close();
    }

    /** Admission counts by priority and reason, and the most refused municipalities. */
    public AdmissionMetrics admission()
    {
        return admission;
    }

    public void gauge(final String name, final String description, final Supplier<Number> value)
    {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** A counter read from {@code source} when scraped (a running total kept elsewhere). */
    public <T> void functionCounter(final String name, final String description, final T source,
        final java.util.function.ToDoubleFunction<T> count)
    {
        FunctionCounter.builder(name, source, count).description(description).register(registry);
    }

    /** Latency per stage over recent minutes, from the per-stage histograms: what the status page draws. */
    public LatencyCurves stageCurves()
    {
        return stageCurves;
    }

    public double acceptedCount()
    {
        return accepted.count();
    }

    public double completedCount(final OutcomeStatus status)
    {
        final Counter counter = results.get(status);
        return counter == null ? 0 : counter.count();
    }

    /** 99th percentile of the last minute's waits for a journal fsync in ms; null unless this node fsyncs per commit. */
    public Double journalSyncP99Ms()
    {
        if (journalSync == null)
        {
            return null;
        }
        for (final io.chukei.gateway.latency.StageLatency stage : stages.recent(Duration.ofMinutes(1)))
        {
            if (stage.stage() == io.chukei.gateway.latency.Stage.JOURNAL_DURABLE && stage.window().count() > 0)
            {
                return stage.window().p99Nanos() / 1e6;
            }
        }
        return null;
    }

    public void rejected(final ErrorCode code)
    {
        final Counter counter = rejected.get(code);
        if (counter != null)
        {
            counter.increment();
        }
    }

    public double rejectedCount(final ErrorCode code)
    {
        final Counter counter = rejected.get(code);
        return counter == null ? 0 : counter.count();
    }

    public void completed(final OutcomeStatus status)
    {
        final Counter counter = results.get(status);
        if (counter != null)
        {
            counter.increment();
        }
    }

    public void connectionOpened()
    {
        connections.incrementAndGet();
    }

    public void connectionClosed()
    {
        connections.decrementAndGet();
    }

    public int connections()
    {
        return connections.get();
    }

    public void accepted()
    {
        accepted.increment();
    }

    public void duplicateSubmit()
    {
        duplicateSubmits.increment();
    }

    public void forwarded(final boolean retry)
    {
        forwards.increment();
        if (retry)
        {
            forwardRetries.increment();
        }
    }

    public void recovered(final int count)
    {
        recovered.increment(count);
    }

    public void redirected()
    {
        redirects.increment();
    }

    public double redirectCount()
    {
        return redirects.count();
    }

    public void readPaused()
    {
        readPauses.increment();
    }

    public double readPauseCount()
    {
        return readPauses.count();
    }

    public void viewPushed()
    {
        viewPushes.increment();
    }

    public double viewPushCount()
    {
        return viewPushes.count();
    }

    /** One group-commit fsync's duration; called on the journal's sync thread. */
    public void journalSyncNanos(final long nanos)
    {
        final Timer timer = journalSync;
        if (timer != null)
        {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
