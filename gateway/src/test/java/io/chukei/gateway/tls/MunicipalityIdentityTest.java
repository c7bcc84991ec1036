package io.chukei.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.lang.reflect.Proxy;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityIdentity.Status;

class MunicipalityIdentityTest
{
    @TempDir
    Path dir;

    @Test
    void readsTheMunicipalityFromAConnectorCertificate() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        final MunicipalityIdentity identity = MunicipalityIdentity.of(
            TestCertificates.read(pki.issueConnector("131016").certificate()));

        assertThat(identity.status()).isEqualTo(Status.PRESENT);
        assertThat(identity.municipalityCode()).isEqualTo("131016");
        assertThat(identity).hasToString("municipality 131016");
    }

    @Test
    void nodeCertificateCarriesNoMunicipality() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dir);

        final MunicipalityIdentity identity = MunicipalityIdentity.of(
            TestCertificates.read(pki.issueNode("node-1", List.of(), List.of()).certificate()));

        assertThat(identity.status()).isEqualTo(Status.NO_IDENTITY);
        assertThatThrownBy(identity::municipalityCode)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("status: NO_IDENTITY (expected: PRESENT)");
    }

    @Test
    void certificateWithoutAlternativeNamesCarriesNoMunicipality() throws Exception
    {
        assertThat(MunicipalityIdentity.of(TestCertificates.withUris()).status()).isEqualTo(Status.NO_IDENTITY);
    }

    @Test
    void ignoresUrisOfOtherKinds() throws Exception
    {
        final MunicipalityIdentity identity = MunicipalityIdentity.of(
            TestCertificates.withUris("https://example.invalid/", "urn:chukei:municipality:422011"));

        assertThat(identity.municipalityCode()).isEqualTo("422011");
    }

    @Test
    void twoMunicipalitiesAreAmbiguous() throws Exception
    {
        final MunicipalityIdentity identity = MunicipalityIdentity.of(
            TestCertificates.withUris("urn:chukei:municipality:131016", "urn:chukei:municipality:422011"));

        assertThat(identity.status()).isEqualTo(Status.SEVERAL_IDENTITIES);
    }

    @Test
    void aSecondIdentityInOtherCaseIsStillASecondIdentity() throws Exception
    {
        final MunicipalityIdentity identity = MunicipalityIdentity.of(
            TestCertificates.withUris("urn:chukei:municipality:131016", "URN:CHUKEI:MUNICIPALITY:422011"));

        assertThat(identity.status()).isEqualTo(Status.SEVERAL_IDENTITIES);
    }

    @Test
    void codeThatIsNotSixDigitsIsMalformed() throws Exception
    {
        for (final String code : List.of("13101", "1310160", "13101x", ""))
        {
            assertThat(MunicipalityIdentity.of(TestCertificates.withUris("urn:chukei:municipality:" + code)).status())
                .as(code)
                .isEqualTo(Status.MALFORMED);
        }
    }

    @Test
    void sessionWithoutPeerCertificateHasNoIdentity()
    {
        final SSLSession unverified = (SSLSession)Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] { SSLSession.class }, (proxy, method, args) ->
            {
                if (method.getName().equals("getPeerCertificates"))
                {
                    throw new SSLPeerUnverifiedException("peer not authenticated");
                }
                throw new UnsupportedOperationException(method.getName());
            });

        assertThat(MunicipalityIdentity.of(unverified).status()).isEqualTo(Status.NO_PEER_CERTIFICATE);
    }
}
