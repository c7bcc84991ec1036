package io.chukei.gateway.reconcile;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import io.chukei.protocol.codec.MunicipalityCodes;

/**
 * Card management's applied-request export, the upstream contract's record of what it decided (protocol/README.md,
 * "Card management's applied-request export"): US-ASCII text, one line per (municipality, request id),
 * <pre>
 * # chukei applied-request export v1
 * municipality,requestId,appliedCount,firstAppliedAtUtc,status,upstreamCode
 * 131016,0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f,1,2026-05-01T09:00:00.123Z,OK,0
 * </pre>
 * Lines may come in any order; lines starting with '#' are comments; a pair on several lines adds up.
 */
public final class AppliedExport
{
    /** The first line of every export. */
    public static final String MAGIC = "# chukei applied-request export v1";
    /** The column header, the first line that is not a comment. */
    public static final String HEADER = "municipality,requestId,appliedCount,firstAppliedAtUtc,status,upstreamCode";

    private AppliedExport()
    {
    }

    /** One export line. {@code status} is "OK" or "REFUSED". */
    public record Line(String municipality, UUID requestId, int appliedCount, Instant firstAppliedAt, String status,
        int upstreamCode)
    {
    }

    /** Receives each line; {@code lineNumber} is 1-based in the file. */
    @FunctionalInterface
    public interface LineSink
    {
        void line(Line line, long lineNumber);
    }

    /** Writes the two header lines. */
    public static void writeHeader(final Writer out) throws IOException
    {
        out.write(MAGIC);
        out.write('\n');
        out.write(HEADER);
        out.write('\n');
    }

    /** Writes one line. */
    public static void writeLine(final Writer out, final Line line) throws IOException
    {
        out.write(line.municipality());
        out.write(',');
        out.write(line.requestId().toString());
        out.write(',');
        out.write(Integer.toString(line.appliedCount()));
        out.write(',');
        out.write(line.firstAppliedAt().toString());
        out.write(',');
        out.write(line.status());
        out.write(',');
        out.write(Integer.toString(line.upstreamCode()));
        out.write('\n');
    }

    /**
     * Streams every line of {@code file} to {@code sink} ({@code firstAppliedAt} to the millisecond, as reconcile
     * compares it); returns the number of data lines. Reconcile itself reads through {@link ExportScanner}, which this
     * wraps, without the objects of a {@link Line}.
     *
     * @throws IllegalArgumentException naming the line and field when the file is not an export (a truncated or
     *     edited export must not pass for a complete one)
     */
    public static long read(final Path file, final LineSink sink)
    {
        return ExportScanner.read(file, (municipality, idHi, idLo, appliedCount, firstAppliedAtMs, ok, upstreamCode,
            lineNumber) -> sink.line(new Line(MunicipalityCodes.format(municipality), new UUID(idHi, idLo), appliedCount,
            Instant.ofEpochMilli(firstAppliedAtMs), ok ? "OK" : "REFUSED", upstreamCode), lineNumber));
    }

    static Line parse(final Path file, final long lineNumber, final String text)
    {
        final String[] fields = text.split(",", -1);
        if (fields.length != 6)
        {
            throw new IllegalArgumentException(where(file, lineNumber) + fields.length + " fields (expected: 6, " +
                HEADER + ")");
        }
        if (!MunicipalityCodes.isValid(fields[0]))
        {
            throw field(file, lineNumber, "municipality", fields[0], "6 digits");
        }
        final UUID id;
        try
        {
            id = UUID.fromString(fields[1]);
        }
        catch (final IllegalArgumentException ex)
        {
            throw field(file, lineNumber, "requestId", fields[1], "a UUID such as 0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f");
        }
        final int count;
        try
        {
            count = Integer.parseInt(fields[2]);
        }
        catch (final NumberFormatException ex)
        {
            throw field(file, lineNumber, "appliedCount", fields[2], "a whole number >= 1");
        }
        if (count < 1)
        {
            throw field(file, lineNumber, "appliedCount", fields[2], "a whole number >= 1");
        }
        final Instant at;
        try
        {
            at = Instant.parse(fields[3]);
        }
        catch (final DateTimeParseException ex)
        {
            throw field(file, lineNumber, "firstAppliedAtUtc", fields[3], "an ISO-8601 UTC instant such as 2026-05-01T09:00:00.123Z");
        }
        if (!fields[4].equals("OK") && !fields[4].equals("REFUSED"))
        {
            throw field(file, lineNumber, "status", fields[4], "OK or REFUSED");
        }
        final int upstreamCode;
        try
        {
            upstreamCode = Integer.parseInt(fields[5]);
        }
        catch (final NumberFormatException ex)
        {
            throw field(file, lineNumber, "upstreamCode", fields[5], "a whole number");
        }
        return new Line(fields[0], id, count, at, fields[4], upstreamCode);
    }

    private static IllegalArgumentException field(final Path file, final long lineNumber, final String name,
        final String value, final String expected)
    {
        return new IllegalArgumentException(where(file, lineNumber) + name + ": '" + shorten(value) + "' (expected: " +
            expected + ")");
    }

    /** The start of every error about the export: the file and the line. */
    static String where(final Path file, final long lineNumber)
    {
        return "applied-request export " + file + " line " + lineNumber + ": ";
    }

    /** A field or line as an error may quote it: control characters escaped, at most 120 characters. */
    static String shorten(final String text)
    {
        return io.chukei.protocol.text.SafeText.of(text, 120);
    }
}
