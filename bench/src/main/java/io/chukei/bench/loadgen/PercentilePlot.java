package io.chukei.bench.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code latency.html}: a percentile-distribution plot a person can open offline, one
 * self-contained file with inline SVG and no scripts. Like HdrHistogram's plotter, the x axis
 * is {@code 1/(1-p)} on a log scale, so 90%, 99%, 99.9%... are equally spaced and the tail gets
 * as much room as the median; the y axis is latency in milliseconds. Below the plot: the
 * figures as tables.
 */
final class PercentilePlot
{
    private static final int WIDTH = 960;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final int TICKS_PER_HALF_DISTANCE = 5;
    private static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

    /** One curve: a name and its histogram in microseconds. */
    record Series(String name, Histogram histogram)
    {
    }

    private PercentilePlot()
    {
    }

    static String render(final RunReport report)
    {
        final List<Series> series = new ArrayList<>();
        series.add(new Series("answer (Result)", report.answer()));
        series.add(new Series("Accepted", report.accepted()));
        if (report.phases().size() > 1)
        {
            for (final PhaseReport phase : report.phases())
            {
                series.add(new Series("answer, " + phase.name() + " (" + phase.targetRatePerSecond() + "/s)", phase.answer()));
            }
        }
        final StringBuilder html = new StringBuilder(32 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Chukei loadgen latency</title>\n")
            .append("<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}")
            .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
            .append("td.l,th.l{text-align:left}.note{color:#555;font-size:90%}</style>\n</head><body>\n");
        html.append("<h1>Latency by percentile</h1>\n<p>").append(escape(headline(report))).append("</p>\n");
        html.append(svg(series));
        html.append("<p class=\"note\">Latency is measured from each request's intended start time (open loop, no coordinated omission), ")
            .append("so a request the generator sent late is charged for the wait. x axis: 1/(1&minus;p), log scale.</p>\n");
        html.append(percentileTable(series));
        html.append(outcomeTable(report));
        html.append(keyValueTable("Settings", report.settings()));
        html.append(keyValueTable("Machine", report.machine()));
        html.append("</body></html>\n");
        return html.toString();
    }

    private static String headline(final RunReport report)
    {
        final OutcomeCounts outcomes = report.outcomes();
        return String.format(Locale.ROOT, "%s: %.1f s measured after %.1f s warmup; offered %.0f/s, achieved %.0f/s; %d results, %d errors (%.3f%%)",
            report.startedAt(), report.durationSeconds(), report.warmupSeconds(), report.offeredRatePerSecond(),
            report.achievedRatePerSecond(), outcomes.results(), outcomes.errors(), outcomes.errorRate() * 100);
    }

    static String svg(final List<Series> series)
    {
        long maxCount = 1;
        long maxValue = 1;
        for (final Series s : series)
        {
            maxCount = Math.max(maxCount, s.histogram().getTotalCount());
            maxValue = Math.max(maxValue, s.histogram().getMaxValue());
        }
        // Decades worth showing: about one more than the data can resolve, from 2 (99%) to 7 (99.99999%).
        final int decades = Math.max(2, Math.min(7, (int)Math.ceil(Math.log10(maxCount))));
        final double yMaxMs = niceCeiling(maxValue / 1000.0);
        final double plotWidth = WIDTH - LEFT - RIGHT;
        final double plotHeight = HEIGHT - TOP - BOTTOM;

        final StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
            .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"white\"/>\n");
        for (int d = 0; d <= decades; d++)
        {
            final double x = LEFT + plotWidth * d / decades;
            svg.append(line(x, TOP, x, TOP + plotHeight, "#e0e0e0"));
            svg.append(text(x, TOP + plotHeight + 18, "middle", percentileLabel(d)));
        }
        final double yStep = yMaxMs / 5;
        for (int t = 0; t <= 5; t++)
        {
            final double y = TOP + plotHeight - plotHeight * t / 5;
            svg.append(line(LEFT, y, LEFT + plotWidth, y, "#e0e0e0"));
            svg.append(text(LEFT - 8, y + 4, "end", t == 0 ? "0" : formatMs(yStep * t)));
        }
        svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "#444"));
        svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#444"));
        svg.append(text(LEFT + plotWidth / 2, HEIGHT - 14, "middle", "percentile"));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">latency (ms)</text>\n",
            TOP + plotHeight / 2, TOP + plotHeight / 2));

        for (int i = 0; i < series.size(); i++)
        {
            final Series s = series.get(i);
            final String colour = COLOURS[i % COLOURS.length];
            if (s.histogram().getTotalCount() > 0)
            {
                svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"").append(i < 2 ? "2" : "1.5")
                    .append("\" points=\"").append(points(s.histogram(), decades, yMaxMs, plotWidth, plotHeight)).append("\"/>\n");
            }
            final double legendY = TOP + 16 + 18 * i;
            svg.append(line(LEFT + 14, legendY - 4, LEFT + 40, legendY - 4, colour).replace("stroke-width=\"1\"", "stroke-width=\"3\""));
            svg.append(text(LEFT + 46, legendY, "start", s.name() + " (n=" + s.histogram().getTotalCount() + ")"));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String points(
        final Histogram histogram, final int decades, final double yMaxMs, final double plotWidth, final double plotHeight)
    {
        final StringBuilder points = new StringBuilder();
        for (final HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE))
        {
            final double percentile = value.getPercentileLevelIteratedTo();
            final double x = percentile >= 100 ? decades : Math.min(decades, Math.log10(100.0 / (100.0 - percentile)));
            final double ms = histogram.highestEquivalentValue(value.getValueIteratedTo()) / 1000.0;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotWidth * x / decades,
                TOP + plotHeight - plotHeight * Math.min(ms, yMaxMs) / yMaxMs));
            if (x >= decades)
            {
                break;
            }
        }
        return points.toString().trim();
    }

    /** 0%, 90%, 99%, 99.9%... for decade {@code d} of 1/(1-p). */
    static String percentileLabel(final int decade)
    {
        if (decade == 0)
        {
            return "0%";
        }
        if (decade == 1)
        {
            return "90%";
        }
        return "99" + (decade > 2 ? "." + "9".repeat(decade - 2) : "") + "%";
    }

    /** The smallest 1, 2 or 5 x 10^k at or above {@code value}. */
    static double niceCeiling(final double value)
    {
        if (value <= 0)
        {
            return 1;
        }
        final double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[] {1, 2, 5, 10})
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String percentileTable(final List<Series> series)
    {
        final StringBuilder table = new StringBuilder("<h2>Percentiles (ms)</h2>\n<table><tr><th class=\"l\">series</th><th>count</th>");
        for (final String name : SummaryJson.PERCENTILE_NAMES)
        {
            table.append("<th>").append(name).append("</th>");
        }
        table.append("<th>max</th></tr>\n");
        for (final Series s : series)
        {
            final Histogram h = s.histogram();
            table.append("<tr><td class=\"l\">").append(escape(s.name())).append("</td><td>").append(h.getTotalCount()).append("</td>");
            for (final double p : SummaryJson.PERCENTILES)
            {
                table.append("<td>").append(h.getTotalCount() == 0 ? "" : formatMs(h.getValueAtPercentile(p) / 1000.0)).append("</td>");
            }
            table.append("<td>").append(h.getTotalCount() == 0 ? "" : formatMs(h.getMaxValue() / 1000.0)).append("</td></tr>\n");
        }
        return table.append("</table>\n").toString();
    }

    private static String outcomeTable(final RunReport report)
    {
        final StringBuilder table = new StringBuilder("<h2>Outcomes</h2>\n<table><tr><th class=\"l\">phase</th><th>target/s</th>")
            .append("<th>offered/s</th><th>achieved/s</th><th>sent</th><th>OK</th><th>refused</th><th>rejected</th><th>unanswered</th>")
            .append("<th class=\"l\">rejections by code</th></tr>\n");
        for (final PhaseReport phase : report.phases())
        {
            final OutcomeCounts o = phase.outcomes();
            table.append(String.format(Locale.ROOT,
                "<tr><td class=\"l\">%s</td><td>%d</td><td>%.0f</td><td>%.0f</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td class=\"l\">%s</td></tr>\n",
                escape(phase.name()), phase.targetRatePerSecond(), phase.offeredRatePerSecond(), phase.achievedRatePerSecond(),
                o.sent(), o.resultsOk(), o.resultsRefused(), o.rejected(), o.unanswered(), escape(new TreeMap<>(o.rejectedByCode()).toString())));
        }
        return table.append("</table>\n").toString();
    }

    private static String keyValueTable(final String title, final Map<String, String> values)
    {
        final StringBuilder table = new StringBuilder("<h2>").append(title).append("</h2>\n<table>\n");
        values.forEach((key, value) -> table.append("<tr><th class=\"l\">").append(escape(key)).append("</th><td class=\"l\">")
            .append(escape(value)).append("</td></tr>\n"));
        return table.append("</table>\n").toString();
    }

    private static String line(final double x1, final double y1, final double x2, final double y2, final String colour)
    {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
            x1, y1, x2, y2, colour);
    }

    private static String text(final double x, final double y, final String anchor, final String content)
    {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n", x, y, anchor, escape(content));
    }

    private static String formatMs(final double ms)
    {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : ms >= 1 ? String.format(Locale.ROOT, "%.2f", ms)
            : String.format(Locale.ROOT, "%.3f", ms);
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
