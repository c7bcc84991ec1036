package io.chukei.gateway.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.pki.IssuedCertificate;
import io.chukei.gateway.pki.PeerRole;
import io.chukei.gateway.pki.RevokedCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chukei pki}: the development PKI under {@code DATA/pki}. Exit codes follow picocli:
 * 0 done, 2 bad input (nothing written), 1 the PKI directory could not be used.
 */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = "Development PKI: a CA and the certificates of relay nodes, card-management endpoints, connectors, "
        + "operators and viewers, each with one role URI (urn:chukei:ROLE:NAME).",
    subcommands = { PkiCommand.Init.class, PkiCommand.IssueConnector.class, PkiCommand.IssueNode.class,
        PkiCommand.IssueUpstream.class, PkiCommand.IssueOperator.class, PkiCommand.IssueViewer.class,
        PkiCommand.Revoke.class, PkiCommand.Crl.class })
public final class PkiCommand implements Runnable
{
    /** Where the PKI lives inside the data directory. */
    public static final String PKI_DIRECTORY = "pki";
    public static final String DEFAULT_NODE = "node-1";
    public static final String DEFAULT_UPSTREAM = "cardsim";
    /** Replace with protocol's check-digit rule once it exists; until then only the 6-digit format is checked. */
    static final Predicate<String> CHECK_DIGIT_RULE = MunicipalityCodes::isValid;

