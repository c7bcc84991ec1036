package io.chukei.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chukei.gateway.cluster.ClusterMember;
import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.config.RelayConfig;
import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.tls.AdminHttpClients;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code chukei admin isolate|drain|release|status}: talks to the admin listener of every node of the
 * cluster over mutual TLS with an operator's certificate ({@link AdminCredentials}), one line per node. An action counts when at least one node recorded it: a hung node
 * cannot answer, and its peers still cut it off.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = "Isolate, drain or release a relay node on every node of the cluster; show each node's view.",
    subcommands = {AdminCommand.Isolate.class, AdminCommand.Drain.class, AdminCommand.Release.class,
        AdminCommand.Status.class, AdminCommand.Evidence.class})
public final class AdminCommand
{
    static final int EXIT_OK = 0;
    static final int EXIT_NONE_RECORDED = 1;
    /** No usable client certificate (picocli's usage-error code). */
    static final int EXIT_NO_CERTIFICATE = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private AdminCommand()
    {
    }

    /** Where the nodes' admin APIs are: the cluster list of a config file, or given directly. */
    static final class Targets
    {
        @Option(names = "--config", paramLabel = "FILE",
            description = "A node's properties file: the admin addresses of cluster.nodes (or admin.listen when alone).")
        Path config;

        @Option(names = "--admin", paramLabel = "HOST:PORT", split = ",",
            description = "Admin addresses of the nodes, comma separated.")
        List<String> admin;

        List<HostPort> resolve() throws IOException
        {
            return resolve(-1);
        }

        /** The dev PKI of {@code --config} (its {@code pki.dir}, else DATA/pki), or null without one. */
        Path configPki() throws IOException
        {
            return config == null ? null : RelayConfig.load(config, null).pkiDir();
        }

        /**
         * The admin addresses; with {@code --config}, node {@code first}'s first: an isolation then
         * stops the node's own intake before its peers record it, and a release lets the node's
         * peers' next probes already see it ACTIVE.
         */
        List<HostPort> resolve(final int first) throws IOException
        {
            if (config != null)
            {
                final RelayConfig relayConfig = RelayConfig.load(config, Path.of("."));
                if (relayConfig.cluster().nodes().isEmpty())
                {
                    return List.of(relayConfig.adminListen());
                }
                return relayConfig.cluster().nodes().stream()
                    .sorted(java.util.Comparator.comparing(member -> member.id() != first))
                    .map(ClusterMember::admin).toList();
            }
            final List<HostPort> addresses = new ArrayList<>();
            for (final String text : admin)
            {
                addresses.add(HostPort.parse("--admin", text.trim()));
            }
            return addresses;
        }
    }

    /** One node's answer: its address, whether it answered 200, and what to print. */
    private record Outcome(HostPort node, boolean ok, String line)
    {
    }

    /** Isolate, drain or release: POSTed to every node. */
    abstract static class Action implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NODE_ID", description = "The node the action is about.")
        int nodeId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the audit trail and shown in the view.")
        String reason;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Targets targets;

        @Mixin
        AdminCredentials credentials;

        abstract String verb();

        @Override
        public Integer call() throws IOException
        {
            final AdminClient http = client(spec, credentials, targets, false);
            if (http == null)
            {
                return EXIT_NO_CERTIFICATE;
            }
            final PrintWriter out = spec.commandLine().getOut();
            final String query = "?node=" + nodeId +
                (reason == null ? "" : "&reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8));
            int recorded = 0;
            for (final HostPort node : targets.resolve(nodeId))
            {
                final Outcome outcome = sendAsync(http, node, "POST", "/cluster/" + verb() + query).join();
                out.println(outcome.node() + " " + (outcome.ok() ? "ok: node " + nodeId + " is " +
                    Json.tree(outcome.line()).path("state").asText() + " in its view" : outcome.line()));
                recorded += outcome.ok() ? 1 : 0;
                final String auditWarning = outcome.ok() ? Json.tree(outcome.line()).path("auditWarning").asText(null) : null;
                if (auditWarning != null)
                {
                    // Done, but the audit trail lacks it (or may): the operator records it elsewhere.
                    spec.commandLine().getErr().println("chukei admin " + verb() + ": " + outcome.node() +
                        " carried it out; its audit entry is " + auditWarning);
                }
            }
            out.flush();
            if (recorded == 0)
            {
                spec.commandLine().getErr().println("chukei admin " + verb() + ": no node recorded it (expected: at least " +
                    "one reachable node that accepts the action)");
                return EXIT_NONE_RECORDED;
            }
            return EXIT_OK;
        }
    }

