package io.chukei.gateway.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.journal.RequestFacts;
import io.chukei.protocol.codec.MunicipalityCodes;

/**
 * Compares every node's journal, card management's applied-request export and (optionally) connectors' records,
 * request by request: all sources are read once into {@link Fact}s, sorted by (municipality, request id) with a
 * bounded {@link FactSorter}, and each request's facts are judged together ({@link RequestGroup}); batches are
 * accounted as their members pass ({@link BatchAccounts}). Findings stream to a {@link ReportSink}.
 * <p>
 * Journals are read through their clear part only ({@link RequestFacts}): no journal key is needed and no personal
 * data is opened.
 */
public final class Reconciler
{
    private static final long PROGRESS_EVERY = 1_000_000;
    private static final int STATUS_OK = 1;
    private static final int STATUS_REFUSED = 2;

    private final ReconcileScope scope;
    private final int chunkFacts;
    private final Path workDirectory;
    private final DeclaredBatches declaredBatches;
    private final ConnectorRecordsSource connectorRecords;
    private final Consumer<String> progress;
    /** Journal entries the reading left out for failing their checksum (a run reads once). */
    private long damagedJournalEntries;

    /**
     * @param chunkFacts facts sorted in memory at once (about 80 bytes of heap each), the memory bound
     * @param progress told what is happening every million facts and at each phase (stderr for the command)
     */
    public Reconciler(final ReconcileScope scope, final int chunkFacts, final Path workDirectory,
        final DeclaredBatches declaredBatches, final ConnectorRecordsSource connectorRecords, final Consumer<String> progress)
    {
        this.scope = scope;
        this.chunkFacts = chunkFacts;
        this.workDirectory = workDirectory;
        this.declaredBatches = declaredBatches;
        this.connectorRecords = connectorRecords;
        this.progress = progress;
    }

    /** The journal directory of a node data directory (DIR/journal), or DIR itself when it is one. */
    public static Path journalDirectory(final Path directory)
    {
        final Path inside = directory.resolve("journal");
        return Files.isDirectory(inside) ? inside : directory;
    }

    public ReconcileSummary run(final ReportSink sink)
    {
        final long startNs = System.nanoTime();
        final String[] names = scope.journals().stream().map(Path::toString).toArray(String[]::new);
        try (FactSorter sorter = new FactSorter(chunkFacts, workDirectory))
        {
            long journalFacts = 0;
            for (int source = 0; source < scope.journals().size(); source++)
            {
                journalFacts += readJournal(sorter, source);
            }
            final long exportLines = readExport(sorter);
            long connectorFacts = 0;
            for (final Path directory : scope.connectorRecords())
            {
                connectorFacts += readConnectorRecords(sorter, directory);
            }
            progress.accept("sorting and comparing " + sorter.total() + " facts (" + (sorter.runsSpilled() +
                1) + " sorted run(s))");
            sink.begin(scope);
            final Judge judge = new Judge(names, sink);
            sorter.merge(judge::group);
            judge.batches.finish(declaredBatches, scope.municipality(), judge::report);
            final ReconcileSummary summary = new ReconcileSummary(journalFacts, damagedJournalEntries, exportLines,
                connectorFacts, judge.requests,
                judge.found, judge.byKind(), judge.batches.batches(), judge.batches.incomplete(), sorter.runsSpilled(),
                (System.nanoTime() - startNs) / 1_000_000);
            sink.end(summary);
            return summary;
        }
    }

    private long readJournal(final FactSorter sorter, final int source)
    {
        final Path directory = journalDirectory(scope.journals().get(source));
        if (!Files.isDirectory(directory))
        {
            throw new IllegalArgumentException("--journals " + scope.journals().get(source) + ": no journal there " +
                "(expected: a node data directory with DIR/journal, or a journal directory)");
        }
        progress.accept("reading journal " + (source + 1) + "/" + scope.journals().size() + " " + directory);
        final long[] read = {0};
        try (Journal journal = Journal.open(JournalConfig.builder().directory(directory).readOnly(true).build()))
        {
            journal.forEachRequestFact(facts ->
            {
                if (scope.municipality() >= 0 && facts.scope() != scope.municipality())
                {
                    return;
                }
                sorter.add(facts.scope(), facts.idHi(), facts.idLo(), kindOf(facts.type()), source, facts.code(),
                    facts.nodeId(), facts.timestampNs() / 1_000_000, facts.batchId(), facts.batchSequence(), facts.batchSize());
                if (++read[0] % PROGRESS_EVERY == 0)
                {
                    progress.accept("journal " + (source + 1) + ": " + read[0] + " request entries read");
                }
            });
            damagedJournalEntries += journal.damagedEntriesLeftOut();
        }
        return read[0];
    }

