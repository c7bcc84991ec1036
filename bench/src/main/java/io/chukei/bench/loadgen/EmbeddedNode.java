package io.chukei.bench.loadgen;

import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.node.RelayNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A relay node in this process on free loopback ports, with its embedded card-management
 * simulator: the loadgen needs no second terminal, and CI needs no running node. Without a
 * data directory it works in a temporary one and deletes it on close.
 */
public final class EmbeddedNode implements AutoCloseable
{
    private final RelayNode node;
    private final Path dataDir;
    private final boolean temporary;

    private EmbeddedNode(final RelayNode node, final Path dataDir, final boolean temporary)
    {
        this.node = node;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * @param dataDir the node's data directory, or null for a temporary one
     * @param overrides node configuration keys (gateway/README.md) over the embedded defaults
     */
    public static EmbeddedNode start(final Path dataDir, final Map<String, String> overrides) throws IOException, InterruptedException
    {
        final boolean temporary = dataDir == null;
        final Path dir = temporary ? Files.createTempDirectory("chukei-loadgen-") : dataDir;
        final Properties properties = new Properties();
        properties.setProperty("connector.listen", "127.0.0.1:0");
        properties.setProperty("admin.listen", "127.0.0.1:0");
        // Benchmarks sample /metrics without a certificate: the plain listener, on loopback.
        properties.setProperty("admin.plainListen", "127.0.0.1:0");
        properties.setProperty("cardsim.listen", "127.0.0.1:0");
        properties.setProperty("cardsim.adminListen", "127.0.0.1:0");
        // Capacity runs measure the relay, not the per-municipality rate limits (the Zipf-skewed
        // top municipality would be throttled at the default 20/s); --embedded-set brings them back.
        properties.setProperty("admission.rate.default", "1000000");
        properties.setProperty("admission.burst.default", "1000000");
        overrides.forEach(properties::setProperty);
        final RelayNode node = new RelayNode(RelayConfig.load(properties, dir), Clock.systemUTC());
        try
        {
            node.start();
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            node.close();
            if (temporary)
            {
                deleteTree(dir);
            }
            throw ex;
        }
        return new EmbeddedNode(node, dir, temporary);
    }

    /** The node itself, for benchmarks that drive it through its Java API (e.g. evidence bundles). */
    public RelayNode node()
    {
        return node;
    }

    public InetSocketAddress connectorAddress()
    {
        return node.connectorAddress();
    }

    /** Where {@code /metrics} is served without a client certificate (the node's plain listener, loopback). */
    public InetSocketAddress metricsAddress()
    {
        return node.plainAdminAddress();
    }

    public Path dataDir()
    {
        return dataDir;
    }

    public String description()
    {
        return node.readyLine();
    }

    @Override
    public void close()
    {
        node.close();
        if (temporary)
        {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(final Path root)
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(root + ": cannot delete the embedded node's temporary data", ex);
        }
    }
}
