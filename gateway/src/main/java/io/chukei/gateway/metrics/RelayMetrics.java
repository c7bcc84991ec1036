package io.chukei.gateway.metrics;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.gateway.admission.AdmissionMetrics;
import io.chukei.gateway.admission.HeavyHitters;
import io.chukei.gateway.admission.Priority;
import io.chukei.gateway.admission.RejectReason;
import io.chukei.gateway.latency.StageHistograms;
import io.chukei.gateway.latency.StageLogConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
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
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private final AdmissionMetrics admission;
    private final MultiGauge rejectedByMunicipality;
    private final Timer journalSync;
    private final StageHistograms stages;

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
        admission = new AdmissionMetrics(topK);
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
        rejectedByMunicipality = MultiGauge.builder("chukei.admission.rejected.municipality")
            .description("Admission refusals of the municipalities refused most (top K, the rest as 'other')")
            .register(registry);
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
        Gauge.builder("chukei.connections", connections, java.util.concurrent.atomic.AtomicInteger::get)
            .description("Open connector connections (TLS handshake under way included)").register(registry);
        journalSync = Timer.builder("chukei.journal.sync")
            .description("Group-commit fsyncs with journal.durability=sync, each one's duration")
            .serviceLevelObjectives(LatencyBuckets.SECONDS)
            .publishPercentileHistogram(false)
            .register(registry);
        stages = new StageHistograms(registry, stageLog);
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

    /** Prometheus text exposition of every meter. */
    public String scrape()
    {
        final HeavyHitters.Snapshot top = admission.rejectedByMunicipality();
        final List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (final HeavyHitters.Entry entry : top.top())
        {
            rows.add(MultiGauge.Row.of(Tags.of("municipality", entry.key()), entry.count()));
        }
        rows.add(MultiGauge.Row.of(Tags.of("municipality", AdmissionMetrics.OTHER), top.other()));
        rejectedByMunicipality.register(rows, true);
        return registry.scrape();
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
        journalSync.record(nanos, TimeUnit.NANOSECONDS);
    }
}