    @Command(name = "isolate", mixinStandardHelpOptions = true,
        description = "Isolate NODE_ID: it takes no new Submit (Redirect), sends GoAway to its connectors; survives restarts.")
    static final class Isolate extends Action
    {
        @Override
        String verb()
        {
            return "isolate";
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drain NODE_ID: like isolate, for planned work; it finishes what it holds.")
    static final class Drain extends Action
    {
        @Override
        String verb()
        {
            return "drain";
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
        description = "Release NODE_ID from an operator isolation or drain.")
    static final class Release extends Action
    {
        @Override
        String verb()
        {
            return "release";
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Each node's view of the cluster, one line per node.")
    static final class Status implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Targets targets;

        @Mixin
        AdminCredentials credentials;

        @Override
        public Integer call() throws IOException
        {
            final AdminClient http = client(spec, credentials, targets, true);
            if (http == null)
            {
                return EXIT_NO_CERTIFICATE;
            }
            final PrintWriter out = spec.commandLine().getOut();
            int answered = 0;
            // Every node at once: a hung node costs its timeout once, not once per node before it.
            for (final Outcome outcome : sendToAll(http, targets.resolve(), "GET", "/cluster"))
            {
                out.println(outcome.node() + " " + (outcome.ok() ? "node " + Json.tree(outcome.line()).path("node").asLong(-1) +
                    " sees: " + summary(outcome.line()) : outcome.line()));
                answered += outcome.ok() ? 1 : 0;
            }
            out.flush();
            if (answered == 0)
            {
                spec.commandLine().getErr().println("chukei admin status: no node answered");
                return EXIT_NONE_RECORDED;
            }
            return EXIT_OK;
        }

        private static String summary(final String json)
        {
            final StringBuilder out = new StringBuilder();
            for (final JsonNode node : Json.tree(json).path("nodes"))
            {
                out.append(out.length() == 0 ? "" : " ").append(node.path("id").asInt()).append('=')
                    .append(node.path("state").asText());
                final String reason = node.path("reason").asText("");
                if (!reason.isEmpty())
                {
                    out.append(" (").append(reason).append(')');
                }
            }
            return out.toString();
        }
    }

    /**
     * The same request to every node at once; each answer or failure within {@link #TIMEOUT}, so the whole
     * call takes at most about one timeout however many nodes hang. In the order of {@code nodes}.
     */
    private static List<Outcome> sendToAll(final AdminClient http, final List<HostPort> nodes, final String method,
        final String pathAndQuery)
    {
        final List<java.util.concurrent.CompletableFuture<Outcome>> pending = new ArrayList<>();
        for (final HostPort node : nodes)
        {
            pending.add(sendAsync(http, node, method, pathAndQuery));
        }
        final List<Outcome> outcomes = new ArrayList<>();
        for (final java.util.concurrent.CompletableFuture<Outcome> outcome : pending)
        {
            outcomes.add(outcome.join());
        }
        return outcomes;
    }

    @Command(name = "evidence", mixinStandardHelpOptions = true,
        description = "Have one node write an evidence bundle now (DATA/evidence on that node; `chukei evidence` reads it).")
    static final class Evidence implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NODE_ID", description = "The node that writes the bundle.")
        int nodeId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the bundle's manifest and the journal.")
        String reason;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Targets targets;

        @Mixin
        AdminCredentials credentials;

        @Override
        public Integer call() throws IOException
        {
            final AdminClient http = client(spec, credentials, targets, false);
            if (http == null)
            {
                return EXIT_NO_CERTIFICATE;
            }
            // With --config the node's own address comes first; with --admin the first address is the node's.
            final HostPort node = targets.resolve(nodeId).get(0);
            final Outcome outcome = sendAsync(http, node, "POST", "/evidence" +
                (reason == null ? "" : "?reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8))).join();
            if (!outcome.ok())
            {
                spec.commandLine().getErr().println("chukei admin evidence: " + node + " " + outcome.line());
                return EXIT_NONE_RECORDED;
            }
            final var answer = Json.tree(outcome.line());
            spec.commandLine().getOut().println(node + " ok: node " + nodeId + " writes " + answer.path("directory").asText() +
                " (list: chukei evidence list --data DIR on that host)");
            spec.commandLine().getOut().flush();
            return EXIT_OK;
        }
    }

    /** An HTTPS client and the certificate files it presents and trusts (named when a node refuses them). */
    private record AdminClient(HttpClient http, CertificateFiles files)
    {
    }

    /** The HTTPS client presenting the operator's (or, read-only, a viewer's) certificate; null, said why, without one. */
    private static AdminClient client(final CommandSpec spec, final AdminCredentials credentials, final Targets targets,
        final boolean readOnly) throws IOException
    {
        try
        {
            final CertificateFiles files = credentials.resolve(targets.configPki(), readOnly);
            return new AdminClient(AdminHttpClients.builder(files).connectTimeout(TIMEOUT).build(), files);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            spec.commandLine().getErr().println("chukei admin: " + ex.getMessage());
            spec.commandLine().getErr().flush();
            return null;
        }
    }

    /**
     * Bounded by {@link #TIMEOUT} as a whole: the client's own timeout covers connect and the response
     * headers only, and a SIGSTOPped node accepts TCP connections (its kernel does) but never answers.
     */
    private static java.util.concurrent.CompletableFuture<Outcome> sendAsync(final AdminClient client, final HostPort node,
        final String method, final String pathAndQuery)
    {
        final HttpRequest request = HttpRequest.newBuilder(AdminHttpClients.uri(node, pathAndQuery))
            .timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
        return client.http().sendAsync(request, HttpResponse.BodyHandlers.ofString())
            .handle((response, failure) -> failure == null ? answered(node, response) : failed(node, failure,
                client.files()))
            .completeOnTimeout(new Outcome(node, false, "unreachable: no answer within " + TIMEOUT.toMillis() + " ms"),
                TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static Outcome answered(final HostPort node, final HttpResponse<String> response)
    {
        if (response.statusCode() == 200 || response.statusCode() == 202)
        {
            return new Outcome(node, true, response.body().strip());
        }
        return new Outcome(node, false, "error " + response.statusCode() + ": " + response.body().strip());
    }

    private static Outcome failed(final HostPort node, final Throwable failure, final CertificateFiles files)
    {
        final Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ?
            failure.getCause() : failure;
        final String tls = AdminTlsFailures.describe(cause, files.certificate(), files.caCertificate());
        if (tls != null)
        {
            return new Outcome(node, false, tls);
        }
        if (cause instanceof ConnectException || cause instanceof HttpTimeoutException)
        {
            return new Outcome(node, false, "unreachable: " + (cause.getMessage() == null ?
                cause.getClass().getSimpleName() : cause.getMessage()));
        }
        return new Outcome(node, false, "unreachable: " + cause);
    }
}
