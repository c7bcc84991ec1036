package io.chukei.gateway.cardsim;

import io.chukei.gateway.files.PrivateFiles;
import io.chukei.protocol.codec.RequestIds;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The simulator's effects ledger: an append-only CSV file, {@code DIR/ledger.csv}, one line
 * per decision, written with one {@code write} call per line so that a line is in the
 * operating system's hands before its answer leaves (it survives a kill of the simulator,
 * not a power cut: no fsync).
 *
 * <pre>
 * # chukei cardsim ledger v1
 * kind,requestId,municipality,operation,status,upstreamCode,atUtc,nodeId,forwardAttempt
 * APPLIED,0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f,131016,CARD_ISSUE,OK,0,2026-05-01T09:00:00.123Z,1,1
 * DUPLICATE,0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f,131016,CARD_ISSUE,OK,0,2026-05-01T09:00:02.456Z,2,2
 * </pre>
 *
 * {@code APPLIED} is the first (and only) decision for a request id, OK or REFUSED;
 * {@code DUPLICATE} is a later Forward answered with the stored outcome. Transient failures
 * are not written: they change nothing. The submit bytes, and so personal numbers, are
 * never written. Lines that cannot be parsed (e.g. a torn last line after a kill) are skipped
 * when reading.
 */
public final class Ledger implements AutoCloseable
{
    /** The ledger's file name inside the data directory. */
    public static final String FILE_NAME = "ledger.csv";
    /** Kind of the line recording a request id's first decision. */
    public static final String APPLIED = "APPLIED";
    /** Kind of the line recording a duplicate Forward answered with the stored outcome. */
    public static final String DUPLICATE = "DUPLICATE";

    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    private static final String HEADER =
        "# chukei cardsim ledger v1\nkind,requestId,municipality,operation,status,upstreamCode,atUtc,nodeId,forwardAttempt\n";
    private static final int FIELD_COUNT = 9;

    private final Path file;
    private final FileChannel channel;
    private final StringBuilder line = new StringBuilder(160);
    /** The line's bytes (ASCII), reused (grown for a longer line): no String and no encoder per line. */
    private ByteBuffer lineBytes = ByteBuffer.allocateDirect(256);
    /** {@code atUtc} to the second ("2026-12-06T22:45:53"), formatted once per second rather than once per line. */
    private long formattedSecond = Long.MIN_VALUE;
    private String formattedSecondText = "";

    private Ledger(final Path file, final FileChannel channel)
    {
        this.file = file;
        this.channel = channel;
    }

    /** One parsed ledger line. {@code operation} is the wire value (the name is written when known). */
    public record Entry(
        String kind,
        UUID requestId,
        String municipality,
        short operation,
        OutcomeStatus status,
        int upstreamCode,
        Instant at,
        int nodeId,
        int forwardAttempt)
    {
        public boolean isApplied()
        {
            return APPLIED.equals(kind);
        }
    }

    /** The ledger file inside {@code dataDirectory}. */
    public static Path file(final Path dataDirectory)
    {
        return dataDirectory.resolve(FILE_NAME);
    }

    /**
     * Opens (creating directory and file as needed) the ledger in {@code dataDirectory} for
     * appending, after handing every existing line to {@code existing}.
     */
    static Ledger open(final Path dataDirectory, final Consumer<Entry> existing) throws IOException
    {
        PrivateFiles.createDirectories(dataDirectory);
        final Path file = file(dataDirectory);
        final boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        if (!fresh)
        {
            forEach(file, existing);
            // A torn line from a kill mid-write held no decision (nothing was answered for it): cut off, so that every
            // line of the file is whole and an unreadable one further up can only be damage.
            removeTornLastLine(file);
        }
        PrivateFiles.createFileIfAbsent(file);
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        final Ledger ledger = new Ledger(file, channel);
        if (fresh)
        {
            ledger.write(HEADER);
        }
        return ledger;
    }

    public Path file()
    {
        return file;
    }

    /** Records a request id's first decision; false when the line could not be written. */
    boolean applied(
        final UUID requestId, final String municipality, final short operationRaw, final Verdict verdict,
        final long epochMs, final int nodeId, final int forwardAttempt)
    {
        return append(APPLIED, requestId, municipality, operationRaw, verdict, epochMs, nodeId, forwardAttempt);
    }

