package io.chukei.gateway.cli;

import io.chukei.gateway.conformance.ConformanceRelay;
import io.chukei.gateway.conformance.ConformanceReport;
import io.chukei.gateway.conformance.ConformanceSettings;
import io.chukei.gateway.conformance.Scenario;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code chukei conformance}: a scripted relay on two ports that drives a vendor's connector through the protocol's
 * rare paths and prints, per scenario, whether it behaved as protocol/README.md requires.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a scripted relay (two simulated nodes, real TLS and framing) that drives a connector through the",
        "rare paths of the protocol and prints PASS or FAIL per scenario. The connector sends 8 requests of",
        "distinct content for the municipality of its certificate, one at a time; the n-th request gets the n-th",
        "scenario (protocol/README.md, Conformance). Exit codes: 0 every check passed, 1 a check failed, 2 bad command line."
    })
final class ConformanceCommand implements Callable<Integer>
{
    static final int EXIT_PASSED = 0;
    static final int EXIT_FAILED = 1;
    static final String NODE_NAME = "conformance";

    @Spec
    private CommandSpec spec;

    @Option(names = "--listen", required = true, split = ",", paramLabel = "HOST:PORT",
        description = "The two simulated nodes' connector addresses, e.g. 127.0.0.1:7401,127.0.0.1:7402.")
    private List<String> listen;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "chukei-data",
        description = "Data directory whose dev PKI (DIR/pki, created if missing) issues the relay's certificate and trusts " +
            "connector certificates (chukei pki issue-connector --data DIR CODE). Default: ${DEFAULT-VALUE}.")
    private Path data;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    private Path reportFile;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M",
        description = "How long the run may take from the workload's first request (ISO-8601); scenarios not reached by " +
            "then fail. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "400",
        description = "heartbeatIntervalMs announced in Welcome (50..60000). Default: ${DEFAULT-VALUE}, a node's default.")
    private long heartbeatMs;

    @Override
    public Integer call() throws Exception
    {
        final List<HostPort> addresses = addresses();
        final ConformanceSettings settings = ConformanceSettings.defaults().withHeartbeatIntervalMs(heartbeatMs)
            .withRunTimeout(timeout);
        final DevPki pki = DevPki.openOrCreate(data.resolve(PkiCommand.PKI_DIRECTORY), MunicipalityCodes::isValid);
        final CertificateFiles node = serverCertificate(pki, addresses);
        final PrintWriter out = spec.commandLine().getOut();
        try (ConformanceRelay relay = ConformanceRelay.start(TlsContexts.server(node, PeerPolicy.connectorListener()),
            addresses.stream().map(HostPort::toSocketAddress).toList(), settings))
        {
            out.println("conformance relay: node 1 on " + hostPort(relay.addresses().get(0)) + ", node 2 on " +
                hostPort(relay.addresses().get(1)) +
                "; CA " + pki.caCertificate().toAbsolutePath());
            out.println("connector certificate: chukei pki issue-connector --data " + data + " CODE");
            out.println("waiting for the workload: " + Scenario.values().length + " requests of distinct content, one at a " +
                "time, each after the previous one's final answer (timeout " + timeout + " from the first)");
            out.flush();
            final ConformanceReport report = relay.report().get();
            out.print(report.text());
            out.flush();
            if (reportFile != null)
            {
                Files.writeString(reportFile, report.json(), StandardCharsets.UTF_8);
            }
            return report.passed() ? EXIT_PASSED : EXIT_FAILED;
        }
    }

    private static String hostPort(final InetSocketAddress address)
    {
        return address.getHostString() + ":" + address.getPort();
    }

    private List<HostPort> addresses()
    {
        if (listen.size() != 2)
        {
            throw new ParameterException(spec.commandLine(), "--listen: " + String.join(",", listen) +
                " (expected: two HOST:PORT, one per simulated node, so that a move to another node can be seen)");
        }
        final List<HostPort> addresses = new ArrayList<>();
        for (final String text : listen)
        {
            try
            {
                addresses.add(HostPort.parse("--listen", text));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
        }
        return addresses;
    }

    /** The relay's certificate names the listen hosts too, so a connector verifying the host name accepts it. */
    private static CertificateFiles serverCertificate(final DevPki pki, final List<HostPort> addresses) throws Exception
    {
        final Set<String> dns = new LinkedHashSet<>(DevPki.DEFAULT_DNS_NAMES);
        final Set<String> ips = new LinkedHashSet<>(DevPki.DEFAULT_IP_ADDRESSES);
        for (final HostPort address : addresses)
        {
            if (isAddressLiteral(address.host()))
            {
                ips.add(InetAddress.getByName(address.host()).getHostAddress());
            }
            else
            {
                dns.add(address.host());
            }
        }
        return pki.issueNode(NODE_NAME, List.copyOf(dns), List.copyOf(ips));
    }

    private static boolean isAddressLiteral(final String host)
    {
        return host.contains(":") || host.matches("[0-9.]+");
    }
}
