package io.chukei.bench.admission;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Samples the node's {@code chukei_admission_*} gauges (upstream window, queue depths, in
 * flight by priority) from its admin {@code /metrics}, once a second while a scenario is
 * measured, and keeps each gauge's last and highest value: they say why the latency looks
 * the way it does (e.g. a small window, or a queue that filled). A failed scrape is skipped.
 */
final class AdmissionGauges
{
    private static final String PREFIX = "chukei_admission_";
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

    /** One gauge over the sampled period. */
    record Sample(double last, double max)
    {
        Sample plus(final double value)
        {
            return new Sample(value, Math.max(max, value));
        }
    }

    private final HttpClient http;
    private final URI metrics;
    private final String prefix;
    private final Map<String, Sample> samples = new TreeMap<>();

    AdmissionGauges(final InetSocketAddress admin)
    {
        this(admin, PREFIX);
    }

    /** Samples the gauges whose names start with {@code prefix} instead (e.g. the node's health gauges). */
    AdmissionGauges(final InetSocketAddress admin, final String prefix)
    {
        this.prefix = prefix;
        this.http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();
        this.metrics = URI.create("http://" + admin.getHostString() + ":" + admin.getPort() + "/metrics");
    }

    /** Takes one sample; called from the progress thread only. */
    synchronized void sample()
    {
        try
        {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(SCRAPE_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200)
            {
                parse(response.body(), prefix).forEach((name, value) -> samples.merge(name, new Sample(value, value),
                    (before, now) -> before.plus(now.last())));
            }
        }
        catch (final IOException ex)
        {
            // A missed sample only thins the record; the run goes on.
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything sampled since the last call, then starts afresh (one record per scenario). */
    synchronized Map<String, Sample> takeSamples()
    {
        final Map<String, Sample> taken = Map.copyOf(samples);
        samples.clear();
        return taken;
    }

    /**
     * The admission gauges in Prometheus text: {@code name{tags} value} lines whose name starts
     * with {@code chukei_admission_}, keyed by name without tags (the node has one value each).
     */
    static Map<String, Double> parse(final String prometheusText)
    {
        return parse(prometheusText, PREFIX);
    }

    static Map<String, Double> parse(final String prometheusText, final String prefix)
    {
        final Map<String, Double> values = new TreeMap<>();
        for (final String line : prometheusText.split("\n"))
        {
            if (!line.startsWith(prefix))
            {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            final int brace = line.indexOf('{');
            final String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            try
            {
                values.put(name, Double.parseDouble(line.substring(space + 1).trim()));
            }
            catch (final NumberFormatException ex)
            {
                // Not a sample line we understand; skip it.
            }
        }
        return values;
    }
}
