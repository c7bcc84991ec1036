package io.chukei.gateway.node;

import io.chukei.gateway.pki.CertificateFiles;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client certificate for headless chromium, the way a person's browser on Linux holds one, without root and
 * without touching the machine's settings:
 * <ul>
 * <li>an NSS database in {@code HOME/.pki/nssdb} of a temporary HOME (chromium's per-user store on Linux), made
 *     with {@code certutil} and {@code pk12util} (Debian's libnss3-tools): the dev CA trusted for TLS servers,
 *     the viewer's certificate and key imported from a PKCS#12 file;</li>
 * <li>the profile's {@code Default/Preferences} with an {@code auto_select_certificate} content-setting exception for
 *     {@code https://127.0.0.1:*}: what the AutoSelectCertificateForUrls policy sets, but per profile. The policy itself
 *     is read on Linux only from {@code /etc/chromium/policies} (root-owned, machine-wide), and chromium's
 *     {@code --policy} switch is honoured only by debug Android builds, so the profile is the user-writable way; without
 *     either, headless chromium has nobody to ask which certificate to send and the handshake never completes.</li>
 * </ul>
 */
final class BrowserCertificate
{
    static final String CERTUTIL = System.getProperty("chukei.certutil", "/usr/bin/certutil");
    static final String PK12UTIL = System.getProperty("chukei.pk12util", "/usr/bin/pk12util");
    private static final String P12_PASSWORD = "chukei-test";

    private final Path home;
    private final Path profile;

    private BrowserCertificate(final Path home, final Path profile)
    {
        this.home = home;
        this.profile = profile;
    }

    /** A HOME and a chromium profile under {@code directory} that present {@code files}' certificate to 127.0.0.1. */
    static BrowserCertificate create(final Path directory, final CertificateFiles files) throws Exception
    {
        assertThat(Path.of(CERTUTIL)).as("certutil at %s: the status page test gives chromium a client certificate " +
            "through an NSS database; install it with `apt-get install -y libnss3-tools`", CERTUTIL).isExecutable();
        assertThat(Path.of(PK12UTIL)).as("pk12util at %s: install it with `apt-get install -y libnss3-tools`", PK12UTIL)
            .isExecutable();
        final Path home = Files.createDirectories(directory.resolve("home"));
        final Path nss = Files.createDirectories(home.resolve(".pki").resolve("nssdb"));
        final String db = "sql:" + nss;
        run(CERTUTIL, "-N", "-d", db, "--empty-password");
        run(CERTUTIL, "-A", "-d", db, "-n", "chukei-dev-ca", "-t", "C,,", "-i", files.caCertificate().toString());
        final Path p12 = directory.resolve("viewer.p12");
        writePkcs12(files, p12);
        run(PK12UTIL, "-d", db, "-i", p12.toString(), "-W", P12_PASSWORD);
        final Path profile = Files.createDirectories(directory.resolve("profile").resolve("Default"));
        Files.writeString(profile.resolve("Preferences"), "{\"profile\":{\"content_settings\":{\"exceptions\":" +
            "{\"auto_select_certificate\":{\"https://127.0.0.1:*,*\":{\"setting\":{\"filters\":[{}]}}}}}}}",
            StandardCharsets.UTF_8);
        return new BrowserCertificate(home, profile.getParent());
    }

    /** The HOME chromium must run with (its environment, through chromedriver's). */
    Path home()
    {
        return home;
    }

    /** The profile, for {@code --user-data-dir}. */
    Path userDataDir()
    {
        return profile;
    }

    private static void writePkcs12(final CertificateFiles files, final Path p12) throws Exception
    {
        final PrivateKey key;
        try (Reader reader = Files.newBufferedReader(files.privateKey()); PEMParser pem = new PEMParser(reader))
        {
            key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo)pem.readObject());
        }
        final CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        final Certificate leaf;
        final Certificate ca;
        try (InputStream in = Files.newInputStream(files.certificate()))
        {
            leaf = x509.generateCertificate(in);
        }
        try (InputStream in = Files.newInputStream(files.caCertificate()))
        {
            ca = x509.generateCertificate(in);
        }
        final KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("viewer", key, P12_PASSWORD.toCharArray(), new Certificate[] {leaf, ca});
        try (OutputStream out = Files.newOutputStream(p12))
        {
            store.store(out, P12_PASSWORD.toCharArray());
        }
    }

    private static void run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }
}
