package io.chukei.bench.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the run's summary and plot beside its interval log. */
final class ReportFiles
{
    static final String LOG = "latency.hlog";
    static final String SUMMARY = "summary.json";
    static final String PLOT = "latency.html";

    private ReportFiles()
    {
    }

    static void write(final Path directory, final RunReport report) throws IOException
    {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(SUMMARY), SummaryJson.render(report), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve(PLOT), PercentilePlot.render(report), StandardCharsets.UTF_8);
    }
}
