package io.chukei.gateway.cli;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.pki.IssuedCertificate;
import io.chukei.gateway.tls.MunicipalityCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code chukei cardsim}: runs the card-management simulator until SIGTERM or Ctrl-C.
 * Prints one line when every port is bound, so scripts can wait for it:
 * {@code cardsim ready: upstream 127.0.0.1:7600, admin http://127.0.0.1:7601}, or with
 * {@code --ports 7600,7602} every endpoint in port order:
 * {@code cardsim ready: upstream 127.0.0.1:7600,127.0.0.1:7602, admin http://127.0.0.1:7601}.
 */
@Command(
    name = "cardsim",
    mixinStandardHelpOptions = true,
    description = "Runs the card-management simulator: applies each request id at most once, records every "
        + "decision in DATA/ledger.csv, and takes failure switches on its admin HTTP port.")
public final class CardsimCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind both ports to (default: ${DEFAULT-VALUE}).")
    private String host;

    private static final int DEFAULT_PORT = 7600;

    @Option(names = "--port", description = "Upstream port relays connect to; 0 = any (default: " + DEFAULT_PORT + ").")
    private Integer port;

    @Option(names = "--ports", split = ",", paramLabel = "PORT,PORT...",
        description = "Several upstream endpoints of the one system of record (shared dedup and ledger), "
            + "endpoint 0 first; 0 = any. Instead of --port.")
    private List<Integer> ports;

    @Option(names = "--admin-port", defaultValue = "7601",
        description = "Admin HTTP port; 0 = any, -1 = none (default: ${DEFAULT-VALUE}).")
    private int adminPort;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./chukei-data/cardsim",
        description = "Directory of the ledger; reloaded on start (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(names = "--service-time-ms", defaultValue = "1", description = "Fixed service time per request (default: ${DEFAULT-VALUE}).")
    private long serviceTimeMs;

    @Option(names = "--jitter-ms", defaultValue = "0", description = "Uniform random time added to each service time (default: ${DEFAULT-VALUE}).")
    private long jitterMs;

    @Option(names = "--concurrency", defaultValue = "64",
        description = "Requests in service at once; the rest wait in FIFO order (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--max-queued", defaultValue = "100000",
        description = "Waiting requests beyond which TRANSIENT_FAILURE is answered (default: ${DEFAULT-VALUE}).")
    private int maxQueued;

    @Option(names = "--error-rate", defaultValue = "0",
        description = "Fraction of requests answered TRANSIENT_FAILURE, 0..1 (default: ${DEFAULT-VALUE}).")
    private double errorRate;

    @Option(names = "--io-threads", defaultValue = "1", description = "Netty I/O threads (default: ${DEFAULT-VALUE}).")
    private int ioThreads;

    @Option(names = "--pki", paramLabel = "DIR",
        description = "Serve TLS 1.3 with client certificates, using the dev PKI in DIR (e.g. DATA/pki of the relay); "
            + "without it the upstream port is plaintext.")
    private java.nio.file.Path pki;

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new CardsimCommand()).execute(args));
    }

    /** The dev PKI's card-management certificate; one from an older version (no role URI) is reissued, and said so. */
    private CertificateFiles upstreamCertificate(final Path pkiDirectory)
    {
        final IssuedCertificate issued = DevPki.openOrCreate(pkiDirectory, MunicipalityCodes::isValid)
            .ensureUpstream("cardsim", List.of(), List.of());
        if (issued.outcome() == IssuedCertificate.Outcome.REPLACED)
        {
            spec.commandLine().getErr().println("cardsim: dev PKI: reissued " + issued.files().certificate() + " because "
                + issued.reason());
        }
        return issued.files();
    }

    @Override
    public Integer call() throws Exception
    {
        if (port != null && ports != null)
        {
            throw new ParameterException(spec.commandLine(),
                "--port " + port + " and --ports " + ports + " (expected: one of them)");
        }
        final CardSimulatorConfig config;
        try
        {
            config = CardSimulatorConfig.builder()
                .host(host)
                .ports(ports != null ? ports : List.of(port != null ? port : DEFAULT_PORT))
                .adminPort(adminPort)
                .dataDirectory(dataDirectory)
                .serviceTimeMs(serviceTimeMs)
                .jitterMs(jitterMs)
                .concurrency(concurrency)
                .maxQueued(maxQueued)
                .ioThreads(ioThreads)
                .tls(pki == null ? null : upstreamCertificate(pki))
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
        final CardSimulator simulator = new CardSimulator(config).start();
        final Thread shutdownHook = new Thread(() -> stop(simulator), "cardsim-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try
        {
            simulator.faults().errorRate(errorRate);
            final PrintWriter out = spec.commandLine().getOut();
            out.println("cardsim ready: upstream " + upstreamList(simulator) + ", admin "
                + (adminPort == CardSimulatorConfig.ADMIN_DISABLED ? "disabled" : "http://" + host + ":" + simulator.adminPort()));
            out.flush();
            stopRequested.await();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
        finally
        {
            removeHook(shutdownHook);
            simulator.close();
        }
        return 0;
    }

    private String upstreamList(final CardSimulator simulator)
    {
        return simulator.ports().stream().map(bound -> host + ":" + bound).collect(Collectors.joining(","));
    }

    /** Asks a running command to shut down, as SIGTERM would. */
    public void requestStop()
    {
        stopRequested.countDown();
    }

    private void stop(final CardSimulator simulator)
    {
        simulator.close();
        stopRequested.countDown();
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // The JVM is already shutting down and the hook is running: nothing to remove.
        }
    }
}
