package io.chukei.bench.loadgen;

import io.chukei.gateway.pki.DevPki;
import io.chukei.protocol.client.ClusterNode;
import io.chukei.protocol.sbe.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a run's nodes and PKI come from ({@code --node}, {@code --data}, {@code --pki}) and what a cluster view adds: files only. */
class TargetNodesTest
{
    @TempDir
    Path dir;

    @Test
    void aNodesDataDirectoryGivesItsConnectorAndItsOwnPki() throws IOException
    {
        nodeFile(dir, "127.0.0.1:7400");
        pki(dir.resolve("pki"));

        final TargetNodes nodes = TargetNodes.resolve(List.of(), dir, null);

        assertThat(nodes.seeds()).containsExactly(new InetSocketAddress("127.0.0.1", 7400));
        assertThat(nodes.pki()).isEqualTo(dir.resolve("pki"));
    }

    @Test
    void aClusterNodesDataDirectoryFallsBackToTheClustersSharedPki() throws IOException
    {
        nodeFile(dir.resolve("node-2"), "127.0.0.1:7402");
        pki(dir.resolve("pki"));

        final TargetNodes nodes = TargetNodes.resolve(List.of(), dir.resolve("node-2"), null);

        assertThat(nodes.seeds()).containsExactly(new InetSocketAddress("127.0.0.1", 7402));
        assertThat(nodes.pki()).isEqualTo(dir.toAbsolutePath().resolve("pki"));
    }

    @Test
    void aClustersDataDirectoryGivesEveryNodeBelowIt() throws IOException
    {
        nodeFile(dir.resolve("node-1"), "127.0.0.1:7401");
        nodeFile(dir.resolve("node-3"), "127.0.0.1:7403");
        nodeFile(dir.resolve("node-2"), "127.0.0.1:7402");
        Files.createDirectories(dir.resolve("cardsim"));
        pki(dir.resolve("pki"));

        final TargetNodes nodes = TargetNodes.resolve(List.of(), dir, null);

        assertThat(nodes.seeds()).containsExactly(new InetSocketAddress("127.0.0.1", 7401), new InetSocketAddress("127.0.0.1", 7402),
            new InetSocketAddress("127.0.0.1", 7403));
        assertThat(nodes.pki()).isEqualTo(dir.resolve("pki"));
    }

    @Test
    void repeatedNodesAreAllSeedsWithTheGivenPki() throws IOException
    {
        pki(dir.resolve("ca"));

        final TargetNodes nodes = TargetNodes.resolve(List.of("127.0.0.1:7401", "localhost:7402"), null, dir.resolve("ca"));

        assertThat(nodes.seeds()).extracting(Connections::name).containsExactly("127.0.0.1:7401", "localhost:7402");
    }

    @Test
    void aDirectoryWithoutNodeFilesIsRefusedNamingWhatWasExpected()
    {
        assertThatThrownBy(() -> TargetNodes.resolve(List.of(), dir, null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--data " + dir + ": no node.properties in it or in its subdirectories");
    }

    @Test
    void aPkiWithoutItsCaCertificateIsRefused() throws IOException
    {
        nodeFile(dir, "127.0.0.1:7400");

        assertThatThrownBy(() -> TargetNodes.resolve(List.of(), dir, null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no " + DevPki.CA_CERTIFICATE_FILE);
    }

    @Test
    void nodeWithoutPkiOrDataIsRefused()
    {
        assertThatThrownBy(() -> TargetNodes.resolve(List.of("127.0.0.1:7401"), null, null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--node without --pki or --data");
    }

    @Test
    void aClusterViewGivesItsNodesInIdOrderAsWrittenThere()
    {
        final List<InetSocketAddress> seed = List.of(new InetSocketAddress("localhost", 7401));
        final List<ClusterNode> view = List.of(new ClusterNode(3, NodeState.SUSPECT, "127.0.0.1:7403"),
            new ClusterNode(1, NodeState.ACTIVE, "127.0.0.1:7401"), new ClusterNode(2, NodeState.ACTIVE, "127.0.0.1:7402"));

        assertThat(ClusterDiscovery.nodesOf(view, seed)).extracting(Connections::name)
            .containsExactly("127.0.0.1:7401", "127.0.0.1:7402", "127.0.0.1:7403");
    }

    @Test
    void aSingleNodesViewKeepsTheAddressDialled()
    {
        final List<InetSocketAddress> seed = List.of(new InetSocketAddress("localhost", 7400));

        assertThat(ClusterDiscovery.nodesOf(List.of(new ClusterNode(1, NodeState.ACTIVE, "0.0.0.0:7400")), seed)).isEqualTo(seed);
    }

    @Test
    void discoveryIsOnUnlessNegated()
    {
        final LoadGenerator byDefault = new LoadGenerator();
        new CommandLine(byDefault).parseArgs("--node", "127.0.0.1:7401");
        final LoadGenerator negated = new LoadGenerator();
        new CommandLine(negated).parseArgs("--node", "127.0.0.1:7401,127.0.0.1:7402", "--no-discover");

        assertThat(byDefault.discovers()).isTrue();
        assertThat(negated.discovers()).isFalse();
    }

    private static void nodeFile(final Path dataDir, final String connector) throws IOException
    {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(TargetNodes.NODE_FILE), "connector=" + connector + "\nadmin=127.0.0.1:7500\n",
            StandardCharsets.UTF_8);
    }

    private static void pki(final Path pkiDir) throws IOException
    {
        Files.createDirectories(pkiDir);
        Files.writeString(pkiDir.resolve(DevPki.CA_CERTIFICATE_FILE), "not read here", StandardCharsets.UTF_8);
    }
}
