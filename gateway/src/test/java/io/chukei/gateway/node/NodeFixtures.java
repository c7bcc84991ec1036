package io.chukei.gateway.node;

import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** Relay nodes and connectors for tests: loopback, ephemeral ports, a dev PKI in the test's directory. */
final class NodeFixtures
{
    private NodeFixtures()
    {
    }

    /** Embedded defaults on free ports, plus the given overrides. */
    static RelayConfig config(final Path dataDir, final String... keyValues)
    {
        final Properties properties = new Properties();
        properties.setProperty("connector.listen", "127.0.0.1:0");
        properties.setProperty("admin.listen", "127.0.0.1:0");
        properties.setProperty("cardsim.listen", "127.0.0.1:0");
        properties.setProperty("cardsim.adminListen", "127.0.0.1:0");
        // Tests send bursts from one municipality; rate limiting is tested on its own, with its own settings.
        properties.setProperty("admission.rate.default", "100000");
        properties.setProperty("admission.burst.default", "100000");
        for (int i = 0; i < keyValues.length; i += 2)
        {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return RelayConfig.load(properties, dataDir);
    }

    /**
     * Ports free at the time of the call, all different, below the ephemeral range (see
     * {@link io.chukei.protocol.testing.LoopbackPorts}). A cluster list must name every node's ports
     * before any node starts, so port 0 cannot be used there.
     */
    static int[] freePorts(final int count) throws IOException
    {
        return io.chukei.protocol.testing.LoopbackPorts.free(count);
    }

    /**
     * Node {@code index} (0-based) of a loopback cluster whose node {@code i} has id i + 1, connector port
     * {@code ports[2i]} and admin port {@code ports[2i + 1]}; plus the given overrides.
     */
    static RelayConfig clusterNode(final Path dataDir, final int[] ports, final int index, final String... keyValues)
    {
        sharedClusterPki(dataDir, ports);
        final StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < ports.length / 2; i++)
        {
            nodes.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(ports[2 * i])
                .append("/127.0.0.1:").append(ports[2 * i + 1]);
        }
        final String[] all = java.util.Arrays.copyOf(new String[] {
            "node.id", Integer.toString(index + 1),
            "connector.listen", "127.0.0.1:" + ports[2 * index],
            "admin.listen", "127.0.0.1:" + ports[2 * index + 1],
            "cluster.nodes", nodes.toString()}, 8 + keyValues.length);
        System.arraycopy(keyValues, 0, all, 8, keyValues.length);
        return config(dataDir, all);
    }

    /**
     * The nodes of one test cluster share one dev CA, as a real cluster does ({@code pki.dir}): peers probe each other
     * over mutual TLS. Each node's {@code DATA/pki} links to it, so connectors made from any node's directory trust all.
     */
    private static void sharedClusterPki(final Path dataDir, final int[] ports)
    {
        final Path shared = Path.of("target", "test-cluster-pki", "cluster-" + ports[0] + "-" + ports[1]).toAbsolutePath();
        final Path link = dataDir.resolve("pki");
        try
        {
            java.nio.file.Files.createDirectories(shared);
            if (!java.nio.file.Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            {
                java.nio.file.Files.createSymbolicLink(link, shared);
            }
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot link " + link + " to the cluster's PKI " + shared, ex);
        }
    }

    static ConnectorClient connector(final Path dataDir, final InetSocketAddress node, final String municipality)
        throws IOException
    {
        return connector(dataDir, node, municipality, Duration.ofSeconds(20));
    }

    /** A connector whose requests get {@code deadline} by default. */
    static ConnectorClient connector(
        final Path dataDir, final InetSocketAddress node, final String municipality, final Duration deadline)
        throws IOException
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        return ConnectorClient.builder()
            .nodes(List.of(node))
            .sslContext(TlsContexts.client(pki.issueConnector(municipality), PeerPolicy.relayClient()))
            .municipalityCode(municipality)
            .connectorName("test/" + municipality)
            .defaultTimeout(deadline)
            .build();
    }

    static SubmitRequest cardStatus(final String cardId)
    {
        return SubmitRequest.builder(Operation.CARD_STATUS).cardId(cardId).build();
    }
}
