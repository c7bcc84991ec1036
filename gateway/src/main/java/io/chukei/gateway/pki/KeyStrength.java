package io.chukei.gateway.pki;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * The minimum key sizes for every certificate Chukei uses or accepts: RSA at least
 * {@value #MIN_RSA_BITS} bits, EC on a curve of at least {@value #MIN_EC_BITS} bits, and
 * EdDSA (Ed25519, Ed448). Anything else (DSA, unknown types) is refused: TLS 1.3 cannot use it anyway.
 */
public final class KeyStrength
{
    public static final int MIN_RSA_BITS = 2048;
    public static final int MIN_EC_BITS = 256;

    private KeyStrength()
    {
    }

    /** Null when the key is strong enough; otherwise what it is and what was expected, e.g. {@code RSA 1024 bits (expected: at least 2048)}. */
    public static String weakness(final PublicKey key)
    {
        if (key instanceof RSAPublicKey rsa)
        {
            final int bits = rsa.getModulus().bitLength();
            return bits >= MIN_RSA_BITS ? null : "RSA " + bits + " bits (expected: at least " + MIN_RSA_BITS + ")";
        }
        if (key instanceof ECPublicKey ec)
        {
            final int bits = ec.getParams().getOrder().bitLength();
            return bits >= MIN_EC_BITS ? null : "EC " + bits + " bits (expected: at least " + MIN_EC_BITS + ")";
        }
        final String algorithm = key == null ? "no key" : key.getAlgorithm();
        if ("EdDSA".equals(algorithm) || "Ed25519".equals(algorithm) || "Ed448".equals(algorithm))
        {
            return null;
        }
        return algorithm + " key (expected: RSA >= " + MIN_RSA_BITS + ", EC >= " + MIN_EC_BITS + " or EdDSA)";
    }
}
