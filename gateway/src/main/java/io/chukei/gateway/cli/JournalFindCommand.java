package io.chukei.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalFact;
import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.codec.WireNames;
import io.chukei.protocol.sbe.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code chukei journal find}: the requests of one or several nodes' journals that match a municipality, a batch, a
 * state and a time window — "did every request of batch X get a final answer?", "which requests of municipality Y are
 * accepted and not completed?". One sequential pass per journal; only requests passing the municipality, batch and
 * time filters are remembered (about 150 bytes each), so memory follows the answer, not the journal. A request seen
 * on several nodes (a failover) is one line whose state is the most advanced (answered &gt; outcome-unknown &gt;
 * pending &gt; rejected) and which lists every node. No personal data is printed: ids, codes, batch fields, times.
 */
@Command(name = "find", mixinStandardHelpOptions = true, description = "Requests by municipality, batch, state and " +
    "time over one or several nodes' journals (no personal data printed).")
final class JournalFindCommand implements Callable<Integer>
{
    /** A request's state across the journals read, in merge order. */
    enum State
    {
        REJECTED("rejected"), PENDING("pending"), OUTCOME_UNKNOWN("outcome-unknown"), ANSWERED("answered");

        final String label;

        State(final String label)
        {
            this.label = label;
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A node's data directory; repeatable.")
    List<Path> data;

    @Option(names = "--municipality", paramLabel = "CODE", description = "Only this municipality's requests.")
    String municipality;

    @Option(names = "--batch", paramLabel = "ID", description = "Only members of this batch (unsigned decimal id).")
    String batch;

    @Option(names = "--state", paramLabel = "STATE",
        description = "pending | answered | outcome-unknown | rejected | rejected:CODE (e.g. rejected:DEADLINE_EXCEEDED).")
    String state;

    @Option(names = "--from", paramLabel = "INSTANT", description = "Accepted (or refused) at or after, ISO-8601 UTC.")
    Instant from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Accepted (or refused) before, ISO-8601 UTC.")
    Instant to;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    /** What the journals say about one request. */
    static final class Found
    {
        final int scope;
        final long hi;
        final long lo;
        long atNs;
        long batchId = JournalFact.NONE;
        long sequence = JournalFact.NONE;
        long size = JournalFact.NONE;
        boolean answered;
        boolean rejected;
        int errorCode;
        int okStatus;
        int forwardAttempts;
        final TreeSet<String> nodes = new TreeSet<>();
        /** Nodes whose journal holds the request accepted and not ended (no COMPLETED, no terminal REJECTED). */
        final TreeSet<String> openOn = new TreeSet<>();
        final TreeSet<String> outcomeUnknownOn = new TreeSet<>();

        Found(final int scope, final long hi, final long lo)
        {
            this.scope = scope;
            this.hi = hi;
            this.lo = lo;
        }

        /**
         * Per node the last word counts (a DEADLINE_EXCEEDED ends what that node accepted); across nodes the most
         * advanced: a verdict anywhere, else outcome unknown on a node, else still open on a node, else rejected.
         */
        State state()
        {
            if (answered)
            {
                return State.ANSWERED;
            }
            if (!outcomeUnknownOn.isEmpty())
            {
                return State.OUTCOME_UNKNOWN;
            }
            if (!openOn.isEmpty() || !rejected)
            {
                return State.PENDING;
            }
            return State.REJECTED;
        }
    }

    private record Key(int scope, long hi, long lo)
    {
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter err = spec.commandLine().getErr();
        final int onlyScope = municipality == null ? Integer.MIN_VALUE : MunicipalityCodes.parse(municipality);
        if (municipality != null && onlyScope < 0)
        {
            err.println("journal find: --municipality " + municipality + " (expected: a 6-digit municipality code)");
            return JournalCommand.EXIT_USAGE;
        }
        final long onlyBatch;
        try
        {
            onlyBatch = batch == null ? JournalFact.NONE : Long.parseUnsignedLong(batch);
        }
        catch (final NumberFormatException ex)
        {
            err.println("journal find: --batch " + batch + " (expected: an unsigned decimal batch id)");
            return JournalCommand.EXIT_USAGE;
        }
        final StateFilter filter = StateFilter.parse(state);
        if (filter == null)
        {
            err.println("journal find: --state " + state + " (expected: pending, answered, outcome-unknown, rejected or " +
                "rejected:CODE with CODE an error code name)");
            return JournalCommand.EXIT_USAGE;
        }
        final long fromNs = from == null ? Long.MIN_VALUE : from.getEpochSecond() * 1_000_000_000L + from.getNano();
        final long toNs = to == null ? Long.MAX_VALUE : to.getEpochSecond() * 1_000_000_000L + to.getNano();
        final Map<Key, Found> found = new HashMap<>();
        for (final Path dir : data)
        {
            if (!Files.isDirectory(JournalCommand.journalDirectory(dir)))
            {
                err.println("journal find: no journal at " + JournalCommand.journalDirectory(dir));
                return JournalCommand.EXIT_USAGE;
            }
            final String node = dir.toString();
            try (Journal journal = Journal.open(JournalConfig.builder().directory(JournalCommand.journalDirectory(dir))
                .readOnly(true).build()))
            {
                journal.forEachFact(fact -> visit(fact, node, onlyScope, onlyBatch, fromNs, toNs, found));
            }
        }
        final List<Found> matches = new ArrayList<>();
        for (final Found f : found.values())
        {
            if (filter.matches(f))
            {
                matches.add(f);
            }
        }
        matches.sort(Comparator.comparingLong((Found f) -> f.atNs).thenComparingLong(f -> f.sequence));
        final PrintWriter out = spec.commandLine().getOut();
        final ObjectMapper mapper = new ObjectMapper();
        for (final Found f : matches)
        {
            out.println(json ? json(mapper, f) : line(f));
        }
        if (!json)
        {
            out.println(matches.size() + " request(s)");
        }
        out.flush();
        return JournalCommand.EXIT_OK;
    }

    private static void visit(final JournalFact fact, final String node, final int onlyScope, final long onlyBatch,
        final long fromNs, final long toNs, final Map<Key, Found> found)
    {
        if ((fact.idHi() == 0 && fact.idLo() == 0) || onlyScope != Integer.MIN_VALUE && fact.scope() != onlyScope)
        {
            return;
        }
        switch (fact.type())
        {
            case ACCEPTED ->
            {
                if (onlyBatch != JournalFact.NONE && fact.batchId() != onlyBatch || fact.timestampNs() < fromNs ||
                    fact.timestampNs() >= toNs)
                {
                    return;
                }
                final Found f = found.computeIfAbsent(new Key(fact.scope(), fact.idHi(), fact.idLo()),
                    k -> new Found(k.scope(), k.hi(), k.lo()));
                f.atNs = f.atNs == 0 ? fact.timestampNs() : Math.min(f.atNs, fact.timestampNs());
                f.batchId = fact.batchId();
                f.sequence = fact.batchSequence();
                f.size = fact.batchSize();
                f.nodes.add(node);
                f.openOn.add(node);
            }
            case REJECTED ->
            {
                final Key key = new Key(fact.scope(), fact.idHi(), fact.idLo());
                Found f = found.get(key);
                if (f == null && !fact.acceptedBefore() && onlyBatch == JournalFact.NONE && fact.timestampNs() >= fromNs &&
                    fact.timestampNs() < toNs)
                {
                    // Refused at arrival (a field rule): never accepted, so its only entry is this one.
                    f = new Found(key.scope(), key.hi(), key.lo());
                    f.atNs = fact.timestampNs();
                    found.put(key, f);
                }
                if (f != null)
                {
                    f.nodes.add(node);
                    f.rejected = true;
                    f.errorCode = fact.errorCode();
                    if (fact.acceptedBefore())
                    {
                        f.openOn.remove(node);
                        f.outcomeUnknownOn.remove(node);
                    }
                }
            }
            case FORWARDED, OUTCOME_UNKNOWN, COMPLETED ->
            {
                final Found f = found.get(new Key(fact.scope(), fact.idHi(), fact.idLo()));
                if (f == null)
                {
                    return;
                }
                switch (fact.type())
                {
                    case FORWARDED -> f.forwardAttempts = Math.max(f.forwardAttempts, fact.forwardAttempt());
                    case OUTCOME_UNKNOWN -> f.outcomeUnknownOn.add(node);
                    default ->
                    {
                        f.okStatus = fact.status();
                        f.answered = true;
                        f.openOn.remove(node);
                        f.outcomeUnknownOn.remove(node);
                    }
                }
            }
            default ->
            {
                // AUDIT, BATCH_DECLARED: no request.
            }
        }
    }

    private static String line(final Found f)
    {
        return Instant.ofEpochSecond(0, f.atNs) + " " + MunicipalityCodes.format(f.scope) + " " +
            new java.util.UUID(f.hi, f.lo) + " " + stateText(f) +
            (f.batchId == JournalFact.NONE ? "" : " batch=" + Long.toUnsignedString(f.batchId) + " seq=" + f.sequence + "/" +
                f.size) + " forwardAttempts=" + f.forwardAttempts + " nodes=" + String.join(",", f.nodes);
    }

    private static String stateText(final Found f)
    {
        return switch (f.state())
        {
            case REJECTED -> "rejected:" + codeName(f.errorCode);
            case ANSWERED -> "answered:" + (f.okStatus == 1 ? "OK" : "REFUSED");
            default -> f.state().label;
        };
    }

    private static String codeName(final int code)
    {
        return code == ErrorCode.NULL_VAL.value() ? String.valueOf(code) : WireNames.errorCode(code);
    }

    private static String json(final ObjectMapper mapper, final Found f) throws Exception
    {
        final ObjectNode o = mapper.createObjectNode();
        o.put("at", Instant.ofEpochSecond(0, f.atNs).toString());
        o.put("municipality", MunicipalityCodes.format(f.scope));
        o.put("requestId", new java.util.UUID(f.hi, f.lo).toString());
        o.put("state", f.state().label);
        if (f.state() == State.REJECTED)
        {
            o.put("code", codeName(f.errorCode));
        }
        if (f.state() == State.ANSWERED)
        {
            o.put("status", f.okStatus == 1 ? "OK" : "REFUSED");
        }
        if (f.batchId != JournalFact.NONE)
        {
            o.put("batchId", Long.toUnsignedString(f.batchId));
            o.put("batchSequence", f.sequence);
            o.put("batchSize", f.size);
        }
        o.put("forwardAttempts", f.forwardAttempts);
        o.putArray("nodes").addAll(f.nodes.stream().map(o::textNode).toList());
        return mapper.writeValueAsString(o);
    }

    /** --state: a state, and for rejected an optional code. */
    record StateFilter(State state, String code)
    {
        static StateFilter parse(final String text)
        {
            if (text == null)
            {
                return new StateFilter(null, null);
            }
            final String[] parts = text.split(":", 2);
            for (final State s : State.values())
            {
                if (s.label.equals(parts[0]))
                {
                    if (parts.length == 2 && (s != State.REJECTED || !isCode(parts[1])))
                    {
                        return null;
                    }
                    return new StateFilter(s, parts.length == 2 ? parts[1] : null);
                }
            }
            return null;
        }

        private static boolean isCode(final String name)
        {
            for (final ErrorCode code : ErrorCode.values())
            {
                if (code.name().equals(name) && code != ErrorCode.NULL_VAL)
                {
                    return true;
                }
            }
            return false;
        }

        boolean matches(final Found f)
        {
            return state == null || f.state() == state && (code == null || code.equals(codeName(f.errorCode)));
        }
    }
}
