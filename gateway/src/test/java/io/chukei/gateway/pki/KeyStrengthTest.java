package io.chukei.gateway.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;

class KeyStrengthTest
{
    @Test
    void rsaNeedsAtLeast2048Bits() throws Exception
    {
        assertThat(KeyStrength.weakness(TestIssuer.rsaKeyPair(2048).getPublic())).isNull();
        assertThat(KeyStrength.weakness(TestIssuer.rsaKeyPair(1024).getPublic()))
            .isEqualTo("RSA 1024 bits (expected: at least 2048)");
        assertThat(KeyStrength.weakness(TestIssuer.rsaKeyPair(2040).getPublic()))
            .isEqualTo("RSA 2040 bits (expected: at least 2048)");
    }

    @Test
    void ecNeedsACurveOfAtLeast256Bits() throws Exception
    {
        assertThat(KeyStrength.weakness(TestIssuer.ecKeyPair().getPublic())).isNull();
        assertThat(KeyStrength.weakness(ec("secp384r1"))).isNull();
        assertThat(KeyStrength.weakness(ec("secp224r1"))).isEqualTo("EC 224 bits (expected: at least 256)");
    }

    @Test
    void edDsaIsAcceptedAndDsaIsNot() throws Exception
    {
        assertThat(KeyStrength.weakness(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic())).isNull();
        final KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048);
        assertThat(KeyStrength.weakness(dsa.generateKeyPair().getPublic()))
            .isEqualTo("DSA key (expected: RSA >= 2048, EC >= 256 or EdDSA)");
    }

    private static java.security.PublicKey ec(final String curve) throws Exception
    {
        // The JDK no longer generates keys on small curves; BouncyCastle still does (as a local provider only).
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC",
            new org.bouncycastle.jce.provider.BouncyCastleProvider());
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair().getPublic();
    }
}