    /** Records a duplicate Forward answered with the stored verdict; false when the line could not be written. */
    boolean duplicate(
        final UUID requestId, final String municipality, final short operationRaw, final Verdict verdict,
        final long epochMs, final int nodeId, final int forwardAttempt)
    {
        return append(DUPLICATE, requestId, municipality, operationRaw, verdict, epochMs, nodeId, forwardAttempt);
    }

    private boolean append(
        final String kind, final UUID requestId, final String municipality, final short operationRaw,
        final Verdict verdict, final long epochMs, final int nodeId, final int forwardAttempt)
    {
        line.setLength(0);
        line.append(kind).append(',')
            .append(requestId).append(',')
            .append(municipality).append(',')
            .append(operationName(operationRaw)).append(',')
            .append(verdict.status().name()).append(',')
            .append(verdict.upstreamCode()).append(',')
            .append(secondText(epochMs)).append('.');
        final int millis = (int)Math.floorMod(epochMs, 1000L);
        line.append((char)('0' + millis / 100)).append((char)('0' + millis / 10 % 10)).append((char)('0' + millis % 10))
            .append("Z,")
            .append(nodeId).append(',')
            .append(forwardAttempt).append('\n');
        try
        {
            write(line);
            return true;
        }
        catch (final IOException ex)
        {
            LOG.error("ledger {}: append failed", file, ex);
            return false;
        }
    }

    /** ISO-8601 UTC to the second, as {@link Instant#toString()} begins, cached for the second. */
    private String secondText(final long epochMs)
    {
        final long second = Math.floorDiv(epochMs, 1000L);
        if (second != formattedSecond)
        {
            formattedSecond = second;
            formattedSecondText = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        }
        return formattedSecondText;
    }

    private void write(final CharSequence text) throws IOException
    {
        if (lineBytes.capacity() < text.length())
        {
            lineBytes = ByteBuffer.allocateDirect(Integer.highestOneBit(text.length()) << 1);
        }
        final ByteBuffer bytes = lineBytes.clear();
        for (int i = 0; i < text.length(); i++)
        {
            // As US-ASCII encoding: a character outside it becomes '?'.
            final char c = text.charAt(i);
            bytes.put(c < 0x80 ? (byte)c : (byte)'?');
        }
        bytes.flip();
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }

    /** Every parseable line of the ledger at {@code fileOrDirectory} (a data directory or the file itself). */
    public static List<Entry> read(final Path fileOrDirectory)
    {
        final List<Entry> entries = new ArrayList<>();
        forEachUnchecked(resolve(fileOrDirectory), entries::add);
        return entries;
    }

    /**
     * How many APPLIED lines each request id has. Exactly-once means every value is 1; a 2
     * means a request id took effect twice.
     */
    public static Map<UUID, Integer> appliedCounts(final Path fileOrDirectory)
    {
        final Map<UUID, Integer> counts = new HashMap<>();
        forEachUnchecked(resolve(fileOrDirectory), entry ->
        {
            if (entry.isApplied())
            {
                counts.merge(entry.requestId(), 1, Integer::sum);
            }
        });
        return counts;
    }

    /** How many duplicate Forwards were answered with a stored outcome. */
    public static long duplicateCount(final Path fileOrDirectory)
    {
        final long[] count = {0};
        forEachUnchecked(resolve(fileOrDirectory), entry ->
        {
            if (!entry.isApplied())
            {
                count[0]++;
            }
        });
        return count[0];
    }

    private static Path resolve(final Path fileOrDirectory)
    {
        Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
        return Files.isDirectory(fileOrDirectory) ? file(fileOrDirectory) : fileOrDirectory;
    }

