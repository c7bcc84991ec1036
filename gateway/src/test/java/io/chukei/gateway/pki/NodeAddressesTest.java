package io.chukei.gateway.pki;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeAddressesTest
{
    @Test
    void loopbackListenersKeepTheDefaultNames()
    {
        assertThat(NodeAddresses.forListenHosts(List.of("127.0.0.1", "127.0.0.1"))).containsExactly("127.0.0.1");
    }

    @Test
    void aSpecificListenAddressIsNamedOnce()
    {
        assertThat(NodeAddresses.forListenHosts(List.of("10.1.0.1", "10.1.0.1")))
            .containsExactly("127.0.0.1", "10.1.0.1");
    }

    @Test
    void wildcardsAndHostNamesAreNotAddressesToName()
    {
        assertThat(NodeAddresses.forListenHosts(List.of("0.0.0.0", "::", "node-1.example"))).containsExactly("127.0.0.1");
    }
}