    private static final int EXIT_OK = 0;
    private static final int EXIT_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "Missing subcommand (expected: init, issue-connector, issue-node, "
            + "issue-upstream, issue-operator, issue-viewer, revoke or crl)");
    }

    /** The {@code --data DIR} option every subcommand takes. */
    static final class DataDirectory
    {
        @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Data directory; the PKI is kept in DIR/" + PKI_DIRECTORY + ".")
        Path data;

        Path pki()
        {
            return data.resolve(PKI_DIRECTORY);
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create the CA, the node certificate '" + DEFAULT_NODE + "' and the upstream certificate '"
            + DEFAULT_UPSTREAM + "' where missing (localhost, 127.0.0.1).")
    static final class Init implements Callable<Integer>
    {
        @Mixin
        DataDirectory directory;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return run(spec, () ->
            {
                final DevPki pki = open(spec, directory);
                report(spec, "node " + DEFAULT_NODE, pki.ensureNode(DEFAULT_NODE, List.of(), List.of()));
                report(spec, "upstream " + DEFAULT_UPSTREAM, pki.ensureUpstream(DEFAULT_UPSTREAM, List.of(), List.of()));
            });
        }
    }

    @Command(name = "issue-connector", mixinStandardHelpOptions = true,
        description = "Issue client certificates for connectors, bound to their municipality by the SAN URI "
            + "urn:chukei:municipality:CODE. Existing valid certificates are kept.")
    static final class IssueConnector implements Callable<Integer>
    {
        @Mixin
        DataDirectory directory;

        @Parameters(arity = "1..*", paramLabel = "CODE", description = "6-digit local government codes, e.g. 131016.")
        List<String> municipalityCodes;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            for (final String code : municipalityCodes)
            {
                try
                {
                    DevPki.requireValidMunicipalityCode(code, CHECK_DIGIT_RULE);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
                }
            }
            return run(spec, () ->
            {
                final DevPki pki = open(spec, directory);
                for (final String code : municipalityCodes)
                {
                    report(spec, "connector " + code, pki.ensureConnector(code));
                }
            });
        }
    }

    /** The names a server certificate is for: --dns and --ip. */
    static final class ServerNames
    {
        @Option(names = "--dns", split = ",", paramLabel = "NAME", description = "DNS names (repeat or comma-separate).")
        List<String> dnsNames = new ArrayList<>();

        @Option(names = "--ip", split = ",", paramLabel = "ADDRESS", description = "IP addresses (repeat or comma-separate).")
        List<String> ipAddresses = new ArrayList<>();
    }

    @Command(name = "issue-node", mixinStandardHelpOptions = true,
        description = "Issue a relay node certificate (urn:chukei:node:NAME; server and client). Without --dns and --ip "
            + "it names localhost and 127.0.0.1. A certificate for other names is replaced.")
    static final class IssueNode implements Callable<Integer>
    {
        @Mixin
        DataDirectory directory;

        @Option(names = "--name", required = true, description = "Node name, e.g. node-2; also the file name.")
        String name;

        @Mixin
        ServerNames names;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return run(spec, () ->
            {
                final DevPki pki = open(spec, directory);
                report(spec, "node " + name, pki.ensureNode(name, names.dnsNames, names.ipAddresses));
            });
        }
    }

    @Command(name = "issue-upstream", mixinStandardHelpOptions = true,
        description = "Issue a card-management endpoint certificate (urn:chukei:card-management:NAME; server only), "
            + "the only kind a relay node's upstream connection accepts. Without --dns and --ip it names localhost and "
            + "127.0.0.1.")
    static final class IssueUpstream implements Callable<Integer>
    {
        @Mixin
        DataDirectory directory;

        @Option(names = "--name", defaultValue = DEFAULT_UPSTREAM,
            description = "Endpoint name; also the file name (default: ${DEFAULT-VALUE}).")
        String name;

        @Mixin
        ServerNames names;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return run(spec, () ->
            {
                final DevPki pki = open(spec, directory);
                report(spec, "upstream " + name, pki.ensureUpstream(name, names.dnsNames, names.ipAddresses));
            });
        }
    }

    @Command(name = "issue-operator", mixinStandardHelpOptions = true,
        description = "Issue client certificates for operators (urn:chukei:operator:NAME), who may act on the admin API.")
    static final class IssueOperator implements Callable<Integer>
    {
        @Mixin
        DataDirectory directory;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Operator names, e.g. sato.")
        List<String> names;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return issuePeople(spec, directory, names, PeerRole.OPERATOR);
        }
    }

    @Command(name = "issue-viewer", mixinStandardHelpOptions = true,
        description = "Issue client certificates for viewers (urn:chukei:viewer:NAME), who may only read the admin API.")
    static final class IssueViewer implements Callable<Integer>
    {
        @Mixin
        DataDirectory directory;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Viewer names, e.g. suzuki.")
        List<String> names;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return issuePeople(spec, directory, names, PeerRole.VIEWER);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke certificates of this PKI: record them in DIR/pki/" + DevPki.REVOKED_FILE + " and rewrite "
            + "the CRL DIR/pki/" + DevPki.CRL_FILE + " (valid 7 days). Nodes with tls.crl pointing at it refuse them "
            + "within a second and close their open sessions.")
    static final class Revoke implements Callable<Integer>
    {
        @Mixin
        DataDirectory directory;

        @Option(names = "--reason", defaultValue = "unspecified", paramLabel = "REASON",
            description = "unspecified, key-compromise, affiliation-changed, superseded or cessation-of-operation.")
        String reason;

        @Parameters(arity = "1..*", paramLabel = "CERTIFICATE", description = "Certificate files, e.g. "
            + "DIR/pki/connectors/131016.crt.")
        List<Path> certificates;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            final RevokedCertificate.Reason why;
            try
            {
                why = RevokedCertificate.Reason.parse(reason);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
            }
            return run(spec, () ->
            {
                final DevPki pki = open(spec, directory);
                Path crl = null;
                for (final Path certificate : certificates)
                {
                    crl = pki.revoke(certificate, why);
                    spec.commandLine().getOut().printf("%-8s %-20s %s%n", "revoked", why.label(), certificate);
                }
                spec.commandLine().getOut().printf("%-8s %-20s %s%n", "written", "CRL", crl);
            });
        }
    }

    @Command(name = "crl", mixinStandardHelpOptions = true,
        description = "Rewrite the CRL DIR/pki/" + DevPki.CRL_FILE + " from the revocations so far (an empty list when "
            + "none), valid for --days: run it before the last one's nextUpdate, or nodes refuse every handshake.")
    static final class Crl implements Callable<Integer>
    {
        @Mixin
        DataDirectory directory;

        @Option(names = "--days", defaultValue = "7", paramLabel = "DAYS", description = "Validity (default 7).")
        int days;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            if (days < 1 || days > 366)
            {
                throw new ParameterException(spec.commandLine(), "--days: " + days + " (expected: 1..366)");
            }
            return run(spec, () ->
            {
                final DevPki pki = open(spec, directory);
                final Path crl = pki.writeCrl(java.time.Duration.ofDays(days));
                spec.commandLine().getOut().printf("%-8s %-20s %s (%d revoked)%n", "written", "CRL", crl,
                    pki.revoked().size());
            });
        }
    }

    /** Operators and viewers: every name is checked before anything is written. */
    private static int issuePeople(final CommandSpec spec, final DataDirectory directory, final List<String> names,
        final PeerRole role)
    {
        for (final String name : names)
        {
            if (!role.isValidName(name))
            {
                throw new ParameterException(spec.commandLine(), "name: " + name + " (expected: " + role.nameRule() + ")");
            }
        }
        return run(spec, () ->
        {
            final DevPki pki = open(spec, directory);
            for (final String name : names)
            {
                report(spec, role.kind() + " " + name,
                    role == PeerRole.OPERATOR ? pki.ensureOperator(name) : pki.ensureViewer(name));
            }
        });
    }

    private static DevPki open(final CommandSpec spec, final DataDirectory directory)
    {
        final DevPki pki = DevPki.openOrCreate(directory.pki(), CHECK_DIGIT_RULE);
        final PrintWriter out = spec.commandLine().getOut();
        out.printf("%-8s %-20s %s%n", pki.caCreated() ? "created" : "reused", "CA", pki.caCertificate());
        out.printf("%-8s %-20s %s%n", "", "", pki.directory().resolve(DevPki.CA_KEY_FILE));
        return pki;
    }

    private static void report(final CommandSpec spec, final String what, final IssuedCertificate issued)
    {
        final CertificateFiles files = issued.files();
        final PrintWriter out = spec.commandLine().getOut();
        out.printf("%-8s %-20s %s%n", issued.outcome().name().toLowerCase(Locale.ROOT), what, files.certificate());
        out.printf("%-8s %-20s %s%n", "", "", files.privateKey());
        if (issued.outcome() == IssuedCertificate.Outcome.REPLACED)
        {
            out.printf("%-8s %-20s because %s%n", "", "", issued.reason());
        }
    }

    /**
     * Runs a step: bad names and addresses are usage errors (exit 2); a PKI directory that cannot
     * be used is reported in one line (exit 1) rather than as a stack trace.
     */
    private static int run(final CommandSpec spec, final Runnable step)
    {
        try
        {
            step.run();
            spec.commandLine().getOut().flush();
            return EXIT_OK;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            spec.commandLine().getErr().println("chukei pki: " + describe(ex));
            return EXIT_FAILED;
        }
    }

    private static String describe(final RuntimeException ex)
    {
        return ex.getCause() != null && ex instanceof UncheckedIOException
            ? ex.getMessage() + ": " + ex.getCause().getMessage()
            : ex.getMessage();
    }
}
