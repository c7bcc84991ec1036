package io.chukei.gateway.reconcile;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcilerTest
{
    private static final String TOKYO = "131016";
    private static final String SAPPORO = "011002";
    private static final LocalDate DAY = LocalDate.of(2026, 12, 4);
    private static final Instant MORNING = DAY.atTime(9, 0).toInstant(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final List<AppliedExport.Line> export = new ArrayList<>();
    private final List<ConnectorRecord> connector = new ArrayList<>();

    @Test
    void aCleanDayAcrossTwoNodesReconcilesWithNoDiscrepancy() throws Exception
    {
        final UUID plain = UUID.randomUUID();
        final UUID failedOver = UUID.randomUUID();
        final UUID refused = UUID.randomUUID();
        final UUID rejected = UUID.randomUUID();
        final List<UUID> batch = ids(5);
        try (TestJournal node1 = journal("node1", 1, null); TestJournal node2 = journal("node2", 2, null))
        {
            node1.answered(TOKYO, plain);
            // Accepted and forwarded by node 1, which died; the connector's resend was answered by node 2.
            node1.accept(TOKYO, failedOver).forward(TOKYO, failedOver);
            node2.accept(TOKYO, failedOver).forward(TOKYO, failedOver).complete(TOKYO, failedOver, TestJournal.OK);
            node1.accept(SAPPORO, refused).forward(SAPPORO, refused).complete(SAPPORO, refused, TestJournal.REFUSED);
            // Never forwarded, deadline passed: a true DEADLINE_EXCEEDED, nothing upstream.
            node1.accept(TOKYO, rejected).rejectAfterAcceptance(TOKYO, rejected, ErrorCode.DEADLINE_EXCEEDED.value());
            node2.refuseAtAdmission(TOKYO, UUID.randomUUID(), ErrorCode.RATE_LIMITED.value());
            node1.declare(TOKYO, 77, batch.size());
            node2.declare(TOKYO, 77, batch.size());
            for (int i = 0; i < batch.size(); i++)
            {
                (i % 2 == 0 ? node1 : node2).accept(TOKYO, batch.get(i), 77, i + 1, batch.size())
                    .complete(TOKYO, batch.get(i), TestJournal.OK);
            }
        }
        applied(TOKYO, plain, 1, "OK");
        applied(TOKYO, failedOver, 1, "OK");
        applied(SAPPORO, refused, 1, "REFUSED");
        batch.forEach(id -> applied(TOKYO, id, 1, "OK"));
        sent(TOKYO, plain, "OK");

        final Run run = reconcile(List.of("node1", "node2"), -1, FactSorter.DEFAULT_CHUNK_FACTS);

        assertThat(run.found).isEmpty();
        assertThat(run.summary.discrepancies()).isZero();
        assertThat(run.summary.requests()).isEqualTo(9);
        assertThat(run.summary.batches()).isEqualTo(1);
        assertThat(run.summary.incompleteBatches()).isZero();
    }

    @Test
    void everyKindOfDiscrepancyIsFoundAndNamedWithNothingElse() throws Exception
    {
        final UUID pending = UUID.randomUUID();
        final UUID unknown = UUID.randomUUID();
        final UUID dropped = UUID.randomUUID();
        final UUID lostAnswer = UUID.randomUUID();
        final UUID appliedUnseen = UUID.randomUUID();
        final UUID rejectedApplied = UUID.randomUUID();
        final UUID twice = UUID.randomUUID();
        final UUID mismatch = UUID.randomUUID();
        final UUID conflict = UUID.randomUUID();
        final UUID neverAccepted = UUID.randomUUID();
        final List<UUID> batch = ids(5);
        try (TestJournal node1 = journal("node1", 1, dir.resolve("keys/journal.keys"));
             TestJournal node2 = journal("node2", 2, null))
        {
            node1.accept(TOKYO, pending).forward(TOKYO, pending);
            node1.accept(TOKYO, unknown).forward(TOKYO, unknown).outcomeUnknown(TOKYO, unknown);
            node1.answered(TOKYO, dropped);
            node2.accept(TOKYO, lostAnswer).forward(TOKYO, lostAnswer).outcomeUnknown(TOKYO, lostAnswer);
            node1.accept(TOKYO, rejectedApplied).forward(TOKYO, rejectedApplied)
                .rejectAfterAcceptance(TOKYO, rejectedApplied, ErrorCode.DEADLINE_EXCEEDED.value());
            node1.answered(TOKYO, twice);
            node1.accept(TOKYO, mismatch).complete(TOKYO, mismatch, TestJournal.REFUSED);
            node1.accept(TOKYO, conflict).complete(TOKYO, conflict, TestJournal.OK);
            node2.accept(TOKYO, conflict).complete(TOKYO, conflict, TestJournal.REFUSED);
            for (int i = 0; i < batch.size(); i++)
            {
                if (i != 2)
                {
                    node2.accept(TOKYO, batch.get(i), 9, i + 1, batch.size()).complete(TOKYO, batch.get(i), TestJournal.OK);
                }
            }
        }
        applied(TOKYO, lostAnswer, 1, "OK");
        applied(TOKYO, appliedUnseen, 1, "OK");
        applied(TOKYO, rejectedApplied, 1, "OK");
        applied(TOKYO, twice, 2, "OK");
        applied(TOKYO, mismatch, 1, "OK");
        applied(TOKYO, conflict, 1, "OK");
        for (int i = 0; i < batch.size(); i++)
        {
            if (i != 2)
            {
                applied(TOKYO, batch.get(i), 1, "OK");
            }
        }
        sent(TOKYO, neverAccepted, null);

        final Run run = reconcile(List.of("node1", "node2"), -1, FactSorter.DEFAULT_CHUNK_FACTS);

        assertThat(run.kindsById()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
            Map.entry(pending + "", DiscrepancyKind.NO_FINAL_ANSWER),
            Map.entry(unknown + "", DiscrepancyKind.OUTCOME_UNKNOWN),
            Map.entry(dropped + "", DiscrepancyKind.SILENT_DROP),
            Map.entry(lostAnswer + "", DiscrepancyKind.APPLIED_NOT_ANSWERED),
            Map.entry(appliedUnseen + "", DiscrepancyKind.APPLIED_NOT_ANSWERED),
            Map.entry(rejectedApplied + "", DiscrepancyKind.APPLIED_BUT_REJECTED),
            Map.entry(twice + "", DiscrepancyKind.APPLIED_TWICE),
            Map.entry(mismatch + "", DiscrepancyKind.OUTCOME_MISMATCH),
            Map.entry(conflict + "", DiscrepancyKind.CONFLICTING_ANSWERS),
            Map.entry(neverAccepted + "", DiscrepancyKind.NEVER_ACCEPTED),
            Map.entry("batch 9", DiscrepancyKind.BATCH_INCOMPLETE)));
        final Discrepancy incomplete = run.found.stream().filter(d -> d.kind() == DiscrepancyKind.BATCH_INCOMPLETE)
            .findFirst().orElseThrow();
        assertThat(incomplete.municipality()).isEqualTo(TOKYO);
        assertThat(incomplete.detail()).contains("4 of 5 members complete", "never accepted: 1 [3]");
        assertThat(run.summary.discrepancies()).isEqualTo(11);
        assertThat(run.found).filteredOn(d -> d.requestId() != null).allSatisfy(d -> assertThat(d.municipality()).isEqualTo(TOKYO));
    }

    @Test
    void aBatchMemberWithADiscrepancyLeavesItsBatchIncompleteAndNamesTheBatch() throws Exception
    {
        final List<UUID> batch = ids(3);
        try (TestJournal node = journal("node", 1, null))
        {
            for (int i = 0; i < batch.size(); i++)
            {
                node.accept(SAPPORO, batch.get(i), 5, i + 1, 3).complete(SAPPORO, batch.get(i), TestJournal.OK);
                if (i != 1)
                {
                    applied(SAPPORO, batch.get(i), 1, "OK");
                }
            }
        }

        final Run run = reconcile(List.of("node"), -1, FactSorter.DEFAULT_CHUNK_FACTS);

        assertThat(run.found).hasSize(2);
        assertThat(run.found.get(0)).satisfies(d ->
        {
            assertThat(d.kind()).isEqualTo(DiscrepancyKind.SILENT_DROP);
            assertThat(d.requestId()).isEqualTo(batch.get(1).toString());
            assertThat(d.batchId()).isEqualTo(5L);
            assertThat(d.batchSequence()).isEqualTo(2);
        });
        assertThat(run.found.get(1).kind()).isEqualTo(DiscrepancyKind.BATCH_INCOMPLETE);
        assertThat(run.found.get(1).detail()).contains("2 of 3", "with a discrepancy: 1 [2]");
    }

    @Test
    void onlyTheDayAndMunicipalityAskedForAreReconciled() throws Exception
    {
        final UUID yesterday = UUID.randomUUID();
        final UUID today = UUID.randomUUID();
        final UUID otherTown = UUID.randomUUID();
        final UUID appliedYesterday = UUID.randomUUID();
        try (TestJournal node = new TestJournal(dir.resolve("node").resolve("journal"), 1, MORNING.minusSeconds(86_400), null))
        {
            node.accept(TOKYO, yesterday);
            node.at(MORNING).accept(TOKYO, today).accept(SAPPORO, otherTown);
        }
        export.add(new AppliedExport.Line(TOKYO, appliedYesterday, 1, MORNING.minusSeconds(86_400), "OK", 0));

        assertThat(reconcile(List.of("node"), -1, FactSorter.DEFAULT_CHUNK_FACTS).kindsById().keySet())
            .containsExactlyInAnyOrder(today.toString(), otherTown.toString());
        assertThat(reconcile(List.of("node"), 131016, FactSorter.DEFAULT_CHUNK_FACTS).kindsById().keySet())
            .containsExactly(today.toString());
    }

    @Test
    void aDayInTokyoIsNotTheUtcDay() throws Exception
    {
        final UUID earlyTokyoMorning = UUID.randomUUID();
        // 2026-12-04 01:00 in Tokyo is still 2026-12-03 in UTC.
        try (TestJournal node = new TestJournal(dir.resolve("node").resolve("journal"), 1,
            DAY.atTime(1, 0).atZone(ZoneId.of("Asia/Tokyo")).toInstant(), null))
        {
            node.accept(TOKYO, earlyTokyoMorning);
        }
        writeExport();
        final Path[] journals = {dir.resolve("node")};
        final Run utc = run(new ReconcileScope(DAY, ZoneOffset.UTC, -1, List.of(journals), dir.resolve("export.csv"),
            List.of()), FactSorter.DEFAULT_CHUNK_FACTS);
        final Run tokyo = run(new ReconcileScope(DAY, ZoneId.of("Asia/Tokyo"), -1, List.of(journals),
            dir.resolve("export.csv"), List.of()), FactSorter.DEFAULT_CHUNK_FACTS);

        assertThat(utc.found).isEmpty();
        assertThat(tokyo.kindsById()).containsOnlyKeys(earlyTokyoMorning.toString());
    }

    /** The sort spills to disk and merges back: the findings do not depend on how much fits in memory. */
    @Test
    void findingsAreTheSameWhetherTheSortSpillsOrNot() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(13);
        try (TestJournal node1 = journal("node1", 1, null); TestJournal node2 = journal("node2", 2, null))
        {
            for (int i = 0; i < 3_000; i++)
            {
                final UUID id = new UUID(random.nextLong(), random.nextLong());
                final String municipality = random.nextBoolean() ? TOKYO : SAPPORO;
                final TestJournal node = random.nextBoolean() ? node1 : node2;
                node.accept(municipality, id).forward(municipality, id);
                final int fate = random.nextInt(10);
                if (fate < 7)
                {
                    node.complete(municipality, id, TestJournal.OK);
                }
                if (fate < 6 || fate == 8)
                {
                    applied(municipality, id, fate == 5 ? 2 : 1, "OK");
                }
                if (fate == 9)
                {
                    node.outcomeUnknown(municipality, id);
                }
            }
        }
        final Run inMemory = reconcile(List.of("node1", "node2"), -1, FactSorter.DEFAULT_CHUNK_FACTS);
        final Run spilled = reconcile(List.of("node1", "node2"), -1, 1024);

        assertThat(spilled.summary.spilledRuns()).isGreaterThan(5);
        assertThat(inMemory.summary.spilledRuns()).isZero();
        assertThat(spilled.found).isEqualTo(inMemory.found);
        assertThat(spilled.summary.requests()).isEqualTo(3_000);
        assertThat(inMemory.summary.discrepancies()).isGreaterThan(500);
        try (var left = Files.list(dir.resolve("work")))
        {
            assertThat(left).as("sort runs deleted").isEmpty();
        }
    }

    @Test
    void anExportThatIsNotOneIsRefusedNamingTheLineAndField() throws Exception
    {
        Files.writeString(dir.resolve("bad.csv"), AppliedExport.MAGIC + "\n" + AppliedExport.HEADER + "\n" +
            "131016," + UUID.randomUUID() + ",1,2026-12-04T09:00:00Z,OK,0\n" +
            "131016,not-a-uuid,1,2026-12-04T09:00:00Z,OK,0\n");
        assertThatThrownBy(() -> AppliedExport.read(dir.resolve("bad.csv"), (line, number) -> { }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("line 4: requestId: 'not-a-uuid'");

        Files.writeString(dir.resolve("headless.csv"), "131016," + UUID.randomUUID() + ",1,2026-12-04T09:00:00Z,OK,0\n");
        assertThatThrownBy(() -> AppliedExport.read(dir.resolve("headless.csv"), (line, number) -> { }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1:").hasMessageContaining(AppliedExport.MAGIC);

        Files.writeString(dir.resolve("count.csv"), AppliedExport.MAGIC + "\n" + AppliedExport.HEADER + "\n" +
            "131016," + UUID.randomUUID() + ",0,2026-12-04T09:00:00Z,OK,0\n");
        assertThatThrownBy(() -> AppliedExport.read(dir.resolve("count.csv"), (line, number) -> { }))
            .hasMessageContaining("line 3: appliedCount: '0' (expected: a whole number >= 1)");
    }

    private TestJournal journal(final String name, final int nodeId, final Path keyFile) throws Exception
    {
        if (keyFile != null)
        {
            Files.createDirectories(keyFile.getParent());
        }
        return new TestJournal(dir.resolve(name).resolve("journal"), nodeId, MORNING, keyFile);
    }

    private static List<UUID> ids(final int count)
    {
        final List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    private void applied(final String municipality, final UUID id, final int count, final String status)
    {
        export.add(new AppliedExport.Line(municipality, id, count, MORNING.plusSeconds(1), status, 0));
    }

    private void sent(final String municipality, final UUID id, final String answer)
    {
        connector.add(new ConnectorRecord(id.toString(), municipality, null, 0, 0, MORNING.toEpochMilli(), answer));
    }

    private void writeExport() throws IOException
    {
        try (Writer out = Files.newBufferedWriter(dir.resolve("export.csv"), StandardCharsets.US_ASCII))
        {
            AppliedExport.writeHeader(out);
            for (final AppliedExport.Line line : export)
            {
                AppliedExport.writeLine(out, line);
            }
        }
    }

    private Run reconcile(final List<String> nodes, final int municipality, final int chunkFacts) throws IOException
    {
        writeExport();
        final List<Path> journals = nodes.stream().map(dir::resolve).toList();
        return run(new ReconcileScope(DAY, ZoneOffset.UTC, municipality, journals, dir.resolve("export.csv"),
            connector.isEmpty() ? List.of() : List.of(dir.resolve("outbox"))), chunkFacts);
    }

    private Run run(final ReconcileScope scope, final int chunkFacts) throws IOException
    {
        Files.createDirectories(dir.resolve("work"));
        final ConnectorRecordsSource records = (directory, each) -> connector.forEach(each);
        final Run run = new Run();
        final Consumer<String> quiet = message -> { };
        run.summary = new Reconciler(scope, chunkFacts, dir.resolve("work"), DeclaredBatches.NONE, records, quiet)
            .run(new ReportSink()
            {
                @Override
                public void begin(final ReconcileScope scope)
                {
                }

                @Override
                public void discrepancy(final Discrepancy discrepancy)
                {
                    run.found.add(discrepancy);
                }

                @Override
                public void end(final ReconcileSummary summary)
                {
                }
            });
        return run;
    }

    private static final class Run
    {
        final List<Discrepancy> found = new ArrayList<>();
        ReconcileSummary summary;

        /** Each finding by request id, or "batch N" for a batch finding; a request found twice fails the test. */
        Map<String, DiscrepancyKind> kindsById()
        {
            final Map<String, DiscrepancyKind> kinds = new java.util.HashMap<>();
            for (final Discrepancy d : found)
            {
                final String key = d.requestId() != null ? d.requestId() : "batch " + d.batchId();
                assertThat(kinds.put(key, d.kind())).as("second finding for %s: %s", key, d).isNull();
            }
            return kinds;
        }
    }
}
