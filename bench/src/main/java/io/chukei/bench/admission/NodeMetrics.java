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

/** The node's connection counters from its admin {@code /metrics}, one value per series (tags kept in the key). */
final class NodeMetrics
{
    private static final String PREFIX = "chukei_connections_";
    private static final java.util.regex.Pattern NODE_TAG = java.util.regex.Pattern.compile("node=\"[0-9]+\"");

    private NodeMetrics()
    {
    }

    /** {@code chukei_connections_*} series, e.g. {@code chukei_connections_refused_total{reason="address_bound"}}; empty when unreadable. */
    static Map<String, Double> scrape(final InetSocketAddress admin)
    {
        try
        {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + admin.getHostString() + ":" + admin.getPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            return parse(response.body());
        }
        catch (final IOException ex)
        {
            return Map.of();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    static Map<String, Double> parse(final String prometheusText)
    {
        final Map<String, Double> values = new TreeMap<>();
        for (final String line : prometheusText.split("\n"))
        {
            if (line.startsWith(PREFIX))
            {
                final int space = line.lastIndexOf(' ');
                try
                {
                    // The node tag is the same on every line: left out of the key.
                    final String series = NODE_TAG.matcher(line.substring(0, space)).replaceAll("").replace("{,", "{")
                        .replace(",}", "}").replace("{}", "");
                    values.put(series, Double.parseDouble(line.substring(space + 1)));
                }
                catch (final NumberFormatException ex)
                {
                    // not a sample line
                }
            }
        }
        return values;
    }
}
