package io.chukei.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chukei.gateway.batch.BatchAccount;
import io.chukei.gateway.batch.BatchLedger;
import io.chukei.gateway.batch.BatchSnapshot;
import io.chukei.gateway.batch.MergedBatch;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.journal.JournalFact;
import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.sbe.BatchMemberState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code chukei batch status}: a batch's account from one or several nodes' journals, merged. */
@Command(name = "batch", description = "Batch accounts from relay journals.", mixinStandardHelpOptions = true,
    subcommands = {BatchCommand.Status.class})
public final class BatchCommand
{
    static final int EXIT_COMPLETE = 0;
    static final int EXIT_NOT_FOUND = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INCOMPLETE = 3;
    private static final int MISSING_LISTED = 1_000;

    private BatchCommand()
    {
    }

    /** Exit 0: complete; 3: incomplete (or a conflict); 1: no node knows the batch; 2: usage. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Whether every sequence 1..N of a batch " +
        "has a final answer, over the journals of every node given (a failover splits members across nodes).")
    static final class Status implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "A node's data directory (journal in DIR/journal); repeat for every node of the cluster.")
        List<Path> data;

        @Option(names = "--municipality", paramLabel = "CODE",
            description = "Only this municipality's batch (batch ids are scoped to the municipality).")
        String municipality;

        @Option(names = "--json", description = "One JSON object per (municipality, batch).")
        boolean json;

        @Parameters(paramLabel = "ID", description = "The batch id (unsigned decimal, as connectors send it).")
        String batchIdText;

        @Override
        public Integer call() throws Exception
        {
            final long batchId;
            try
            {
                batchId = Long.parseUnsignedLong(batchIdText);
            }
            catch (final NumberFormatException ex)
            {
                spec.commandLine().getErr().println("batch status: ID: " + batchIdText + " (expected: an unsigned " +
                    "decimal batch id)");
                return EXIT_USAGE;
            }
            final int onlyScope = municipality == null ? Integer.MIN_VALUE : MunicipalityCodes.parse(municipality);
            final Map<Integer, List<BatchAccount>> byScope = new TreeMap<>();
            final Map<Integer, Boolean> declared = new LinkedHashMap<>();
            for (final Path dir : data)
            {
                if (!Files.isDirectory(JournalCommand.journalDirectory(dir)))
                {
                    spec.commandLine().getErr().println("batch status: no journal at " + JournalCommand.journalDirectory(dir));
                    return EXIT_USAGE;
                }
                readNode(dir, batchId, onlyScope, byScope, declared);
            }
            if (byScope.isEmpty())
            {
                spec.commandLine().getErr().println("batch status: batch " + batchIdText + " is in none of the journals " +
                    "given" + (municipality == null ? "" : " for municipality " + municipality));
                return EXIT_NOT_FOUND;
            }
            final PrintWriter out = spec.commandLine().getOut();
            boolean allComplete = true;
            for (final Map.Entry<Integer, List<BatchAccount>> entry : byScope.entrySet())
            {
                final MergedBatch batch = MergedBatch.of(entry.getValue(), declared.getOrDefault(entry.getKey(), false));
                allComplete &= batch.snapshot().complete() && batch.sizeConflicts().isEmpty() &&
                    batch.digest() != io.chukei.protocol.sbe.DigestCheck.MISMATCH;
                out.println(json ? json(batch, entry.getValue().size()) : human(batch, entry.getValue().size()));
            }
            out.flush();
            return allComplete ? EXIT_COMPLETE : EXIT_INCOMPLETE;
        }

        /** One node's account of the batch, for each municipality that used the id there; facts of others skipped. */
        private static void readNode(final Path dir, final long batchId, final int onlyScope,
            final Map<Integer, List<BatchAccount>> byScope, final Map<Integer, Boolean> declared)
        {
            final BatchLedger ledger = new BatchLedger(Integer.MAX_VALUE, 1_000_000).adoptUndeclared();
            final java.util.function.Consumer<JournalFact> rebuild = ledger.rebuilder();
            final java.util.Set<Integer> scopes = new java.util.TreeSet<>();
            try (Journal journal = Journal.open(JournalConfig.builder().directory(JournalCommand.journalDirectory(dir))
                .readOnly(true).build()))
            {
                journal.forEachFact(fact ->
                {
                    final boolean ofBatch = fact.batchId() == batchId &&
                        (onlyScope == Integer.MIN_VALUE || fact.scope() == onlyScope);
                    if (fact.type() == JournalEventType.BATCH_DECLARED || fact.type() == JournalEventType.ACCEPTED)
                    {
                        if (!ofBatch)
                        {
                            return;
                        }
                        scopes.add(fact.scope());
                        if (fact.type() == JournalEventType.BATCH_DECLARED)
                        {
                            declared.put(fact.scope(), true);
                        }
                    }
                    rebuild.accept(fact);
                });
            }
            for (final int scope : scopes)
            {
                final BatchAccount account = ledger.find(scope, batchId);
                if (account != null)
                {
                    byScope.computeIfAbsent(scope, s -> new ArrayList<>()).add(account);
                }
            }
        }

