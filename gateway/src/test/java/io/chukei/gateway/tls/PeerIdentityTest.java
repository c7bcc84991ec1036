package io.chukei.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.PeerRole;
import io.chukei.gateway.tls.PeerIdentity.Status;

class PeerIdentityTest
{
    @TempDir
    Path dir;

    @Test
    void everyDevPkiCertificateCarriesItsRole() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        assertIdentity(pki.issueConnector("131016").certificate(), PeerRole.CONNECTOR, "131016");
        assertIdentity(pki.issueNode("node-1", List.of(), List.of()).certificate(), PeerRole.RELAY_NODE, "node-1");
        assertIdentity(pki.issueUpstream("cardsim").certificate(), PeerRole.CARD_MANAGEMENT, "cardsim");
        assertIdentity(pki.issueOperator("sato").certificate(), PeerRole.OPERATOR, "sato");
        assertIdentity(pki.issueViewer("suzuki").certificate(), PeerRole.VIEWER, "suzuki");
    }

    @Test
    void aCertificateWithTwoRolesHasNone() throws Exception
    {
        final PeerIdentity identity = PeerIdentity.of(
            TestCertificates.withUris("urn:chukei:municipality:131016", "urn:chukei:node:node-1"));

        assertThat(identity.status()).isEqualTo(Status.SEVERAL_ROLES);
        assertThat(identity).hasToString(
            "SEVERAL_ROLES (urn:chukei:municipality:131016 and urn:chukei:node:node-1)");
        assertThatThrownBy(identity::role).isInstanceOf(IllegalStateException.class)
            .hasMessage("status: SEVERAL_ROLES (expected: PRESENT)");
    }

    @Test
    void twoNamesOfOneRoleAreAmbiguous() throws Exception
    {
        assertThat(PeerIdentity.of(TestCertificates.withUris("urn:chukei:operator:sato", "URN:CHUKEI:OPERATOR:tanaka"))
            .status()).isEqualTo(Status.SEVERAL_IDENTITIES);
    }

    @Test
    void urisOutsideTheNamespaceAreIgnored() throws Exception
    {
        assertThat(PeerIdentity.of(TestCertificates.withUris("https://example.org/node-1", "urn:other:node:node-1"))
            .status()).isEqualTo(Status.NO_ROLE);
        assertThat(PeerIdentity.of(TestCertificates.withUris()).status()).isEqualTo(Status.NO_ROLE);
    }

    @Test
    void anUnknownKindOrABadNameIsMalformed() throws Exception
    {
        assertThat(PeerIdentity.of(TestCertificates.withUris("urn:chukei:admin:root")).status())
            .isEqualTo(Status.MALFORMED);
        assertThat(PeerIdentity.of(TestCertificates.withUris("urn:chukei:municipality:13101")).status())
            .isEqualTo(Status.MALFORMED);
        assertThat(PeerIdentity.of(TestCertificates.withUris("urn:chukei:node:../etc")).status())
            .isEqualTo(Status.MALFORMED);
        assertThat(PeerIdentity.of(TestCertificates.withUris("urn:chukei:node")).status())
            .isEqualTo(Status.MALFORMED);
    }

    @Test
    void theRolePrefixIsMatchedWithoutRegardToCase() throws Exception
    {
        final PeerIdentity identity = PeerIdentity.of(TestCertificates.withUris("URN:Chukei:Node:node-7"));

        assertThat(identity.role()).isEqualTo(PeerRole.RELAY_NODE);
        assertThat(identity.name()).isEqualTo("node-7");
    }

    private static void assertIdentity(final Path certificate, final PeerRole role, final String name) throws Exception
    {
        final PeerIdentity identity = PeerIdentity.of(TestCertificates.read(certificate));
        assertThat(identity.status()).isEqualTo(Status.PRESENT);
        assertThat(identity.role()).isEqualTo(role);
        assertThat(identity.name()).isEqualTo(name);
    }
}
