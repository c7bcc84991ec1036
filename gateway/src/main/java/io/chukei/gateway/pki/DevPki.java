package io.chukei.gateway.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * A development PKI kept in one directory: a self-signed EC P-256 CA and the leaf certificates it
 * issues, as PEM files with PKCS#8 keys (owner-only where the file system has POSIX permissions).
 *
 * <pre>
 * dir/ca.crt, dir/ca.key                          the CA, created on first open, reused after
 * dir/connectors/&lt;municipality code&gt;.crt|.key    connectors (client)     urn:chukei:municipality:CODE
 * dir/nodes/&lt;name&gt;.crt|.key                       relay nodes (both)      urn:chukei:node:NAME
 * dir/upstreams/&lt;name&gt;.crt|.key                   card management (server) urn:chukei:card-management:NAME
 * dir/operators/&lt;name&gt;.crt|.key                   operators (client)      urn:chukei:operator:NAME
 * dir/viewers/&lt;name&gt;.crt|.key                     viewers (client)        urn:chukei:viewer:NAME
 * dir/revoked.txt                                 revoked serials ({@link #revoke}), one a line
 * dir/ca.crl                                      the CRL of those, signed by the CA ({@link #writeCrl})
 * </pre>
 *
 * Every leaf carries exactly one role URI ({@link PeerRole}). Issuing is idempotent: a
 * certificate on disk is reused while it is signed by this CA, matches its key, carries the names
 * and key usages asked for (so a certificate from a version without role URIs is reissued), has a
 * key of at least the {@link KeyStrength} minimum and is valid for at least {@link #RENEWAL_MARGIN};
 * otherwise it is replaced and {@link IssuedCertificate#reason()} says why. Changes are
 * serialised within the JVM and across processes by a lock file, so a node and a simulator
 * started together share one CA. Not for production: the CA key sits beside
 * the certificates it signs.
 */
public final class DevPki
{
    public static final String CA_CERTIFICATE_FILE = "ca.crt";
    public static final String CA_KEY_FILE = "ca.key";
    public static final String CONNECTORS_DIRECTORY = "connectors";
    public static final String NODES_DIRECTORY = "nodes";
    public static final String UPSTREAMS_DIRECTORY = "upstreams";
    public static final String OPERATORS_DIRECTORY = "operators";
    public static final String VIEWERS_DIRECTORY = "viewers";
    /** Names given to node and upstream certificates when the caller gives none: loopback only. */
    public static final List<String> DEFAULT_DNS_NAMES = List.of("localhost");
    public static final List<String> DEFAULT_IP_ADDRESSES = List.of("127.0.0.1");
    public static final String REVOKED_FILE = "revoked.txt";
    public static final String CRL_FILE = "ca.crl";
    /** How long a CRL written by {@link #revoke} is valid: nodes refuse every handshake once it is stale. */
    public static final Duration DEFAULT_CRL_VALIDITY = Duration.ofDays(7);
    /** A certificate expiring sooner than this is replaced rather than reused. */
    public static final Duration RENEWAL_MARGIN = Duration.ofDays(1);

    /** The hook for the JIS X 0402 check digit until protocol's validation package provides it. */
    public static final Predicate<String> FORMAT_ONLY = code -> true;

    private static final String LOCK_FILE = ".lock";
    private static final Pattern DNS_NAME = Pattern.compile(
        "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    /** File locks are per process; threads of one process are kept apart by this lock first. */
    private static final ReentrantLock PROCESS_LOCK = new ReentrantLock();

    private final Path directory;
    private final CertificateAuthority ca;
    private final boolean caCreated;
    private final Predicate<String> checkDigitRule;
    private final Clock clock;
    private final CheckedPairs checked;

    private DevPki(
        final Path directory,
        final CertificateAuthority ca,
        final boolean caCreated,
        final Predicate<String> checkDigitRule,
        final Clock clock,
        final CheckedPairs checked)
    {
        this.checked = checked;
        this.directory = directory;
        this.ca = ca;
        this.caCreated = caCreated;
        this.checkDigitRule = checkDigitRule;
        this.clock = clock;
    }

    /** Opens the PKI in the directory, creating the directory and the CA on first use. */
    public static DevPki openOrCreate(final Path directory)
    {
        return openOrCreate(directory, FORMAT_ONLY);
    }

    /**
     * As {@link #openOrCreate(Path)}, with the rule that municipality codes must also pass
     * (their check digit); the 6-digit format is always checked.
     */
    public static DevPki openOrCreate(final Path directory, final Predicate<String> checkDigitRule)
    {
        return openOrCreate(directory, checkDigitRule, Clock.systemUTC());
    }

    static DevPki openOrCreate(final Path directory, final Predicate<String> checkDigitRule, final Clock clock)
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(checkDigitRule, "checkDigitRule");
        Objects.requireNonNull(clock, "clock");
        final Path dir = directory.toAbsolutePath().normalize();
        try
        {
            io.chukei.gateway.files.PrivateFiles.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(dir + ": cannot create the PKI directory", ex);
        }
        return locked(dir, () -> openLocked(dir, checkDigitRule, clock));
    }

    private static DevPki openLocked(final Path dir, final Predicate<String> checkDigitRule, final Clock clock)
    {
        final Path certificateFile = dir.resolve(CA_CERTIFICATE_FILE);
        final Path keyFile = dir.resolve(CA_KEY_FILE);
        final boolean hasCertificate = Files.exists(certificateFile);
        final boolean hasKey = Files.exists(keyFile);
        final SecureRandom random = new SecureRandom();
        final Instant now = clock.instant();
        if (!hasCertificate && !hasKey)
        {
            final CertificateAuthority created = CertificateAuthority.create(random, now);
            // Key first: a certificate on disk then always has its key beside it.
            PemFiles.writePrivateKey(keyFile, created.privateKey());
            PemFiles.writeCertificate(certificateFile, created.certificate());
            return new DevPki(dir, created, true, checkDigitRule, clock, CheckedPairs.load(dir));
        }
        if (hasCertificate != hasKey)
        {
            throw new IllegalStateException(dir + ": " + (hasCertificate ? CA_KEY_FILE : CA_CERTIFICATE_FILE)
                + " is missing (expected: both " + CA_CERTIFICATE_FILE + " and " + CA_KEY_FILE
                + ", or neither to create a new CA)");
        }
        final X509Certificate certificate = PemFiles.readCertificate(certificateFile);
        final PrivateKey key = PemFiles.readPrivateKey(keyFile);
        final String weakness = KeyStrength.weakness(certificate.getPublicKey());
        if (weakness != null)
        {
            throw new IllegalStateException(certificateFile + ": the CA's key is " + weakness
                + "; remove the PKI directory to create a new one");
        }
        final CheckedPairs checked = CheckedPairs.load(dir);
        final String caPair = CheckedPairs.digest("ca-key", certificateFile, keyFile);
        if (!checked.contains(caPair))
        {
            if (!CertificateAuthority.keyMatches(key, certificate.getPublicKey()))
            {
                throw new IllegalStateException(keyFile + ": does not match " + CA_CERTIFICATE_FILE
                    + " (expected: the CA's own key; remove both files to create a new CA)");
            }
            checked.add(caPair);
        }
        if (now.isAfter(certificate.getNotAfter().toInstant()))
        {
            throw new IllegalStateException(certificateFile + ": expired on " + certificate.getNotAfter().toInstant()
                + " (expected: a valid CA; remove the PKI directory to create a new one)");
        }
        return new DevPki(dir, new CertificateAuthority(certificate, key, random), false, checkDigitRule, clock, checked);
    }

    public Path directory()
    {
        return directory;
    }

    /** The CA certificate file, which every endpoint trusts. */
    public Path caCertificate()
    {
        return directory.resolve(CA_CERTIFICATE_FILE);
    }

    public X509Certificate caX509Certificate()
    {
        return ca.certificate();
    }

    /** Whether {@link #openOrCreate} created the CA rather than finding one. */
    public boolean caCreated()
    {
        return caCreated;
    }

    /**
     * Checks a municipality code: six ASCII digits, then this PKI's check-digit rule.
     *
     * @throws IllegalArgumentException naming the code and what was expected
     */
    public void requireValidMunicipalityCode(final String municipalityCode)
    {
        requireValidMunicipalityCode(municipalityCode, checkDigitRule);
    }

    /**
     * Checks a municipality code without a PKI at hand (e.g. all of a command's arguments
     * before anything is written).
     *
     * @throws IllegalArgumentException naming the code and what was expected
     */
    public static void requireValidMunicipalityCode(final String municipalityCode, final Predicate<String> checkDigitRule)
    {
        if (!MunicipalityUri.isSixDigits(municipalityCode))
        {
            throw new IllegalArgumentException("municipalityCode: " + municipalityCode + " (expected: 6 digits)");
        }
        if (!checkDigitRule.test(municipalityCode))
        {
            throw new IllegalArgumentException(
                "municipalityCode: " + municipalityCode + " (expected: a valid check digit)");
        }
    }

    /** The client certificate of a connector: CN=connector-&lt;code&gt;, SAN URI urn:chukei:municipality:&lt;code&gt;. */
    public CertificateFiles issueConnector(final String municipalityCode)
    {
        return ensureConnector(municipalityCode).files();
    }

    /** As {@link #issueConnector}, telling whether the files were created, reused or replaced. */
    public IssuedCertificate ensureConnector(final String municipalityCode)
    {
        requireValidMunicipalityCode(municipalityCode);
        final LeafProfile profile = new LeafProfile(
            "connector-" + municipalityCode,
            List.of(SubjectAltName.uri(PeerRole.CONNECTOR.uri(municipalityCode))),
            List.of(KeyPurposeId.id_kp_clientAuth));
        return ensure(CONNECTORS_DIRECTORY, municipalityCode, profile);
    }

    /**
     * The certificate of a relay node ({@code urn:chukei:node:NAME}, serverAuth and clientAuth),
     * for serving connectors and for connecting upstream and to peers. With neither DNS names nor
     * IP addresses given, it names localhost and 127.0.0.1.
     */
    public CertificateFiles issueNode(final String name, final List<String> dnsNames, final List<String> ipAddresses)
    {
        return ensureNode(name, dnsNames, ipAddresses).files();
    }

    public IssuedCertificate ensureNode(final String name, final List<String> dnsNames, final List<String> ipAddresses)
    {
        return ensure(NODES_DIRECTORY, requireName(PeerRole.RELAY_NODE, name), serverProfile(PeerRole.RELAY_NODE, name,
            dnsNames, ipAddresses, List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth)));
    }

    /**
     * The server certificate of a card-management endpoint (e.g. the simulator): {@code
     * urn:chukei:card-management:NAME}, serverAuth only, for localhost and 127.0.0.1.
     */
    public CertificateFiles issueUpstream(final String name)
    {
        return ensureUpstream(name, List.of(), List.of()).files();
    }

    public IssuedCertificate ensureUpstream(
        final String name, final List<String> dnsNames, final List<String> ipAddresses)
    {
        return ensure(UPSTREAMS_DIRECTORY, requireName(PeerRole.CARD_MANAGEMENT, name), serverProfile(
            PeerRole.CARD_MANAGEMENT, name, dnsNames, ipAddresses, List.of(KeyPurposeId.id_kp_serverAuth)));
    }

    /** The client certificate of an operator ({@code urn:chukei:operator:NAME}, clientAuth) for the admin API. */
    public CertificateFiles issueOperator(final String name)
    {
        return ensureOperator(name).files();
    }

    public IssuedCertificate ensureOperator(final String name)
    {
        return ensure(OPERATORS_DIRECTORY, requireName(PeerRole.OPERATOR, name), clientProfile(PeerRole.OPERATOR, name));
    }

    /** The client certificate of a viewer ({@code urn:chukei:viewer:NAME}, clientAuth): reads the admin API only. */
    public CertificateFiles issueViewer(final String name)
    {
        return ensureViewer(name).files();
    }

    public IssuedCertificate ensureViewer(final String name)
    {
        return ensure(VIEWERS_DIRECTORY, requireName(PeerRole.VIEWER, name), clientProfile(PeerRole.VIEWER, name));
    }

    /**
     * Revokes the certificate in {@code certificateFile} (it must be this CA's), records it in
     * {@value #REVOKED_FILE} and rewrites {@value #CRL_FILE}, valid for {@link #DEFAULT_CRL_VALIDITY}.
     * Revoking a certificate twice keeps the first entry.
     *
     * @return the CRL file
     */
    public Path revoke(final Path certificateFile, final RevokedCertificate.Reason reason)
    {
        Objects.requireNonNull(reason, "reason");
        final X509Certificate certificate = PemFiles.readCertificate(certificateFile);
        if (!ca.signed(certificate))
        {
            throw new IllegalArgumentException(certificateFile + ": not issued by the CA in " + caCertificate()
                + " (expected: a certificate of this PKI)");
        }
        return locked(directory, () ->
        {
            final List<RevokedCertificate> revoked = readRevoked();
            if (revoked.stream().noneMatch(entry -> entry.serial().equals(certificate.getSerialNumber())))
            {
                revoked.add(new RevokedCertificate(certificate.getSerialNumber(), clock.instant(), reason,
                    certificate.getSubjectX500Principal().getName() + " " + certificateFile.getFileName()));
                writeRevoked(revoked);
            }
            return writeCrlLocked(revoked, DEFAULT_CRL_VALIDITY);
        });
    }

    /**
     * Writes {@value #CRL_FILE} afresh from {@value #REVOKED_FILE} (an empty CRL when nothing is
     * revoked), valid from now for {@code validity}: run it before the last one's nextUpdate.
     */
    public Path writeCrl(final Duration validity)
    {
        if (validity.isNegative() || validity.isZero())
        {
            throw new IllegalArgumentException("validity: " + validity + " (expected: > 0)");
        }
        return locked(directory, () -> writeCrlLocked(readRevoked(), validity));
    }

    /** The certificates revoked so far, oldest first. */
    public List<RevokedCertificate> revoked()
    {
        return locked(directory, this::readRevoked);
    }

    public Path crlFile()
    {
        return directory.resolve(CRL_FILE);
    }

    private Path writeCrlLocked(final List<RevokedCertificate> revoked, final Duration validity)
    {
        final Instant now = clock.instant();
        // Backdated like the certificates: a node whose clock is a little behind still takes the list.
        final Instant thisUpdate = now.minus(CertificateAuthority.BACKDATE);
        PemFiles.writeCrl(crlFile(), ca.crl(revoked, thisUpdate, now.plus(validity)));
        return crlFile();
    }

    private List<RevokedCertificate> readRevoked()
    {
        final Path file = directory.resolve(REVOKED_FILE);
        final List<RevokedCertificate> revoked = new ArrayList<>();
        if (!Files.exists(file))
        {
            return revoked;
        }
        try
        {
            int number = 0;
            for (final String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8))
            {
                number++;
                if (line.isBlank() || line.startsWith("#"))
                {
                    continue;
                }
                try
                {
                    revoked.add(RevokedCertificate.parseLine(line));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalStateException(file + " line " + number + ": " + ex.getMessage(), ex);
                }
            }
            return revoked;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(file + ": cannot read", ex);
        }
    }

    private void writeRevoked(final List<RevokedCertificate> revoked)
    {
        final StringBuilder text = new StringBuilder("# serial (hex) revoked-at (epoch seconds) reason # what it was\n");
        for (final RevokedCertificate entry : revoked)
        {
            text.append(entry.toLine()).append('\n');
        }
        final Path file = directory.resolve(REVOKED_FILE);
        final Path temporary = directory.resolve("." + REVOKED_FILE + ".tmp");
        try
        {
            // Owner-only from its creation, as everything in the PKI directory (it was 0644 until a node's next start).
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, io.chukei.gateway.files.PrivateFiles.fileAttributes(temporary));
            Files.writeString(temporary, text, java.nio.charset.StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(file + ": cannot write", ex);
        }
    }

    private static LeafProfile clientProfile(final PeerRole role, final String name)
    {
        return new LeafProfile(role.kind() + "-" + name, List.of(SubjectAltName.uri(role.uri(name))),
            List.of(KeyPurposeId.id_kp_clientAuth));
    }

    private static LeafProfile serverProfile(final PeerRole role, final String name, final List<String> dnsNames,
        final List<String> ipAddresses, final List<KeyPurposeId> extendedKeyUsages)
    {
        Objects.requireNonNull(dnsNames, "dnsNames");
        Objects.requireNonNull(ipAddresses, "ipAddresses");
        final boolean defaults = dnsNames.isEmpty() && ipAddresses.isEmpty();
        final List<SubjectAltName> altNames = new ArrayList<>();
        altNames.add(SubjectAltName.uri(role.uri(name)));
        for (final String dnsName : defaults ? DEFAULT_DNS_NAMES : dnsNames)
        {
            if (dnsName == null || !DNS_NAME.matcher(dnsName).matches())
            {
                throw new IllegalArgumentException("dnsName: " + dnsName + " (expected: a host name such as node-1.local)");
            }
            altNames.add(SubjectAltName.dns(dnsName));
        }
        for (final String ipAddress : defaults ? DEFAULT_IP_ADDRESSES : ipAddresses)
        {
            if (ipAddress == null)
            {
                throw new IllegalArgumentException("ipAddress: null (expected: an IPv4 or IPv6 literal)");
            }
            altNames.add(SubjectAltName.ip(ipAddress));
        }
        return new LeafProfile(name, altNames, extendedKeyUsages);
    }

    private static String requireName(final PeerRole role, final String name)
    {
        if (!role.isValidName(name))
        {
            throw new IllegalArgumentException("name: " + name + " (expected: " + role.nameRule() + ")");
        }
        return name;
    }

    private IssuedCertificate ensure(final String kind, final String stem, final LeafProfile profile)
    {
        final Path kindDirectory = directory.resolve(kind);
        final CertificateFiles files = new CertificateFiles(
            kindDirectory.resolve(stem + ".crt"), kindDirectory.resolve(stem + ".key"), caCertificate());
        return locked(directory, () ->
        {
            final Instant now = clock.instant();
            IssuedCertificate.Outcome outcome = IssuedCertificate.Outcome.CREATED;
            String reason = "";
            if (Files.exists(files.certificate()) || Files.exists(files.privateKey()))
            {
                reason = whyNotReusable(files, profile, now);
                if (reason == null)
                {
                    return new IssuedCertificate(files, IssuedCertificate.Outcome.REUSED, "");
                }
                outcome = IssuedCertificate.Outcome.REPLACED;
            }
            final KeyPair keyPair = ca.newKeyPair();
            final X509Certificate certificate = ca.issue(profile, keyPair.getPublic(), now);
            PemFiles.writePrivateKey(files.privateKey(), keyPair.getPrivate());
            PemFiles.writeCertificate(files.certificate(), certificate);
            return new IssuedCertificate(files, outcome, reason);
        });
    }

    /** Null when the files on disk can be kept; otherwise why not, for the caller's log line. */
    private String whyNotReusable(final CertificateFiles files, final LeafProfile profile, final Instant now)
    {
        if (!Files.exists(files.certificate()) || !Files.exists(files.privateKey()))
        {
            return Files.exists(files.certificate()) ? "its key file was missing" : "its certificate file was missing";
        }
        final X509Certificate certificate;
        final PrivateKey key;
        try
        {
            certificate = PemFiles.readCertificate(files.certificate());
            key = PemFiles.readPrivateKey(files.privateKey());
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            return "it could not be read (" + ex.getMessage() + ")";
        }
        if (now.isBefore(certificate.getNotBefore().toInstant()))
        {
            return "it was not valid yet";
        }
        if (!now.plus(RENEWAL_MARGIN).isBefore(certificate.getNotAfter().toInstant()))
        {
            return "it expired or was about to (" + certificate.getNotAfter().toInstant() + ")";
        }
        // The two signature checks, made once per set of files (CheckedPairs): the CA's signature and the key's match.
        final String issuedPair = CheckedPairs.digest("issued", caCertificate(), files.certificate(), files.privateKey());
        final boolean proven = checked.contains(issuedPair);
        if (!proven && !ca.signed(certificate))
        {
            return "another CA signed it";
        }
        final String weakness = KeyStrength.weakness(certificate.getPublicKey());
        if (weakness != null)
        {
            return "its key was " + weakness;
        }
        if (!SubjectAltName.of(certificate).equals(new HashSet<>(profile.subjectAltNames())))
        {
            // The usual case after an upgrade: certificates from before role URIs existed.
            return "its names differ (expected: " + describe(profile.subjectAltNames()) + ")";
        }
        if (!hasExtendedKeyUsages(certificate, profile.extendedKeyUsages()))
        {
            return "its extended key usages differ";
        }
        if (!proven)
        {
            if (!CertificateAuthority.keyMatches(key, certificate.getPublicKey()))
            {
                return "its key file did not match it";
            }
            checked.add(issuedPair);
        }
        return null;
    }

    private static String describe(final List<SubjectAltName> names)
    {
        final List<String> values = new ArrayList<>(names.size());
        for (final SubjectAltName name : names)
        {
            values.add(name.value());
        }
        return String.join(", ", values);
    }

    private static boolean hasExtendedKeyUsages(final X509Certificate certificate, final List<KeyPurposeId> wanted)
    {
        try
        {
            final List<String> present = certificate.getExtendedKeyUsage();
            if (present == null || present.size() != wanted.size())
            {
                return false;
            }
            for (final KeyPurposeId purpose : wanted)
            {
                if (!present.contains(purpose.getId()))
                {
                    return false;
                }
            }
            return true;
        }
        catch (final CertificateParsingException ex)
        {
            return false;
        }
    }

    private static <T> T locked(final Path dir, final Supplier<T> action)
    {
        PROCESS_LOCK.lock();
        final Path lockFile = dir.resolve(LOCK_FILE);
        try (FileChannel channel = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.WRITE), io.chukei.gateway.files.PrivateFiles.fileAttributes(lockFile)))
        {
            // Closing the channel releases the lock.
            channel.lock();
            return action.get();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(dir + ": cannot lock the PKI directory", ex);
        }
        finally
        {
            PROCESS_LOCK.unlock();
        }
    }
}