        private static String human(final MergedBatch batch, final int nodes)
        {
            final BatchSnapshot s = batch.snapshot();
            final StringBuilder text = new StringBuilder();
            text.append("batch ").append(Long.toUnsignedString(batch.batchId())).append("  municipality ")
                .append(MunicipalityCodes.format(batch.scope())).append("  size ").append(s.size()).append("  ")
                .append(s.complete() ? "COMPLETE" : "INCOMPLETE").append("  (").append(nodes).append(nodes == 1 ?
                    " node" : " nodes").append(batch.declared() ? ", manifest journaled" : ", no manifest: size from members")
                .append(")\n");
            text.append("  completed OK ").append(s.count(BatchMemberState.COMPLETED_OK))
                .append("  refused ").append(s.count(BatchMemberState.COMPLETED_REFUSED))
                .append("  rejected ").append(s.count(BatchMemberState.REJECTED))
                .append("  outcome unknown ").append(s.count(BatchMemberState.OUTCOME_UNKNOWN))
                .append("  accepted, no final answer ").append(s.count(BatchMemberState.ACCEPTED))
                .append("  never seen ").append(s.count(BatchMemberState.NEVER_SEEN)).append('\n');
            text.append("  digest ").append(batch.digest());
            if (s.lastMemberEpochMs() > 0)
            {
                text.append("  last member ").append(Instant.ofEpochMilli(s.lastMemberEpochMs()));
            }
            final List<Long> missing = s.missing(MISSING_LISTED);
            if (!missing.isEmpty())
            {
                text.append("\n  missing sequences: ").append(ranges(missing));
                final int more = s.count(BatchMemberState.NEVER_SEEN) - missing.size();
                if (more > 0)
                {
                    text.append(" (and ").append(more).append(" more)");
                }
            }
            for (final BatchSnapshot.Range open : s.ranges(1, Integer.MAX_VALUE))
            {
                if (open.state() == BatchMemberState.ACCEPTED || open.state() == BatchMemberState.OUTCOME_UNKNOWN)
                {
                    text.append("\n  ").append(open.state()).append(": ").append(open.firstSequence())
                        .append(open.length() > 1 ? ".." + (open.firstSequence() + open.length() - 1) : "");
                }
            }
            for (final String conflict : batch.sizeConflicts())
            {
                text.append("\n  CONFLICT: ").append(conflict);
            }
            return text.toString();
        }

        private static String json(final MergedBatch batch, final int nodes) throws Exception
        {
            final BatchSnapshot s = batch.snapshot();
            final ObjectMapper mapper = new ObjectMapper();
            final ObjectNode root = mapper.createObjectNode();
            root.put("batchId", Long.toUnsignedString(batch.batchId()));
            root.put("municipality", MunicipalityCodes.format(batch.scope()));
            root.put("size", s.size());
            root.put("complete", s.complete());
            root.put("nodes", nodes);
            root.put("manifest", batch.declared());
            final ObjectNode counts = root.putObject("counts");
            for (final BatchMemberState state : BatchMemberState.values())
            {
                if (state != BatchMemberState.NULL_VAL)
                {
                    counts.put(state.name(), s.count(state));
                }
            }
            root.put("digest", batch.digest().name());
            root.put("lastMemberEpochMs", s.lastMemberEpochMs());
            final ArrayNode missing = root.putArray("missing");
            s.missing(MISSING_LISTED).forEach(missing::add);
            root.put("missingMore", Math.max(0, s.count(BatchMemberState.NEVER_SEEN) - MISSING_LISTED));
            final ArrayNode conflicts = root.putArray("conflicts");
            batch.sizeConflicts().forEach(conflicts::add);
            return mapper.writeValueAsString(root);
        }

        /** "3, 7..9, 12": ascending sequences folded into runs. */
        static String ranges(final List<Long> sequences)
        {
            final StringBuilder text = new StringBuilder();
            int i = 0;
            while (i < sequences.size())
            {
                int j = i;
                while (j + 1 < sequences.size() && sequences.get(j + 1) == sequences.get(j) + 1)
                {
                    j++;
                }
                text.append(text.length() == 0 ? "" : ", ").append(sequences.get(i));
                if (j > i)
                {
                    text.append("..").append(sequences.get(j));
                }
                i = j + 1;
            }
            return text.toString();
        }
    }
}
