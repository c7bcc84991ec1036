package io.chukei.gateway.cluster;

import io.chukei.gateway.config.HostPort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterMemberTest
{
    private static final String KEY = "cluster.nodes";

    @Test
    void aListGivesEachNodeItsConnectorAndAdminAddress()
    {
        final List<ClusterMember> members = ClusterMember.parseList(KEY,
            "1@127.0.0.1:7400/127.0.0.1:7500, 2@10.0.0.2:7410/10.0.0.2:7510");

        assertThat(members).containsExactly(
            new ClusterMember(1, new HostPort("127.0.0.1", 7400), new HostPort("127.0.0.1", 7500)),
            new ClusterMember(2, new HostPort("10.0.0.2", 7410), new HostPort("10.0.0.2", 7510)));
    }

    @Test
    void blankTextIsAClusterOfNoListedNodes()
    {
        assertThat(ClusterMember.parseList(KEY, "  ")).isEmpty();
    }

    @Test
    void anEntryWithoutAdminAddressNamesTheFormat()
    {
        assertThatThrownBy(() -> ClusterMember.parseList(KEY, "1@127.0.0.1:7400"))
            .hasMessage("cluster.nodes: '1@127.0.0.1:7400' (expected: ID@CONNECTOR_HOST:PORT/ADMIN_HOST:PORT[,...])");
    }

    @Test
    void aNonNumericIdIsNamed()
    {
        assertThatThrownBy(() -> ClusterMember.parseList(KEY, "one@127.0.0.1:7400/127.0.0.1:7500"))
            .hasMessageStartingWith("cluster.nodes: 'one@127.0.0.1:7400/127.0.0.1:7500' has node id 'one'");
    }

    @Test
    void anIdOutOfRangeIsNamed()
    {
        assertThatThrownBy(() -> ClusterMember.parseList(KEY, "0@127.0.0.1:7400/127.0.0.1:7500"))
            .hasMessage("cluster.nodes: '0@127.0.0.1:7400/127.0.0.1:7500' has node id 0 (expected: 1..65534)");
    }

    @Test
    void aBadAddressNamesTheNodeAndWhichAddress()
    {
        assertThatThrownBy(() -> ClusterMember.parseList(KEY, "2@127.0.0.1:7400/127.0.0.1"))
            .hasMessage("cluster.nodes (admin address of node 2): '127.0.0.1' (expected: host:port)");
    }

    @Test
    void aDuplicateIdIsAnError()
    {
        assertThatThrownBy(() -> ClusterMember.parseList(KEY, "1@h:1/h:2,1@h:3/h:4"))
            .hasMessage("cluster.nodes: node id 1 appears twice (expected: unique ids)");
    }

    @Test
    void anEmptyEntryIsAnError()
    {
        assertThatThrownBy(() -> ClusterMember.parseList(KEY, "1@h:1/h:2,,2@h:3/h:4"))
            .hasMessageContaining("has an empty entry");
    }
}
