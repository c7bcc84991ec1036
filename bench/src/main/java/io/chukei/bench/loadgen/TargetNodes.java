package io.chukei.bench.loadgen;

import io.chukei.gateway.cli.NodeFile;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.DevPki;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The nodes a run starts from and the dev PKI that issues the connectors' certificates, from
 * {@code --node}, {@code --data} and {@code --pki}. {@code --data} is a node's data directory
 * ({@code DIR/node.properties}, written by {@code chukei run}) or a cluster's, whose nodes' data
 * directories are its subdirectories ({@code DIR/node-1/node.properties}, ..., the layout of
 * ops/examples/cluster and of bench's LocalCluster). These are only the seeds: unless told not
 * to, the run learns the whole cluster from the first node's Welcome ({@link ClusterDiscovery}).
 *
 * @param seeds the nodes' connector addresses, as given
 * @param pki the dev PKI directory (holds the CA certificate)
 * @param source where the seeds came from, for the progress output
 */
record TargetNodes(List<InetSocketAddress> seeds, Path pki, String source)
{
    static final String NODE_FILE = NodeFile.NAME;
    private static final String PKI = "pki";

    TargetNodes
    {
        seeds = List.copyOf(seeds);
    }

    /**
     * @param nodes {@code --node} values (HOST:PORT), empty when none were given
     * @param data {@code --data}, or null
     * @param pki {@code --pki}, or null
     */
    static TargetNodes resolve(final List<String> nodes, final Path data, final Path pki) throws IOException
    {
        final List<InetSocketAddress> seeds = new ArrayList<>();
        final String source;
        Path pkiDir = pki;
        if (!nodes.isEmpty())
        {
            for (final String node : nodes)
            {
                seeds.add(HostPort.parse("--node", node).toSocketAddress());
            }
            source = "--node";
            if (pkiDir == null && data == null)
            {
                throw new IllegalArgumentException("--node without --pki or --data (expected: --pki DIR, the dev PKI of the nodes under test)");
            }
        }
        else if (data == null)
        {
            throw new IllegalArgumentException("no node given (expected: --data DIR, --node HOST:PORT with --pki DIR, or --embedded)");
        }
        else if (Files.isRegularFile(data.resolve(NODE_FILE)))
        {
            seeds.add(connectorOf(data.resolve(NODE_FILE)));
            source = data.resolve(NODE_FILE).toString();
        }
        else
        {
            final List<Path> nodeFiles = nodeFilesBelow(data);
            if (nodeFiles.isEmpty())
            {
                throw new IllegalArgumentException("--data " + data + ": no " + NODE_FILE + " in it or in its subdirectories" +
                    " (expected: the data directory of a running `chukei run`, or of a cluster whose nodes' data directories" +
                    " are its subdirectories, or --node HOST:PORT, or --embedded)");
            }
            for (final Path file : nodeFiles)
            {
                seeds.add(connectorOf(file));
            }
            source = data.resolve("*").resolve(NODE_FILE).toString();
        }
        if (pkiDir == null)
        {
            pkiDir = defaultPki(data);
        }
        if (!Files.exists(pkiDir.resolve(DevPki.CA_CERTIFICATE_FILE)))
        {
            throw new IllegalArgumentException("--pki " + pkiDir + ": no " + DevPki.CA_CERTIFICATE_FILE +
                " (expected: the dev PKI of the nodes under test, e.g. DIR/pki of `chukei run --data DIR`)");
        }
        return new TargetNodes(seeds, pkiDir, source);
    }

    /** DIR/pki; else, for a node's data directory inside a cluster's, the cluster's shared DIR/../pki. */
    private static Path defaultPki(final Path data)
    {
        final Path own = data.resolve(PKI);
        final Path parent = data.toAbsolutePath().getParent();
        if (!Files.exists(own.resolve(DevPki.CA_CERTIFICATE_FILE)) && parent != null &&
            Files.exists(parent.resolve(PKI).resolve(DevPki.CA_CERTIFICATE_FILE)))
        {
            return parent.resolve(PKI);
        }
        return own;
    }

    private static List<Path> nodeFilesBelow(final Path data) throws IOException
    {
        if (!Files.isDirectory(data))
        {
            return List.of();
        }
        try (Stream<Path> children = Files.list(data))
        {
            return children.map(child -> child.resolve(NODE_FILE)).filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static InetSocketAddress connectorOf(final Path nodeFile) throws IOException
    {
        return NodeFile.connector(nodeFile.getParent()).toSocketAddress();
    }
}
