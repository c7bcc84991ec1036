package io.chukei.gateway.evidence;

import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;

/**
 * A JFR recording that runs as long as the node, bounded by age and size, with low-overhead settings
 * ({@code evidence.jfr.settings}: the shipped {@code chukei.jfc} unless set): when something goes wrong, the minutes before it are already on disk and a
 * bundle only has to copy them ({@link #dumpTo}). Its repository is DATA/jfr, not the JVM's temporary
 * directory, so it lives with the node's other data (and its file modes).
 */
public final class ContinuousRecording implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousRecording.class);

    private final Recording recording;

    private ContinuousRecording(final Recording recording)
    {
        this.recording = recording;
    }

    /** Starts the recording, or returns null (and says why) when this JVM cannot record. */
    public static ContinuousRecording start(final EvidenceConfig config, final Path dataDir)
    {
        if (!config.jfr())
        {
            return null;
        }
        try
        {
            if (!FlightRecorder.isAvailable())
            {
                LOG.warn("Flight recording: JFR is not available in this JVM; evidence bundles will have no recording.jfr");
                return null;
            }
            final Path repository = dataDir.resolve("jfr");
            io.chukei.gateway.files.PrivateFiles.createDirectories(repository);
            configureRepository(repository);
            final Recording recording = new Recording(settings(config.jfrSettings()));
            recording.setName("chukei-continuous");
            recording.setToDisk(true);
            recording.setMaxAge(Duration.ofSeconds(config.jfrMaxAgeSeconds()));
            recording.setMaxSize(config.jfrMaxMegabytes() * 1024L * 1024L);
            recording.start();
            LOG.info("Flight recording: continuous, settings {}, last {} s or {} MB, repository {}", config.jfrSettings(),
                config.jfrMaxAgeSeconds(), config.jfrMaxMegabytes(), repository);
            return new ContinuousRecording(recording);
        }
        catch (final IOException | ParseException | RuntimeException ex)
        {
            LOG.warn("Flight recording could not start: {}", ex.toString());
            return null;
        }
    }

    /**
     * The shipped {@code chukei.jfc} (a resource beside this class), a JDK profile by name, or a .jfc file. The JDK's
     * {@code default} samples stacks every 20 ms and samples allocations: ~4-5 % more CPU per request at 4,000/s
     * than this profile (bench/README.md, "Stage recording, evidence and sealing: alternating runs").
     */
    static Configuration settings(final String name) throws IOException, ParseException
    {
        if (EvidenceConfig.CHUKEI_JFR_SETTINGS.equals(name))
        {
            try (java.io.InputStream in = ContinuousRecording.class.getResourceAsStream("chukei.jfc"))
            {
                if (in == null)
                {
                    throw new IOException("chukei.jfc missing from the jar");
                }
                return Configuration.create(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (name.endsWith(".jfc"))
        {
            return Configuration.create(Path.of(name));
        }
        return Configuration.getConfiguration(name);
    }

    private static void configureRepository(final Path repository)
    {
        try
        {
            DiagnosticCommands.jfrConfigure("repositorypath=" + repository.toAbsolutePath());
        }
        catch (final javax.management.JMException | RuntimeException ex)
        {
            // Several nodes in one JVM (tests) share one repository; the first one's is kept.
            LOG.debug("JFR repository stays where it is: {}", ex.toString());
        }
    }

    /**
     * Writes the last {@code window} of the recording to {@code file}, through the JVM's {@code JFR.dump} with a
     * begin time: a bundle needs the minutes around its trigger, and copying the whole retained recording (up to
     * {@code evidence.jfr.maxMegabytes}) took seconds on a loaded machine.
     */
    public void dumpTo(final Path file, final Duration window) throws IOException
    {
        try
        {
            final String answer = DiagnosticCommands.jfrDump("name=" + recording.getId(),
                "filename=" + file.toAbsolutePath(), "begin=-" + Math.max(1, window.toSeconds()) + "s");
            if (!Files.exists(file))
            {
                throw new IOException("JFR.dump wrote nothing: " + answer.strip());
            }
        }
        catch (final javax.management.JMException ex)
        {
            throw new IOException("JFR.dump: " + ex, ex);
        }
    }

    @Override
    public void close()
    {
        recording.close();
    }
}
