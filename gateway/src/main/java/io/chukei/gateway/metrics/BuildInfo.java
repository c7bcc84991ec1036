package io.chukei.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code chukei_build_info{version,commit,java}} = 1: which build runs where, so a dashboard can show a
 * rolling upgrade and an alert can be read against the right code. Version and commit come from
 * {@code chukei-build.properties}, filled in by Maven at build time ({@code -Dchukei.git.commit=...}).
 */
public final class BuildInfo
{
    private static final String RESOURCE = "/chukei-build.properties";

    private BuildInfo()
    {
    }

    public static String version()
    {
        return load().getProperty("version", "unknown");
    }

    public static String commit()
    {
        return load().getProperty("commit", "unknown");
    }

    static void register(final MeterRegistry registry)
    {
        Gauge.builder("chukei.build.info", () -> 1)
            .description("Always 1; the labels say which build of Chukei runs")
            .tag("version", version())
            .tag("commit", commit())
            .tag("java", System.getProperty("java.version", "unknown"))
            .register(registry);
    }

    private static Properties load()
    {
        final Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE))
        {
            if (in != null)
            {
                properties.load(in);
            }
        }
        catch (final IOException ex)
        {
            // Unknown build: the labels say "unknown".
        }
        // Unfiltered (an IDE run): the placeholders are not a version.
        properties.entrySet().removeIf(e -> e.getValue().toString().startsWith("${") || e.getValue().toString().isBlank());
        return properties;
    }
}