    private static byte kindOf(final JournalEventType type)
    {
        return switch (type)
        {
            case ACCEPTED -> Fact.ACCEPTED;
            case COMPLETED -> Fact.COMPLETED;
            case REJECTED -> Fact.REJECTED;
            case OUTCOME_UNKNOWN -> Fact.OUTCOME_UNKNOWN;
            default -> throw new IllegalStateException("not a request fact: " + type);
        };
    }

    private long readExport(final FactSorter sorter)
    {
        progress.accept("reading card management's export " + scope.upstreamExport());
        return ExportScanner.read(scope.upstreamExport(), (municipality, idHi, idLo, appliedCount, firstAppliedAtMs, ok,
            upstreamCode, lineNumber) ->
        {
            if (scope.municipality() >= 0 && municipality != scope.municipality())
            {
                return;
            }
            sorter.add(municipality, idHi, idLo, Fact.APPLIED, 0, ok ? STATUS_OK : STATUS_REFUSED, appliedCount,
                firstAppliedAtMs, RequestFacts.NO_BATCH, 0, 0);
            if (lineNumber % PROGRESS_EVERY == 0)
            {
                progress.accept("export: " + lineNumber + " lines read");
            }
        });
    }

    private long readConnectorRecords(final FactSorter sorter, final Path directory)
    {
        progress.accept("reading connector records " + directory);
        final long[] read = {0};
        try
        {
            connectorRecords.forEach(directory, record ->
            {
                final int municipality = MunicipalityCodes.parse(record.municipality());
                if (scope.municipality() >= 0 && municipality != scope.municipality())
                {
                    return;
                }
                final java.util.UUID id = io.chukei.protocol.codec.RequestIds.parse(record.requestId());
                final long batchId = record.batchId() == null ? RequestFacts.NO_BATCH : Long.parseUnsignedLong(record.batchId());
                sorter.add(municipality, id.getMostSignificantBits(), id.getLeastSignificantBits(), Fact.SENT, 0,
                    record.answerCode(), 0, record.submittedAtEpochMs(), batchId, record.batchSequence(), record.batchSize());
                read[0]++;
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("--connector-records " + directory + ": " + ex.getMessage(), ex);
        }
        return read[0];
    }

    /** Judges each request as the merge hands it over, within the scope asked for. */
    private final class Judge
    {
        final RequestGroup group;
        final ReportSink sink;
        final BatchAccounts batches = new BatchAccounts();
        final long[] counts = new long[DiscrepancyKind.values().length];
        final long fromMs = scope.fromMs();
        final long toMs = scope.toMs();
        long requests;
        long found;

        Judge(final String[] names, final ReportSink sink)
        {
            this.group = new RequestGroup(names);
            this.sink = sink;
        }

        void group(final org.agrona.DirectBuffer facts, final int[] offsets, final int count)
        {
            group.load(facts, offsets, count);
            final long at = group.referenceMs();
            if (at < fromMs || at >= toMs)
            {
                return;
            }
            requests++;
            final int discrepancies = group.findDiscrepancies(this::report);
            if (group.inBatch())
            {
                batches.member(group.scope, group.batchId, group.batchSequence, group.batchSize,
                    discrepancies == 0 && group.answered());
            }
            if (requests % PROGRESS_EVERY == 0)
            {
                progress.accept("compared " + requests + " requests, " + found + " discrepancies so far");
            }
        }

        void report(final Discrepancy discrepancy)
        {
            found++;
            counts[discrepancy.kind().ordinal()]++;
            sink.discrepancy(discrepancy);
        }

        Map<DiscrepancyKind, Long> byKind()
        {
            final Map<DiscrepancyKind, Long> byKind = new EnumMap<>(DiscrepancyKind.class);
            for (final DiscrepancyKind kind : DiscrepancyKind.values())
            {
                byKind.put(kind, counts[kind.ordinal()]);
            }
            return byKind;
        }
    }
}
