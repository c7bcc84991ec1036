package io.chukei.gateway.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the dev PKI refuses to issue, signed by its CA all the same: weak keys, several
 * roles, no role (what an older version wrote). For tests of what the listeners and the PKI do with them.
 */
public final class TestIssuer
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestIssuer()
    {
    }

    public static KeyPair ecKeyPair() throws Exception
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    public static KeyPair rsaKeyPair(final int bits) throws Exception
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, RANDOM);
        return generator.generateKeyPair();
    }

    /**
     * A leaf signed by the CA in {@code pkiDir}, written as {@code pkiDir/test/<stem>.crt|.key}, for
     * these URIs and localhost/127.0.0.1, with these key usages.
     */
    public static CertificateFiles issue(final Path pkiDir, final String stem, final KeyPair keys, final List<String> uris,
        final List<KeyPurposeId> extendedKeyUsages)
    {
        final Path directory = pkiDir.resolve("test");
        final CertificateFiles files = new CertificateFiles(directory.resolve(stem + ".crt"),
            directory.resolve(stem + ".key"), pkiDir.resolve(DevPki.CA_CERTIFICATE_FILE));
        write(pkiDir, files, keys, names(uris, List.of("localhost"), List.of("127.0.0.1")), extendedKeyUsages);
        return files;
    }

    /** Replaces the files of a certificate the dev PKI issued, with client and server key usages. */
    public static void overwrite(final Path pkiDir, final CertificateFiles files, final KeyPair keys, final List<String> uris,
        final List<String> dnsNames, final List<String> ipAddresses)
    {
        write(pkiDir, files, keys, names(uris, dnsNames, ipAddresses),
            List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth));
    }

    /** A self-signed RSA CA as ca.crt and ca.key, as someone might put in place of the dev CA. */
    static void writeSelfSignedRsaCa(final Path pkiDir, final int bits) throws Exception
    {
        final KeyPair keys = rsaKeyPair(bits);
        final X500Name name = new X500Name("CN=weak test CA");
        final Instant now = Instant.now();
        final JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
        PemFiles.writePrivateKey(pkiDir.resolve(DevPki.CA_KEY_FILE), keys.getPrivate());
        PemFiles.writeCertificate(pkiDir.resolve(DevPki.CA_CERTIFICATE_FILE), new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()))));
    }

    private static List<SubjectAltName> names(final List<String> uris, final List<String> dnsNames,
        final List<String> ipAddresses)
    {
        final List<SubjectAltName> names = new ArrayList<>();
        uris.forEach(uri -> names.add(SubjectAltName.uri(uri)));
        dnsNames.forEach(dns -> names.add(SubjectAltName.dns(dns)));
        ipAddresses.forEach(ip -> names.add(SubjectAltName.ip(ip)));
        return names;
    }

    private static void write(final Path pkiDir, final CertificateFiles files, final KeyPair keys,
        final List<SubjectAltName> names, final List<KeyPurposeId> extendedKeyUsages)
    {
        final CertificateAuthority ca = new CertificateAuthority(
            PemFiles.readCertificate(pkiDir.resolve(DevPki.CA_CERTIFICATE_FILE)),
            PemFiles.readPrivateKey(pkiDir.resolve(DevPki.CA_KEY_FILE)), RANDOM);
        final LeafProfile profile = new LeafProfile("test-" + files.certificate().getFileName(), names, extendedKeyUsages);
        PemFiles.writePrivateKey(files.privateKey(), keys.getPrivate());
        PemFiles.writeCertificate(files.certificate(), ca.issue(profile, keys.getPublic(), Instant.now()));
    }
}
