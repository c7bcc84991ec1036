package io.chukei.gateway.cli;

import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.node.RelayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code chukei run}: one relay node, on embedded defaults unless a config file says otherwise. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a relay node. Without --config: loopback ports, a dev PKI generated under DATA/pki on first start,",
        "the journal in DATA/journal, and the card-management simulator embedded as upstream.",
        "Prints one line starting with 'chukei ready:' when it takes traffic; stops cleanly on SIGTERM or Ctrl-C."
    })
final class RunCommand implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file; every key is in gateway/README.md.")
    private Path config;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Data directory (journal, dev PKI, simulator ledger); wins over the config's data.dir. Default: data.dir, else chukei-data.")
    private Path data;

    @Option(names = "--drain-ms", paramLabel = "MS", defaultValue = "10000",
        description = "On SIGTERM: how long to wait for requests in flight to be answered before stopping " +
            "(the node turns DRAINING at once). Default: ${DEFAULT-VALUE}.")
    private long drainMs;

    @Option(names = "--exit-when-ready",
        description = "Stop right after 'chukei ready:' (drain 0). For the launcher's class-data-sharing training run " +
            "(ops/chukei, CHUKEI_CDS): every class a start loads is then in the archive it writes at exit.")
    private boolean exitWhenReady;

    @Override
    public Integer call() throws Exception
    {
        // Without --data: the config's data.dir, whose default is chukei-data.
        final RelayConfig relayConfig = config == null ? RelayConfig.defaults(data) : RelayConfig.load(config, data);
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logging)
        {
            // One node per process: every log line (JSON's "node" field) names it.
            logging.putProperty("chukei.node", Integer.toString(relayConfig.nodeId()));
        }
        final RelayNode node = new RelayNode(relayConfig, Clock.systemUTC());
        final CountDownLatch stopped = new CountDownLatch(1);
        if (!exitWhenReady)
        {
            // A training run (--exit-when-ready) closes the node itself, once: no hook to close it twice at exit.
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                org.slf4j.LoggerFactory.getLogger(RunCommand.class).info(
                    "Shutdown requested (SIGTERM, SIGINT or exit): node {} drains for up to {} ms, then stops",
                    relayConfig.nodeId(), drainMs);
                node.drainAndClose(drainMs);
                stopped.countDown();
            }, "chukei-shutdown"));
        }
        try
        {
            node.start();
        }
        catch (final Exception ex)
        {
            node.close();
            throw ex;
        }
        NodeFile.write(relayConfig.dataDir(),
            new HostPort(relayConfig.connector().listen().host(), node.connectorAddress().getPort()),
            new HostPort(relayConfig.adminListen().host(), node.adminAddress().getPort()));
        System.out.println(node.readyLine());
        System.out.flush();
        if (exitWhenReady)
        {
            node.drainAndClose(0);
            return 0;
        }
        stopped.await();
        return 0;
    }
}
