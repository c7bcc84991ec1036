package io.chukei.gateway.reconcile;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.chukei.gateway.cli.ChukeiCommand;
import io.chukei.gateway.cluster.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chukei reconcile}: exit status, the human and JSON reports, progress on stderr, bad input. */
class ReconcileCommandTest
{
    private static final LocalDate DAY = LocalDate.of(2026, 12, 4);
    private static final Instant NOON = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final UUID answered = UUID.randomUUID();
    private final UUID dropped = UUID.randomUUID();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void journalAndExport() throws Exception
    {
        try (TestJournal node = new TestJournal(dir.resolve("node1").resolve("journal"), 1, NOON, null))
        {
            node.answered("131016", answered).answered("131016", dropped);
        }
        try (Writer export = Files.newBufferedWriter(dir.resolve("export.csv"), StandardCharsets.US_ASCII))
        {
            AppliedExport.writeHeader(export);
            AppliedExport.writeLine(export, new AppliedExport.Line("131016", answered, 1, NOON, "OK", 0));
        }
    }

    @Test
    void aDiscrepancyExitsOneAndIsNamedInTheHumanReport()
    {
        final int exit = run("--date", "2026-12-04", "--journals", dir.resolve("node1").toString(), "--upstream-ledger",
            dir.resolve("export.csv").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("SILENT_DROP", "131016 " + dropped, "DISCREPANCIES: 1")
            .doesNotContain(answered.toString());
        assertThat(err.toString()).contains("reconcile: ", "reading journal 1/1");
    }

    @Test
    void theJsonReportIsOneDocumentNamingEachFinding()
    {
        final int exit = run("--date", "2026-12-04", "--journals", dir.resolve("node1").toString(), "--upstream-ledger",
            dir.resolve("export.csv").toString(), "--json");

        assertThat(exit).isEqualTo(1);
        final JsonNode report = Json.tree(out.toString());
        assertThat(report.get("scope").get("date").asText()).isEqualTo("2026-12-04");
        assertThat(report.get("discrepancies")).hasSize(1);
        final JsonNode finding = report.get("discrepancies").get(0);
        assertThat(finding.get("kind").asText()).isEqualTo("SILENT_DROP");
        assertThat(finding.get("requestId").asText()).isEqualTo(dropped.toString());
        assertThat(finding.get("municipality").asText()).isEqualTo("131016");
        assertThat(report.get("summary").get("requests").asLong()).isEqualTo(2);
        assertThat(report.get("summary").get("discrepancies").asLong()).isEqualTo(1);
    }

    @Test
    void nothingWrongExitsZero() throws Exception
    {
        try (Writer export = Files.newBufferedWriter(dir.resolve("export.csv"), StandardCharsets.US_ASCII,
            java.nio.file.StandardOpenOption.APPEND))
        {
            AppliedExport.writeLine(export, new AppliedExport.Line("131016", dropped, 1, NOON, "OK", 0));
        }

        assertThat(run("--date", "2026-12-04", "--journals", dir.resolve("node1").toString(), "--upstream-ledger",
            dir.resolve("export.csv").toString())).isZero();
        assertThat(out.toString()).contains("RECONCILED: no discrepancy");
    }

    /**
     * A journal entry failing its checksum is left out of the comparison: never a clean result (reconcile said
     * "RECONCILED", exit 0, when the entry was outside what it compares, and reported its request as a discrepancy
     * of card management's when it was inside).
     */
    @Test
    void aDamagedJournalEntryIsNeverAReconciledResult() throws Exception
    {
        try (Writer export = Files.newBufferedWriter(dir.resolve("export.csv"), StandardCharsets.US_ASCII,
            java.nio.file.StandardOpenOption.APPEND))
        {
            AppliedExport.writeLine(export, new AppliedExport.Line("131016", dropped, 1, NOON, "OK", 0));
        }
        flipAByteOfTheLastEntry(dir.resolve("node1").resolve("journal"));

        final int exit = run("--date", "2026-12-04", "--journals", dir.resolve("node1").toString(), "--upstream-ledger",
            dir.resolve("export.csv").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("JOURNAL DAMAGED: 1 entries failing their checksum were left out")
            .doesNotContain("RECONCILED: no discrepancy");
        assertThat(run("--date", "2026-12-04", "--journals", dir.resolve("node1").toString(), "--upstream-ledger",
            dir.resolve("export.csv").toString(), "--json")).isEqualTo(1);
        assertThat(out.toString()).contains("\"damagedJournalEntries\":1");
    }

    private static void flipAByteOfTheLastEntry(final Path journal) throws Exception
    {
        long position = -1;
        try (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue =
                 net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder.binary(journal).readOnly(true).build();
             net.openhft.chronicle.queue.ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    position = dc.wire().bytes().readPosition() + 8;
                }
            }
        }
        final Path cycle;
        try (java.util.stream.Stream<Path> files = Files.list(journal))
        {
            cycle = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(cycle.toFile(), "rw"))
        {
            file.seek(position);
            final int b = file.read();
            file.seek(position);
            file.write(b ^ 0x01);
        }
    }

    @Test
    void badInputExitsTwoNamingTheOption() throws Exception
    {
        final String journals = dir.resolve("node1").toString();
        final String export = dir.resolve("export.csv").toString();
        assertThat(run("--date", "2026-13-01", "--journals", journals, "--upstream-ledger", export)).isEqualTo(2);
        assertThat(err.toString()).contains("--date: '2026-13-01' (expected: YYYY-MM-DD");
        assertThat(run("--date", "2026-12-04", "--municipality", "13101", "--journals", journals, "--upstream-ledger", export))
            .isEqualTo(2);
        assertThat(err.toString()).contains("--municipality: '13101' (expected: 6 digits");
        assertThat(run("--date", "2026-12-04", "--journals", dir.resolve("nowhere").toString(), "--upstream-ledger", export))
            .isEqualTo(2);
        assertThat(err.toString()).contains("--journals " + dir.resolve("nowhere") + ": no journal there");
        Files.writeString(dir.resolve("ledger.csv"), "# chukei cardsim ledger v1\n");
        assertThat(run("--date", "2026-12-04", "--journals", journals, "--upstream-ledger", dir.resolve("ledger.csv").toString()))
            .isEqualTo(2);
        assertThat(err.toString()).contains("line 1:", "expected: the first line '" + AppliedExport.MAGIC);
        assertThat(run("--date", "2026-12-04", "--journals", journals, "--upstream-ledger", export, "--connector-records",
            dir.toString())).as("a directory that is not an outbox").isEqualTo(2);
        assertThat(err.toString()).contains("--connector-records " + dir + ": outbox " + dir + ": no chukei-outbox file");
    }

    private int run(final String... args)
    {
        final String[] all = new String[args.length + 3];
        all[0] = "reconcile";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--work-dir";
        all[args.length + 2] = dir.toString();
        out.getBuffer().setLength(0);
        final CommandLine command = ChukeiCommand.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(all);
    }
}
