package io.chukei.gateway.admission;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class SourceAddressTest
{
    @Test
    void anIpv4AddressIsItsOwnKeyWhateverThePort() throws Exception
    {
        assertThat(key("192.0.2.7", 40_000)).isEqualTo(key("192.0.2.7", 50_000)).isNotEqualTo(key("192.0.2.8", 40_000));
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareAKey() throws Exception
    {
        assertThat(key("2001:db8:1:2:aaaa::1", 40_000)).isEqualTo(key("2001:db8:1:2:bbbb:cccc:dddd:eeee", 40_000));
        assertThat(key("2001:db8:1:2::1", 40_000)).isNotEqualTo(key("2001:db8:1:3::1", 40_000));
    }

    @Test
    void anIpv4MappedAddressCountsAsItsIpv4Address() throws Exception
    {
        final byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xFF, (byte)0xFF, (byte)192, 0, 2, 7};
        final InetAddress address = java.net.Inet6Address.getByAddress(null, mapped, null);

        assertThat(SourceAddress.keyOf(new InetSocketAddress(address, 1))).isEqualTo(InetAddress.getByName("192.0.2.7"));
    }

    @Test
    void anAddressThatIsNotAnInternetAddressIsItsOwnKey()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();

        assertThat(SourceAddress.keyOf(channel.remoteAddress())).isEqualTo(channel.remoteAddress());
        channel.finishAndReleaseAll();
    }

    private static Object key(final String address, final int port) throws Exception
    {
        return SourceAddress.keyOf(new InetSocketAddress(InetAddress.getByName(address), port));
    }
}