    private static void forEachUnchecked(final Path file, final Consumer<Entry> consumer)
    {
        try
        {
            if (Files.exists(file))
            {
                forEach(file, consumer);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("ledger " + file + ": read failed", ex);
        }
    }

    /**
     * Every entry of {@code file}, in order. Only a torn last line (a kill mid-write: no newline after it) is skipped;
     * any other unreadable line (a changed byte, a line cut in the middle of the file) is an {@link IOException} naming
     * it: skipping it would forget a decision, and the request it was about would be applied again when re-forwarded.
     */
    private static void forEach(final Path file, final Consumer<Entry> consumer) throws IOException
    {
        final boolean lastLineEnded = endsWithNewline(file);
        long number = 0;
        try (java.io.InputStream in = Files.newInputStream(file))
        {
            final byte[] chunk = new byte[1 << 16];
            int filled = 0;
            int at = 0;
            final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(160);
            String pending = null;
            long pendingNumber = 0;
            boolean end = false;
            while (!end)
            {
                line.reset();
                boolean newline = false;
                while (!newline)
                {
                    if (at == filled)
                    {
                        filled = in.read(chunk);
                        at = 0;
                        if (filled <= 0)
                        {
                            filled = 0;
                            end = true;
                            break;
                        }
                    }
                    final byte b = chunk[at++];
                    if (b == '\n')
                    {
                        newline = true;
                    }
                    else
                    {
                        line.write(b);
                    }
                }
                if (end && line.size() == 0)
                {
                    break;
                }
                number++;
                if (pending != null)
                {
                    // Not the last line: a line that does not parse is damage, not a torn write.
                    throw unreadable(file, pendingNumber, pending);
                }
                final byte[] bytes = line.toByteArray();
                for (final byte each : bytes)
                {
                    if (each < 0)
                    {
                        throw new IOException("ledger " + file + ": line " + number + " holds a byte that is not ASCII " +
                            "(a changed byte); " + REPAIR);
                    }
                }
                final String text = new String(bytes, StandardCharsets.US_ASCII);
                if (text.isEmpty() || text.startsWith("#") || text.startsWith("kind,"))
                {
                    continue;
                }
                final Entry entry = parse(text);
                if (entry == null)
                {
                    pending = text;
                    pendingNumber = number;
                }
                else
                {
                    consumer.accept(entry);
                }
            }
            if (pending != null)
            {
                if (lastLineEnded)
                {
                    throw unreadable(file, pendingNumber, pending);
                }
                LOG.warn("ledger {}: skipped its torn last line {} (a write cut off by a kill)", file, pendingNumber);
            }
        }
    }

    private static IOException unreadable(final Path file, final long number, final String text)
    {
        return new IOException("ledger " + file + ": line " + number + " is unreadable ('" +
            io.chukei.protocol.text.SafeText.of(text, 120) + "'); " + REPAIR);
    }

    private static final String REPAIR = "a damaged ledger would forget the decision on that line, and the request " +
        "would be applied again when re-forwarded: restore the file from a copy, or move it aside to start with none";

    /** Parses one data line, or returns null when it is not a complete, well-formed line. */
    static Entry parse(final String text)
    {
        final String[] fields = text.split(",", -1);
        if (fields.length != FIELD_COUNT || !(APPLIED.equals(fields[0]) || DUPLICATE.equals(fields[0])))
        {
            return null;
        }
        try
        {
            return new Entry(
                fields[0],
                RequestIds.parse(fields[1]),
                fields[2],
                operationValue(fields[3]),
                OutcomeStatus.valueOf(fields[4]),
                Integer.parseInt(fields[5]),
                Instant.parse(fields[6]),
                Integer.parseInt(fields[7]),
                Integer.parseInt(fields[8]));
        }
        catch (final RuntimeException ex)
        {
            return null;
        }
    }

    private static String operationName(final short operationRaw)
    {
        final Operation operation = Verdict.operation(operationRaw);
        return operation == null ? Short.toString(operationRaw) : operation.name();
    }

    private static short operationValue(final String text)
    {
        return Character.isDigit(text.charAt(0)) ? Short.parseShort(text) : Operation.valueOf(text).value();
    }

    private static void removeTornLastLine(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long size = channel.size();
            long end = size;
            final ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0)
            {
                one.clear();
                channel.read(one, end - 1);
                if (one.get(0) == '\n')
                {
                    break;
                }
                end--;
            }
            if (end < size)
            {
                channel.truncate(end);
                channel.force(true);
                LOG.warn("ledger {}: removed its torn last line ({} bytes, a write cut off by a kill)", file, size - end);
            }
        }
    }

    private static boolean endsWithNewline(final Path file) throws IOException
    {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = reader.size();
            if (size == 0)
            {
                return true;
            }
            final ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }
}
