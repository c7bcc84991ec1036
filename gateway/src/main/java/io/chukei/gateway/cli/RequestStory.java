package io.chukei.gateway.cli;

import io.chukei.gateway.journal.AcceptedView;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.protocol.sbe.MessageHeaderDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request's story across the journals of several nodes (a cluster): per node what it did — accepted, how many
 * forward attempts, what it answered, whether the verdict came after the deadline — then every entry of every
 * journal in time order. Reads only; allocates freely (a tool, not a hot path).
 */
final class RequestStory
{
    // The summaries are the formatter's words; these read back the few values the story needs.
    private static final Pattern ATTEMPT = Pattern.compile("\\battempt=(\\d+)");
    private static final Pattern STATUS = Pattern.compile("\\bstatus=(\\w+)");
    private static final Pattern CODE = Pattern.compile("\\bcode=(\\w+)");
    private static final Pattern ACCEPTED_BEFORE = Pattern.compile("\\bacceptedBefore=true");

    /** One journal's part: its label (node id when an ACCEPTED entry names it, else the directory) and entries. */
    record Part(String label, Path directory, List<JournalEvent> events, String batch)
    {
    }

    private final List<Part> parts = new ArrayList<>();

    /** Reads the request's entries from {@code journal} (a full scan). */
    void read(final Path directory, final Journal journal, final long idHi, final long idLo)
    {
        final List<JournalEvent> events = journal.trace(idHi, idLo);
        String label = directory.toString();
        String batch = "";
        final AcceptedView view = new AcceptedView();
        for (final JournalEvent event : events)
        {
            if (event.type() == JournalEventType.ACCEPTED && journal.readAccepted(event.index(), view))
            {
                label = "node " + view.nodeId();
                batch = batchOf(view);
                break;
            }
        }
        parts.add(new Part(label, directory, events, batch));
    }

    boolean isEmpty()
    {
        return parts.stream().allMatch(part -> part.events().isEmpty());
    }

    /** The per-node summary, then every entry of every journal by timestamp, each line naming its node. */
    void print(final PrintWriter out)
    {
        for (final Part part : parts)
        {
            out.println(part.label() + " (" + part.directory() + "): " + verdict(part.events()) + part.batch());
        }
        final List<String[]> lines = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        for (final Part part : parts)
        {
            for (final JournalEvent event : part.events())
            {
                lines.add(new String[] {part.label(), event.toLine()});
                times.add(event.timestampNs());
            }
        }
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(times::get));
        for (final int i : order)
        {
            out.println("[" + lines.get(i)[0] + "] " + lines.get(i)[1]);
        }
    }

    /** What one node did with the request, from its entries alone. */
    static String verdict(final List<JournalEvent> events)
    {
        if (events.isEmpty())
        {
            return "no entries";
        }
        int forwards = 0;
        int highestAttempt = 0;
        boolean accepted = false;
        boolean outcomeUnknown = false;
        String answer = null;
        for (final JournalEvent event : events)
        {
            switch (event.type())
            {
                case ACCEPTED -> accepted = true;
                case FORWARDED ->
                {
                    forwards++;
                    highestAttempt = Math.max(highestAttempt, number(ATTEMPT, event.summary()));
                }
                case OUTCOME_UNKNOWN -> outcomeUnknown = true;
                case COMPLETED -> answer = answer != null ? answer : "RESULT " + word(STATUS, event.summary()) +
                    (outcomeUnknown ? " (card management's verdict learned after the deadline: the connector was told " +
                        "OUTCOME_UNKNOWN first)" : "");
                case REJECTED ->
                {
                    if (answer == null && ACCEPTED_BEFORE.matcher(event.summary()).find())
                    {
                        answer = "REJECTED " + word(CODE, event.summary());
                    }
                    else if (!accepted)
                    {
                        answer = answer != null ? answer : "refused before acceptance: " + word(CODE, event.summary());
                    }
                }
                default ->
                {
                    // AUDIT entries carry no request.
                }
            }
        }
        final String attempts = forwards + " forward(s) journaled, highest attempt " + highestAttempt;
        if (answer != null)
        {
            return "answered " + answer + "; " + attempts;
        }
        if (outcomeUnknown)
        {
            return "OUTCOME_UNKNOWN, no verdict yet (the node asks card management again while it runs and after a " +
                "restart); " + attempts;
        }
        return accepted ? "pending, no final answer in this journal; " + attempts : attempts;
    }

    private static String batchOf(final AcceptedView view)
    {
        if (view.submitLength() < MessageHeaderDecoder.ENCODED_LENGTH + SubmitDecoder.BLOCK_LENGTH)
        {
            return "";
        }
        final SubmitDecoder submit = new SubmitDecoder();
        submit.wrap(view.submit(), MessageHeaderDecoder.ENCODED_LENGTH, SubmitDecoder.BLOCK_LENGTH,
            SubmitDecoder.SCHEMA_VERSION);
        if (submit.batchId() == SubmitDecoder.batchIdNullValue())
        {
            return "; not in a batch";
        }
        return "; batch " + Long.toUnsignedString(submit.batchId()) + " sequence " + submit.batchSequence() + "/" +
            submit.batchSize();
    }

    private static int number(final Pattern pattern, final String text)
    {
        final Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private static String word(final Pattern pattern, final String text)
    {
        final Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : "?";
    }
}
