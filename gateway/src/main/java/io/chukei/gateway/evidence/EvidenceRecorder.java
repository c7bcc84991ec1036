package io.chukei.gateway.evidence;

import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.files.PrivateFiles;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.latency.StageLogReader;
import io.chukei.protocol.text.SafeText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Writes evidence bundles to {@code DATA/evidence/<UTC time>-<trigger>/} on its own thread, never on an event
 * loop: a trigger only hands over and returns. The thread dump is taken first, while whatever stalled may still
 * be stalled. Automatic triggers are rate-limited ({@code evidence.minIntervalSeconds}: the first of a storm is
 * written, the others counted); an operator's request is always written. A trigger within 5 s of the one of the
 * bundle being written joins that bundle (named in its manifest's {@code alsoTriggered}). A bundle is written under a {@code .partial} name and renamed when complete, so a reader never sees
 * half of one; old bundles go by count and by size. Each bundle is journaled and counted.
 */
public final class EvidenceRecorder implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceRecorder.class);
    static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);
    private static final String PARTIAL = ".partial";
    private static final int JOURNAL_ENTRIES_MAX = 20_000;
    /** A trigger this close to the one of the bundle being written joins it; a later one gets a bundle of its own. */
    static final long JOIN_WINDOW_MS = 5_000;

    /** What became of a trigger: accepted with the bundle's name and future, or not and why. */
    public record Outcome(boolean accepted, String name, CompletableFuture<Path> bundle, String why)
    {
    }

    private final EvidenceConfig config;
    private final EvidenceSources sources;
    private final Supplier<ContinuousRecording> recording;
    private final RecentLogLines logLines;
    private final LongSupplier epochMs;
    private final Path directory;
    private final ExecutorService writer;
    private final Map<Trigger, Counter> written = new EnumMap<>(Trigger.class);
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong lastDurationMs = new AtomicLong();
    private final AtomicLong diskBytes = new AtomicLong();
    private long lastAutomaticMs = Long.MIN_VALUE / 2;
    private CompletableFuture<Path> inProgress;
    private String inProgressName;
    private long inProgressTriggeredMs;
    /** Triggers that came while the bundle in progress was being written: the same moment, recorded in its manifest. */
    private final List<String> joined = new ArrayList<>();

    public EvidenceRecorder(final EvidenceConfig config, final EvidenceSources sources, final Supplier<ContinuousRecording> recording,
        final RecentLogLines logLines, final LongSupplier epochMs, final MeterRegistry registry)
    {
        this.config = config;
        this.sources = sources;
        this.recording = recording;
        this.logLines = logLines;
        this.epochMs = epochMs;
        this.directory = sources.dataDir().resolve("evidence");
        this.writer = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "chukei-evidence");
            thread.setDaemon(true);
            return thread;
        });
        for (final Trigger trigger : Trigger.values())
        {
            written.put(trigger, Counter.builder("chukei.evidence.bundles").tag("trigger", trigger.label())
                .description("Evidence bundles written, by trigger").register(registry));
        }
        FunctionCounter.builder("chukei.evidence.suppressed", suppressed, AtomicLong::get)
            .description("Automatic evidence triggers not written because a bundle was written within evidence.minIntervalSeconds")
            .register(registry);
        Gauge.builder("chukei.evidence.last.duration", lastDurationMs, ms -> ms.get() / 1000.0).baseUnit("seconds")
            .description("Time from trigger to complete bundle, the latest bundle").register(registry);
        Gauge.builder("chukei.evidence.recording", recording, jfr -> jfr.get() == null ? 0 : 1)
            .description("1 while the continuous flight recording runs (it starts seconds after the node)").register(registry);
        // Kept by the writer thread (after each bundle's retention), not walked per scrape: a scrape is every few seconds.
        Gauge.builder("chukei.evidence.disk", diskBytes, AtomicLong::get).baseUnit("bytes")
            .description("Bytes under DATA/evidence").register(registry);
        if (config.enabled())
        {
            writer.execute(this::warmUp);
        }
    }

    /**
     * Runs every source once, output discarded, when the node starts: the first bundle is written when something
     * is already wrong, and measured here (load 26) the cold first JSON of the stages and first scrape took 2-5 s
     * of a 5 s budget.
     */
    private void warmUp()
    {
        try
        {
            Json.write(sources.stages(Duration.ofSeconds(config.windowSeconds())));
            Json.write(sources.cluster());
            sources.metrics();
            sources.configuration();
            sources.journalSince(epochMs.getAsLong(), 1);
            OsView.describe(sources.dataDir());
            DiagnosticCommands.threadPrint();
            diskBytes.set(EvidenceBundles.size(directory));
        }
        catch (final Exception ex)
        {
            LOG.debug("Evidence warm-up: {}", ex.toString());
        }
    }

    /** The directory the bundles are in. */
    public Path directory()
    {
        return directory;
    }

    /**
     * Asks for a bundle. Returns at once: {@code accepted} with the bundle's future, or not accepted with why
     * (rate limit, switched off, closing).
     */
    public synchronized Outcome trigger(final Trigger trigger, final String detail)
    {
        if (!config.enabled())
        {
            return new Outcome(false, null, null, "evidence=off");
        }
        final long now = epochMs.getAsLong();
        if (inProgress != null && now - inProgressTriggeredMs <= JOIN_WINDOW_MS)
        {
            // Whatever fires within seconds of the bundle being written is part of the same incident (a stalled node
            // wakes to a failed health check and to peers it lost): one bundle, every trigger named in its manifest.
            joined.add(Instant.ofEpochMilli(now) + " " + trigger.label() + ": " + SafeText.of(detail));
            return new Outcome(true, inProgressName, inProgress, "joined the bundle being written");
        }
        if (trigger != Trigger.OPERATOR)
        {
            final long sinceMs = now - lastAutomaticMs;
            if (sinceMs < TimeUnit.SECONDS.toMillis(config.minIntervalSeconds()))
            {
                suppressed.incrementAndGet();
                return new Outcome(false, null, null, "the previous automatic bundle was " + sinceMs / 1000 +
                    " s ago (evidence.minIntervalSeconds " + config.minIntervalSeconds() + ")");
            }
            lastAutomaticMs = now;
        }
        final CompletableFuture<Path> bundle = new CompletableFuture<>();
        final String name = NAME_TIME.format(Instant.ofEpochMilli(now)) + "-" + trigger.label();
        try
        {
            writer.execute(() -> write(name, trigger, detail, now, bundle));
        }
        catch (final RejectedExecutionException ex)
        {
            return new Outcome(false, null, null, "the node is stopping");
        }
        inProgress = bundle;
        inProgressName = name;
        inProgressTriggeredMs = now;
        return new Outcome(true, name, bundle, "");
    }

    private void write(final String name, final Trigger trigger, final String detail, final long triggeredMs,
        final CompletableFuture<Path> done)
    {
        final Path partial = directory.resolve(name + PARTIAL);
        final Map<String, String> parts = new LinkedHashMap<>();
        try
        {
            PrivateFiles.createDirectories(partial);
            // First, while a stalled thread may still be where it stalled.
            part(parts, partial, "threads.txt", file -> Files.writeString(file, DiagnosticCommands.threadPrint()));
            part(parts, partial, "recording.jfr", file ->
            {
                final ContinuousRecording jfr = recording.get();
                if (jfr == null)
                {
                    throw new IOException("no continuous recording (evidence.jfr=off, JFR unavailable, or still starting)");
                }
                jfr.dumpTo(file, Duration.ofSeconds(config.windowSeconds()));
            });
            final Duration window = Duration.ofSeconds(config.windowSeconds());
            part(parts, partial, "metrics.prom", file -> Files.writeString(file, sources.metrics()));
            part(parts, partial, "stages.json", file -> Files.writeString(file, Json.write(sources.stages(window))));
            part(parts, partial, "histograms", dir -> copyRecentHistogramLogs(dir, triggeredMs - window.toMillis()));
            part(parts, partial, "cluster.json", file -> Files.writeString(file, Json.write(sources.cluster())));
            part(parts, partial, "configuration.txt", file -> Files.writeString(file, sources.configuration()));
            part(parts, partial, "log.txt", file -> Files.write(file, logLines == null ?
                List.of("(no log ring: the logging backend is not logback)") : logLines.snapshot()));
            part(parts, partial, "journal.txt", file -> writeJournal(file, triggeredMs - window.toMillis()));
            part(parts, partial, "os.txt", file -> Files.writeString(file, OsView.describe(sources.dataDir())));
            final long finishedMs = epochMs.getAsLong();
            final Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("node", sources.nodeId());
            manifest.put("trigger", trigger.label());
            manifest.put("detail", SafeText.of(detail));
            manifest.put("triggeredAt", Instant.ofEpochMilli(triggeredMs).toString());
            manifest.put("finishedAt", Instant.ofEpochMilli(finishedMs).toString());
            manifest.put("durationMs", finishedMs - triggeredMs);
            manifest.put("windowSeconds", config.windowSeconds());
            manifest.put("parts", parts);
            final Path bundle = directory.resolve(name);
            // Owner-only like every file of the node: the thread dump and the log lines are the node's insides.
            PrivateFiles.restrictTree(partial);
            synchronized (this)
            {
                // Under the lock: a trigger either joined before the manifest is written, or starts a new bundle.
                manifest.put("alsoTriggered", new ArrayList<>(joined));
                joined.clear();
                Files.writeString(partial.resolve("manifest.json"), Json.write(manifest), StandardCharsets.UTF_8);
                PrivateFiles.restrict(partial.resolve("manifest.json"));
                Files.move(partial, bundle, StandardCopyOption.ATOMIC_MOVE);
                if (inProgress == done)
                {
                    inProgress = null;
                    inProgressName = null;
                }
            }
            lastDurationMs.set(finishedMs - triggeredMs);
            written.get(trigger).increment();
            sources.journalBundle(name, trigger.label() + ": " + detail);
            LOG.warn("Evidence bundle {} written in {} ms ({}): {}", bundle, finishedMs - triggeredMs, trigger.label(),
                SafeText.of(detail));
            retain(bundle);
            done.complete(bundle);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("Evidence bundle {} could not be written: {}", name, ex.toString());
            synchronized (this)
            {
                joined.clear();
                if (inProgress == done)
                {
                    inProgress = null;
                    inProgressName = null;
                }
            }
            done.completeExceptionally(ex);
        }
    }

    /** One part of a bundle, written to {@code name}; a part that fails leaves its reason in the manifest. */
    @FunctionalInterface
    private interface PartWriter
    {
        void write(Path target) throws Exception;
    }

    private static void part(final Map<String, String> parts, final Path bundle, final String name, final PartWriter writer)
    {
        final long start = System.nanoTime();
        try
        {
            writer.write(bundle.resolve(name));
            parts.put(name, "ok in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        }
        catch (final Exception ex)
        {
            parts.put(name, "failed in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " +
                SafeText.of(ex.toString()));
        }
    }

    private void copyRecentHistogramLogs(final Path target, final long fromEpochMs) throws IOException
    {
        Files.createDirectories(target);
        final Path logs = StageLogReader.logDirectory(sources.dataDir());
        if (!Files.isDirectory(logs))
        {
            return;
        }
        try (Stream<Path> files = Files.list(logs))
        {
            for (final Path file : files.toList())
            {
                if (Files.getLastModifiedTime(file).toMillis() >= fromEpochMs)
                {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        }
    }

    private void writeJournal(final Path file, final long fromEpochMs) throws IOException
    {
        final List<JournalEvent> events = sources.journalSince(fromEpochMs, JOURNAL_ENTRIES_MAX);
        final List<String> lines = new ArrayList<>(events.size() + 1);
        lines.add("# journal entries since " + Instant.ofEpochMilli(fromEpochMs) + " (at most " + JOURNAL_ENTRIES_MAX +
            ", newest kept); submit bytes and payloads as sizes only, digit runs masked");
        for (final JournalEvent event : events)
        {
            lines.add(event.toLine());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** Oldest bundles go while there are more than {@code retainBundles} or they take more than the bound. */
    private void retain(final Path newest) throws IOException
    {
        final List<Path> bundles = EvidenceBundles.list(directory);
        long total = 0;
        final long[] sizes = new long[bundles.size()];
        for (int i = 0; i < bundles.size(); i++)
        {
            sizes[i] = EvidenceBundles.size(bundles.get(i));
            total += sizes[i];
        }
        int count = bundles.size();
        for (int i = 0; i < bundles.size() && (count > config.retainBundles() || total > config.maxBytes()); i++)
        {
            final Path oldest = bundles.get(i);
            if (oldest.equals(newest))
            {
                break;
            }
            PrivateFiles.deleteTree(oldest);
            total -= sizes[i];
            count--;
            LOG.info("Evidence bundle {} removed (evidence.retainBundles {}, evidence.maxMegabytes {})", oldest,
                config.retainBundles(), config.maxMegabytes());
        }
        diskBytes.set(total);
    }

    @Override
    public void close()
    {
        writer.shutdown();
        try
        {
            // A bundle being written is finished: it is what the operator will look at.
            writer.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
