package io.chukei.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.chukei.gateway.pki.PeerRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class PeerPolicyTest
{
    private final List<String> lines = new ArrayList<>();
    private long nowNs;

    @Test
    void acceptsTheRolesItNames() throws Exception
    {
        final PeerPolicy admin = policy(PeerRole.OPERATOR, PeerRole.VIEWER);

        assertThat(admin.check(chain("urn:chukei:operator:sato"))).isNull();
        assertThat(admin.check(chain("urn:chukei:viewer:suzuki"))).isNull();
    }

    @Test
    void refusesAnotherRoleNamingWhatItExpected() throws Exception
    {
        final PeerRefusedException refusal = policy(PeerRole.RELAY_NODE).check(chain("urn:chukei:municipality:011002"));

        assertThat(refusal.reason()).isEqualTo(PeerRefusal.WRONG_ROLE);
        assertThat(refusal).hasMessage("municipality 011002 (expected: urn:chukei:node:NAME)");
    }

    @Test
    void refusesACertificateCarryingTwoRoles() throws Exception
    {
        final PeerRefusedException refusal = policy(PeerRole.CONNECTOR)
            .check(chain("urn:chukei:municipality:131016", "urn:chukei:node:node-1"));

        assertThat(refusal.reason()).isEqualTo(PeerRefusal.SEVERAL_ROLES);
    }

    @Test
    void refusesACertificateWithoutARoleAndSaysHowToFixAnOldDevPki() throws Exception
    {
        final PeerRefusedException refusal = policy(PeerRole.CARD_MANAGEMENT).check(chain());

        assertThat(refusal.reason()).isEqualTo(PeerRefusal.NO_ROLE);
        assertThat(refusal.getMessage()).contains("expected: urn:chukei:card-management:NAME", "chukei pki");
    }

    @Test
    void refusesAWeakKeyWhateverTheRole() throws Exception
    {
        final KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        final X509Certificate weak = TestCertificates.withKeyAndUris(rsa.generateKeyPair(), "urn:chukei:municipality:131016");

        final PeerRefusedException refusal = policy(PeerRole.CONNECTOR).check(new X509Certificate[] { weak });

        assertThat(refusal.reason()).isEqualTo(PeerRefusal.WEAK_KEY);
        assertThat(refusal).hasMessage("certificate key RSA 1024 bits (expected: at least 2048)");
    }

    @Test
    void refusalsAreCountedByReasonAndExposedAsAMetric() throws Exception
    {
        final PeerPolicy policy = policy(PeerRole.RELAY_NODE);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        policy.bindTo(registry);

        policy.refused(policy.check(chain("urn:chukei:municipality:011002")), "127.0.0.1:5000");
        policy.refused(policy.check(chain("urn:chukei:municipality:011002")), "127.0.0.1:5001");

        assertThat(policy.refusedCount(PeerRefusal.WRONG_ROLE)).isEqualTo(2);
        assertThat(registry.get("chukei.tls.peers.refused").tag("link", "test").tag("reason", "wrong_role")
            .functionCounter().count()).isEqualTo(2.0);
        assertThat(registry.get("chukei.tls.peers.refused").tag("reason", "weak_key").functionCounter().count())
            .isZero();
    }

    @Test
    void aRepeatedRefusalIsLoggedOncePerIntervalWithTheCountOfTheOthers() throws Exception
    {
        final PeerPolicy policy = policy(PeerRole.RELAY_NODE);

        for (int i = 0; i < 5; i++)
        {
            policy.refused(policy.check(chain("urn:chukei:municipality:011002")), "127.0.0.1:" + (5000 + i));
        }
        nowNs += RefusalLog.INTERVAL_NS;
        policy.refused(policy.check(chain("urn:chukei:municipality:011002")), "127.0.0.1:6000");

        assertThat(lines).containsExactly(
            "TLS test: refused 127.0.0.1:5000, wrong_role: municipality 011002 (expected: urn:chukei:node:NAME)",
            "TLS test: refused 127.0.0.1:6000, wrong_role: municipality 011002 (expected: urn:chukei:node:NAME)"
                + " (4 more refused for wrong_role since the last line)");
    }

    @Test
    void controlCharactersInARefusalNeverReachTheLog()
    {
        final PeerPolicy policy = policy(PeerRole.RELAY_NODE);

        policy.refused(new PeerRefusedException(PeerRefusal.NO_ROLE, "CN=forged\n2026-01-01 INFO all is well\u2028", null),
            "127.0.0.1:5000");

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\n").doesNotContain("\u2028").contains("CN=forged\\n2026-01-01");
    }

    private PeerPolicy policy(final PeerRole first, final PeerRole... more)
    {
        return new PeerPolicy("test", EnumSet.of(first, more), lines::add, () -> nowNs);
    }

    private static X509Certificate[] chain(final String... uris) throws Exception
    {
        return new X509Certificate[] { TestCertificates.withUris(uris) };
    }
}
