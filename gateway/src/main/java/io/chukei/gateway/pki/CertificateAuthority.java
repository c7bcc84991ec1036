package io.chukei.gateway.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The dev CA's certificate and key, and the one place certificates are built. Keys are EC P-256
 * signed with SHA256withECDSA through the JDK's own providers; BouncyCastle only assembles the
 * certificates, so nothing is added to the global {@link java.security.Security} providers.
 */
final class CertificateAuthority
{
    static final Duration CA_VALIDITY = Duration.ofDays(3653);
    static final Duration LEAF_VALIDITY = Duration.ofDays(730);
    /** Certificates start an hour in the past so that small clock differences between hosts do not matter. */
    static final Duration BACKDATE = Duration.ofHours(1);

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final SecureRandom random;

    CertificateAuthority(final X509Certificate certificate, final PrivateKey privateKey, final SecureRandom random)
    {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.random = random;
    }

    static CertificateAuthority create(final SecureRandom random, final Instant now)
    {
        final KeyPair keyPair = newKeyPair(random);
        final X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Chukei development")
            // A random suffix tells two dev CAs apart in logs and error messages.
            .addRDN(BCStyle.CN, "Chukei dev CA " + Long.toHexString(random.nextLong() >>> 16))
            .build();
        try
        {
            final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, serialNumber(random), Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)),
                name, keyPair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            final X509Certificate certificate = sign(builder, keyPair.getPrivate());
            return new CertificateAuthority(certificate, keyPair.getPrivate(), random);
        }
        catch (final GeneralSecurityException | CertIOException ex)
        {
            throw new IllegalStateException("cannot create the dev CA", ex);
        }
    }

    X509Certificate certificate()
    {
        return certificate;
    }

    PrivateKey privateKey()
    {
        return privateKey;
    }

    KeyPair newKeyPair()
    {
        return newKeyPair(random);
    }

    /** A leaf certificate for the public key, valid for {@link #LEAF_VALIDITY} but never beyond the CA. */
    X509Certificate issue(final LeafProfile profile, final PublicKey publicKey, final Instant now)
    {
        final Instant caNotAfter = certificate.getNotAfter().toInstant();
        final Instant wanted = now.plus(LEAF_VALIDITY);
        final Instant notAfter = wanted.isBefore(caNotAfter) ? wanted : caNotAfter;
        final GeneralName[] altNames = profile.subjectAltNames().stream()
            .map(SubjectAltName::toGeneralName)
            .toArray(GeneralName[]::new);
        final X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Chukei development")
            .addRDN(BCStyle.CN, profile.commonName())
            .build();
        try
        {
            final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                certificate, serialNumber(random), Date.from(now.minus(BACKDATE)), Date.from(notAfter),
                subject, publicKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(profile.extendedKeyUsages().toArray(KeyPurposeId[]::new)))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
                .addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(certificate));
            return sign(builder, privateKey);
        }
        catch (final GeneralSecurityException | CertIOException ex)
        {
            throw new IllegalStateException("cannot issue a certificate for " + profile.commonName(), ex);
        }
    }

    /**
     * A CRL listing {@code revoked}, valid from {@code thisUpdate} to {@code nextUpdate}. The CRL number
     * is {@code thisUpdate} in milliseconds, so a later list always has a higher number.
     */
    X509CRL crl(final List<RevokedCertificate> revoked, final Instant thisUpdate, final Instant nextUpdate)
    {
        try
        {
            final X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate, Date.from(thisUpdate))
                .setNextUpdate(Date.from(nextUpdate))
                .addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate))
                .addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(thisUpdate.toEpochMilli())));
            for (final RevokedCertificate entry : revoked)
            {
                builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), entry.reason().code());
            }
            final ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(privateKey);
            return new JcaX509CRLConverter().getCRL(builder.build(signer));
        }
        catch (final GeneralSecurityException | CertIOException | OperatorCreationException ex)
        {
            throw new IllegalStateException("cannot sign a CRL with the dev CA", ex);
        }
    }

    /** Whether this CA signed the certificate. */
    boolean signed(final X509Certificate leaf)
    {
        if (!leaf.getIssuerX500Principal().equals(certificate.getSubjectX500Principal()))
        {
            return false;
        }
        try
        {
            leaf.verify(certificate.getPublicKey());
            return true;
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    /** Whether the private key belongs to the public key: a key file and certificate written as a pair may not be. */
    static boolean keyMatches(final PrivateKey privateKey, final PublicKey publicKey)
    {
        try
        {
            final byte[] probe = "chukei-dev-pki-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            final Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(privateKey);
            signer.update(probe);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    private static KeyPair newKeyPair(final SecureRandom random)
    {
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("EC P-256 key generation is unavailable in this JDK", ex);
        }
    }

    private static BigInteger serialNumber(final SecureRandom random)
    {
        // Positive, non-zero and at most 20 octets (RFC 5280, 4.1.2.2).
        return new BigInteger(127, random).setBit(126);
    }

    private static X509Certificate sign(final X509v3CertificateBuilder builder, final PrivateKey signingKey)
        throws CertificateException
    {
        final ContentSigner signer;
        try
        {
            signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
        }
        catch (final OperatorCreationException ex)
        {
            throw new IllegalStateException("cannot sign with " + SIGNATURE_ALGORITHM, ex);
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }
}
