package io.chukei.gateway.evidence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rotated GC log (JVM unified logging: GC and safepoint events with UTC and uptime decorations) under
 * DATA/logs, switched on by the node itself at start so every way of running a node has one, the launcher,
 * the service unit and tests alike. An operator's own {@code -Xlog} settings are left as they are.
 */
public final class GcLog
{
    private static final Logger LOG = LoggerFactory.getLogger(GcLog.class);

    private GcLog()
    {
    }

    /** Adds the output; returns the log file, or null when the JVM refused (said in the log). */
    public static Path start(final EvidenceConfig config, final Path dataDir)
    {
        if (!config.gcLog())
        {
            return null;
        }
        final Path file = dataDir.resolve("logs").resolve("gc.log").toAbsolutePath();
        try
        {
            io.chukei.gateway.files.PrivateFiles.createDirectories(file.getParent());
            DiagnosticCommands.vmLog("output=file=" + file, "what=gc*=info,safepoint=info",
                "decorators=utctime,uptime,level,tags",
                "output_options=filecount=" + config.gcLogFiles() + ",filesize=" + config.gcLogFileMegabytes() + "M");
            LOG.info("GC log: {} ({} files of {} MB)", file, config.gcLogFiles(), config.gcLogFileMegabytes());
            return file;
        }
        catch (final IOException | javax.management.JMException | RuntimeException ex)
        {
            LOG.warn("GC log could not be set up at {}: {}", file, ex.toString());
            return null;
        }
    }
}
