package io.chukei.gateway.evidence;

import io.chukei.gateway.health.HealthListener;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A node's evidence kit, started with the node and closed with it: the rotated GC log, the log ring, the
 * continuous recording (started on a thread of its own: JFR takes a second to start, the node does not wait),
 * the recorder and its automatic triggers.
 */
public final class NodeEvidence implements AutoCloseable
{
    /** The GC log is a JVM-wide output: set up once per process (the first node of a test JVM has it). */
    private static final AtomicBoolean GC_LOG_SET_UP = new AtomicBoolean();

    private final RecentLogLines logLines;
    private final java.util.concurrent.ScheduledExecutorService modes;
    private final Path dataDir;
    private final CompletableFuture<ContinuousRecording> recording;
    private final EvidenceRecorder recorder;
    private final EvidenceTriggers triggers;

    private NodeEvidence(final RecentLogLines logLines, final CompletableFuture<ContinuousRecording> recording,
        final EvidenceRecorder recorder, final EvidenceTriggers triggers, final Path dataDir)
    {
        this.dataDir = dataDir;
        // The JVM creates JFR chunks and GC log files with the process umask (the launcher and the service unit set
        // 077; a node started otherwise may have 022): narrowed to owner-only here, every 10 s and at close.
        this.modes = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "chukei-evidence-modes");
            thread.setDaemon(true);
            return thread;
        });
        modes.scheduleWithFixedDelay(this::restrictJvmFiles, 0, 10, java.util.concurrent.TimeUnit.SECONDS);
        this.logLines = logLines;
        this.recording = recording;
        this.recorder = recorder;
        this.triggers = triggers;
    }

    public static NodeEvidence start(final EvidenceConfig config, final EvidenceSources sources,
        final MeterRegistry registry)
    {
        final Path dataDir = sources.dataDir();
        if (GC_LOG_SET_UP.compareAndSet(false, true))
        {
            GcLog.start(config, dataDir);
        }
        final RecentLogLines logLines = config.logLines() > 0 ?
            RecentLogLines.attach(config.logLines(), "chukei-recent-" + sources.nodeId()) : null;
        final CompletableFuture<ContinuousRecording> recording =
            CompletableFuture.supplyAsync(() -> ContinuousRecording.start(config, dataDir), runnable ->
            {
                final Thread thread = new Thread(runnable, "chukei-jfr-start");
                thread.setDaemon(true);
                thread.start();
            });
        final EvidenceRecorder recorder = new EvidenceRecorder(config, sources, () -> recording.getNow(null), logLines,
            System::currentTimeMillis, registry);
        final EvidenceTriggers triggers = new EvidenceTriggers(recorder, sources.nodeId()).watchGcPauses(config.gcPauseMs());
        return new NodeEvidence(logLines, recording, recorder, triggers, dataDir);
    }

    /** Hears the health monitor: each new failure, and waking from a stall, is a trigger. */
    public HealthListener healthListener()
    {
        return triggers;
    }

    /** Triggers on peers going SUSPECT: add it as a ClusterView listener. */
    public EvidenceTriggers triggers()
    {
        return triggers;
    }

    /** Watches, once a second, every card-management endpoint down. */
    public void watchUpstream(final BooleanSupplier upstreamDown)
    {
        triggers.watchUpstream(upstreamDown);
    }

    public EvidenceRecorder recorder()
    {
        return recorder;
    }

    private void restrictJvmFiles()
    {
        io.chukei.gateway.files.PrivateFiles.restrictTree(dataDir.resolve("jfr"));
        io.chukei.gateway.files.PrivateFiles.restrictTree(dataDir.resolve("logs"));
    }

    @Override
    public void close()
    {
        modes.shutdownNow();
        triggers.close();
        recorder.close();
        if (logLines != null)
        {
            logLines.detach();
        }
        final ContinuousRecording started = recording.join();
        if (started != null)
        {
            started.close();
        }
        restrictJvmFiles();
    }
}
