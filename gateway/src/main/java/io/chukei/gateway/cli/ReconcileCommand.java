package io.chukei.gateway.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.chukei.gateway.reconcile.ConnectorRecordsSource;
import io.chukei.gateway.reconcile.DeclaredBatches;
import io.chukei.gateway.reconcile.HumanReport;
import io.chukei.gateway.reconcile.JsonReport;
import io.chukei.gateway.reconcile.ReconcileScope;
import io.chukei.gateway.reconcile.ReconcileSummary;
import io.chukei.gateway.reconcile.Reconciler;
import io.chukei.protocol.codec.MunicipalityCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chukei reconcile}: one day's requests compared across every node's journal, card management's applied-request
 * export and connectors' records; exit 0 when everything agrees, 1 on any discrepancy, 2 on bad input, 3 on an I/O
 * failure.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Compares one day's requests across every node's journal, card management's applied-request export " +
        "and (optionally) connectors' records; reports every request without a final answer, answered but absent " +
        "upstream, applied upstream but unanswered, applied twice, sent but never accepted, and every batch with " +
        "missing members. Exit 0: reconciled; 1: discrepancies; 2: bad input; 3: I/O failure.")
public final class ReconcileCommand implements Callable<Integer>
{
    static final int EXIT_RECONCILED = 0;
    static final int EXIT_DISCREPANCIES = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_IO = 3;

    /**
     * Where connector records are read from: the SDK's outbox reader; tests replace it.
     */
    static ConnectorRecordsSource connectorRecordsSource = ConnectorRecordsSource.OUTBOX;

    @Spec
    CommandSpec spec;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
        description = "The day: requests first accepted by a node that day (else sent by a connector, else applied upstream).")
    String date;

    @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
        description = "Time zone the day is in, e.g. Asia/Tokyo (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--municipality", paramLabel = "CODE", description = "Only this municipality's requests (6 digits).")
    String municipality;

    @Option(names = "--journals", arity = "1..*", required = true, paramLabel = "DIR",
        description = "Every node's data directory (journal in DIR/journal) or journal directory.")
    List<Path> journals;

    @Option(names = "--upstream-ledger", required = true, paramLabel = "FILE",
        description = "Card management's applied-request export (protocol/README.md), e.g. the simulator's GET /export.")
    Path upstreamLedger;

    @Option(names = "--connector-records", arity = "1..*", paramLabel = "DIR",
        description = "Connectors' outbox directories: requests they sent are checked against the journals.")
    List<Path> connectorRecords = List.of();

    @Option(names = "--json", description = "One JSON document on stdout instead of the human report.")
    boolean json;

    @Option(names = "--work-dir", paramLabel = "DIR",
        description = "Where sort runs are spilled (56 bytes per fact; deleted at the end) (default: the system's temp directory).")
    Path workDirectory;

    @Option(names = "--sort-facts", defaultValue = "1048576", paramLabel = "N",
        description = "Facts sorted in memory at once, about 80 bytes of heap each: the memory bound (default: ${DEFAULT-VALUE}).")
    int sortFacts;

    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        final ReconcileScope scope;
        try
        {
            scope = scope();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("reconcile: " + ex.getMessage());
            return EXIT_USAGE;
        }
        final long startNs = System.nanoTime();
        final Reconciler reconciler = new Reconciler(scope, sortFacts,
            workDirectory != null ? workDirectory : Path.of(System.getProperty("java.io.tmpdir")), DeclaredBatches.NONE,
            connectorRecordsSource, message ->
            {
                err.println("reconcile: " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms: " + message);
                err.flush();
            });
        final PrintWriter out = spec.commandLine().getOut();
        try
        {
            final ReconcileSummary summary = reconciler.run(json ? new JsonReport(out) : new HumanReport(out));
            out.flush();
            return summary.reconciled() ? EXIT_RECONCILED : EXIT_DISCREPANCIES;
        }
        catch (final IllegalArgumentException ex)
        {
            out.flush();
            err.println("reconcile: " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final UncheckedIOException ex)
        {
            out.flush();
            err.println("reconcile: " + ex.getMessage() + ": " + ex.getCause().getMessage());
            return EXIT_IO;
        }
    }

    private ReconcileScope scope()
    {
        final LocalDate day;
        try
        {
            day = LocalDate.parse(date);
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException("--date: '" + date + "' (expected: YYYY-MM-DD, e.g. 2026-12-04)", ex);
        }
        final ZoneId zoneId;
        try
        {
            zoneId = ZoneId.of(zone);
        }
        catch (final java.time.DateTimeException ex)
        {
            throw new IllegalArgumentException("--zone: '" + zone + "' (expected: a time zone id such as UTC or Asia/Tokyo)", ex);
        }
        int code = -1;
        if (municipality != null)
        {
            code = MunicipalityCodes.parse(municipality);
            if (code == MunicipalityCodes.INVALID)
            {
                throw new IllegalArgumentException("--municipality: '" + municipality + "' (expected: 6 digits, e.g. 131016)");
            }
        }
        if (!Files.isRegularFile(upstreamLedger))
        {
            throw new IllegalArgumentException("--upstream-ledger: " + upstreamLedger + " is not a file (expected: card " +
                "management's applied-request export)");
        }
        if (sortFacts < 1024)
        {
            throw new IllegalArgumentException("--sort-facts: " + sortFacts + " (expected: >= 1024)");
        }
        return new ReconcileScope(day, zoneId, code, journals, upstreamLedger, connectorRecords);
    }
}
