package io.chukei.gateway.cli;

import io.chukei.gateway.journal.AcceptedView;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.journal.ToolAudit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code chukei journal dump}: the entries of a window, one line each, personal data masked unless {@code --unmask}. */
@Command(name = "dump", mixinStandardHelpOptions = true,
    description = "Every journal entry of a window, one line each, oldest first, optionally of one municipality or one " +
        "request. Submit bytes and payloads as sizes, digit runs of 12 or more masked: no personal number, name, " +
        "address, birth date or PIN block, unless --unmask (journaled).")
final class JournalDumpCommand implements Callable<Integer>
{
    /** Entries were listed, but some could not be opened: the listing is not the whole window. */
    static final int EXIT_UNREADABLE = 3;
    /** {@code --unmask}: the reading could not be journaled as an audit entry, so nothing was shown. */
    static final int EXIT_NOT_AUDITED = 4;
    private static final String UNREADABLE = "unreadable: ";

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Node data directory (journal in DIR/journal).")
    Path data;

    @Option(names = "--from", defaultValue = "-1h", paramLabel = "TIME",
        description = "Window start: an ISO instant, or relative to now (-30s, -10m, -2h, -1d). Default: ${DEFAULT-VALUE}.")
    String from;

    @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", description = "Window end, as --from, or now. Default: ${DEFAULT-VALUE}.")
    String to;

    @Option(names = "--municipality", paramLabel = "CODE", description = "Only entries of this municipality (6 digits).")
    String municipality;

    @Option(names = "--request-id", paramLabel = "UUID", description = "Only entries of this request.")
    UUID requestId;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The journal's key file (journal.keyFile); " +
        "default DIR/keys/journal.keys. Sealed entries are opened with it and shown masked as always.")
    Path keyFile;

    @Option(names = "--unmask", description = "Also print each Submit's personal fields in clear (personal number, " +
        "names, address, birth date, resident code, card and application ids, PIN block as hex). Needs the key ring; " +
        "the reading is first journaled as an AUDIT entry naming the OS user, host and window (action=journal-unmask).")
    boolean unmask;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws java.io.IOException
    {
        if (municipality != null && !municipality.matches("\\d{6}"))
        {
            throw new IllegalArgumentException("--municipality: '" + municipality + "' (expected: 6 digits such as 131016)");
        }
        if (!Files.isDirectory(JournalCommand.journalDirectory(data)))
        {
            spec.commandLine().getErr().println("journal dump: no journal at " + JournalCommand.journalDirectory(data));
            return JournalCommand.EXIT_USAGE;
        }
        final Instant start = CliTimes.parse("--from", from, clock);
        final Instant end = CliTimes.parse("--to", to, clock);
        final PrintWriter out = spec.commandLine().getOut();
        if (unmask)
        {
            final Integer refused = auditUnmask(start, end);
            if (refused != null)
            {
                return refused;
            }
        }
        final AcceptedView accepted = new AcceptedView();
        final long[] printed = new long[1];
        final long[] unreadable = new long[1];
        final String municipalityField = municipality == null ? null : "municipality=" + municipality;
        try (Journal journal = JournalCommand.openReadOnly(data, keyFile))
        {
            journal.events(nanos(start), nanos(end), event ->
            {
                if (requestId != null && (event.idHi() != requestId.getMostSignificantBits() ||
                    event.idLo() != requestId.getLeastSignificantBits()))
                {
                    return;
                }
                if (municipalityField != null && !event.summary().contains(municipalityField))
                {
                    return;
                }
                out.println(unmask && event.type() == JournalEventType.ACCEPTED && journal.readAccepted(event.index(),
                    accepted) ? event.toLine() + " " + UnmaskedSubmit.fields(accepted) : event.toLine());
                printed[0]++;
                if (event.summary().startsWith(UNREADABLE))
                {
                    unreadable[0]++;
                }
            });
        }
        out.flush();
        spec.commandLine().getErr().println("journal dump: " + printed[0] + " entries, " + start + " .. " + end +
            (unreadable[0] == 0 ? "" : "; " + unreadable[0] + " of them could not be opened (their lines say why: a key " +
                "the key ring lacks, or damage)"));
        return printed[0] == 0 ? JournalCommand.EXIT_NOT_FOUND : unreadable[0] > 0 ? EXIT_UNREADABLE : JournalCommand.EXIT_OK;
    }

    /**
     * Journals the reading before anything is shown: null when done, else the exit code (no key ring: nothing could be
     * unmasked; the entry not written: no reading without its trace).
     */
    private Integer auditUnmask(final Instant start, final Instant end)
    {
        final Path keys = keyFile != null ? keyFile : KeysCommand.defaultFile(data);
        if (!Files.isRegularFile(keys))
        {
            spec.commandLine().getErr().println("journal dump --unmask: no key ring at " + keys + " (expected: the " +
                "journal's key file, " + (keyFile != null ? "--key-file" : "DIR/keys/journal.keys or --key-file FILE") + ")");
            return JournalCommand.EXIT_USAGE;
        }
        final String actor = "tool:" + System.getProperty("user.name") + "@" + host();
        final String detail = "journal dump --unmask of " + start + " .. " + end +
            (municipality == null ? "" : " municipality " + municipality) + (requestId == null ? "" : " request " + requestId);
        try
        {
            final long index = ToolAudit.append(JournalConfig.builder().directory(JournalCommand.journalDirectory(data))
                .build(), actor, "journal-unmask", detail);
            spec.commandLine().getErr().println("journal dump --unmask: this reading is journaled at index " + index +
                " (actor=" + actor + " action=journal-unmask)");
            return null;
        }
        catch (final RuntimeException ex)
        {
            spec.commandLine().getErr().println("journal dump --unmask: the reading could not be journaled as an audit " +
                "entry (" + ex + "); nothing is shown");
            return EXIT_NOT_AUDITED;
        }
    }

    private static String host()
    {
        try
        {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (final java.io.IOException ex)
        {
            return "unknown-host";
        }
    }

    private static long nanos(final Instant instant)
    {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }
}
