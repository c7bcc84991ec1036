package io.chukei.gateway.reconcile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Month;
import java.time.Year;
import java.util.Arrays;

/**
 * Reads card management's applied-request export ({@link AppliedExport}) straight from its bytes, without a String,
 * UUID or Instant per line: reconcile reads millions of lines, and {@code Instant.parse} plus the line's Strings were
 * about half of a 10 M-entry run (bench/README.md, *Reconciliation*). A line in the form the export is written in —
 * {@code DDDDDD,xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx,N,YYYY-MM-DDTHH:MM:SS[.f…]Z,OK|REFUSED,N} — is parsed here;
 * any other line goes to {@link AppliedExport#parse}, so what is accepted, and the error naming the line and field
 * for what is not, stay exactly those of the contract's reader. Lines end with LF or CR LF.
 */
final class ExportScanner
{
    /** Receives each data line's fields; {@code lineNumber} is 1-based in the file. */
    @FunctionalInterface
    interface FieldSink
    {
        @SuppressWarnings("checkstyle:ParameterNumber")
        void line(int municipality, long idHi, long idLo, int appliedCount, long firstAppliedAtMs, boolean ok,
            int upstreamCode, long lineNumber);
    }

    private static final int BUFFER_BYTES = 1 << 20;
    private static final long MS_PER_DAY = 86_400_000L;
    private static final byte[] REFUSED = "REFUSED".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final FieldSink sink;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private long lineNumber;
    private long dataLines;
    private boolean sawHeader;

    private ExportScanner(final Path file, final FieldSink sink)
    {
        this.file = file;
        this.sink = sink;
    }

    /**
     * Streams every data line of {@code file} to {@code sink}; returns their number.
     *
     * @throws IllegalArgumentException naming the line and field when the file is not an export
     */
    static long read(final Path file, final FieldSink sink)
    {
        final ExportScanner scanner = new ExportScanner(file, sink);
        try (InputStream in = Files.newInputStream(file))
        {
            scanner.scan(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("applied-request export " + file + ": cannot read", ex);
        }
        if (!scanner.sawHeader)
        {
            throw new IllegalArgumentException(AppliedExport.where(file, scanner.lineNumber) +
                "no header line (expected: '" + AppliedExport.HEADER + "')");
        }
        return scanner.dataLines;
    }

    private void scan(final InputStream in) throws IOException
    {
        int filled = 0;
        int start = 0;
        while (true)
        {
            final int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0)
            {
                if (start < filled)
                {
                    line(start, filled); // the last line, without a line end
                }
                return;
            }
            filled += read;
            for (int i = start; i < filled; i++)
            {
                if (buffer[i] == '\n')
                {
                    line(start, i);
                    start = i + 1;
                }
            }
            if (start == 0 && filled == buffer.length)
            {
                lineNumber++;
                throw new IllegalArgumentException(AppliedExport.where(file, lineNumber) + "longer than " + BUFFER_BYTES +
                    " bytes (expected: " + AppliedExport.HEADER + ")");
            }
            System.arraycopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
            start = 0;
        }
    }

    /** The line in {@code buffer[from, to)}, its LF removed. */
    private void line(final int from, final int lineEnd)
    {
        lineNumber++;
        final int to = lineEnd > from && buffer[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        if (lineNumber == 1 || !sawHeader || to == from || buffer[from] == '#')
        {
            frame(text(from, to));
            return;
        }
        dataLines++;
        if (!canonical(from, to))
        {
            final AppliedExport.Line parsed = AppliedExport.parse(file, lineNumber, text(from, to));
            sink.line(io.chukei.protocol.codec.MunicipalityCodes.parse(parsed.municipality()),
                parsed.requestId().getMostSignificantBits(), parsed.requestId().getLeastSignificantBits(),
                parsed.appliedCount(), parsed.firstAppliedAt().toEpochMilli(), parsed.status().equals("OK"),
                parsed.upstreamCode(), lineNumber);
        }
    }

    /** The magic line, comments, empty lines and the header: checked as the contract says. */
    private void frame(final String text)
    {
        if (lineNumber == 1 && !text.equals(AppliedExport.MAGIC))
        {
            throw new IllegalArgumentException(AppliedExport.where(file, 1) + "'" + AppliedExport.shorten(text) +
                "' (expected: the first line '" + AppliedExport.MAGIC + "')");
        }
        if (text.isEmpty() || text.charAt(0) == '#')
        {
            return;
        }
        if (!text.equals(AppliedExport.HEADER))
        {
            throw new IllegalArgumentException(AppliedExport.where(file, lineNumber) + "'" + AppliedExport.shorten(text) +
                "' (expected: the header '" + AppliedExport.HEADER + "')");
        }
        sawHeader = true;
    }

    private String text(final int from, final int to)
    {
        return new String(buffer, from, to - from, StandardCharsets.US_ASCII);
    }

    /** Parses a line in the written form and hands it to the sink; false (nothing handed over) for any other line. */
    private boolean canonical(final int from, final int to)
    {
        // municipality: 6 digits
        int at = from;
        final int municipality = digits(at, 6);
        if (municipality < 0 || !comma(at + 6, to))
        {
            return false;
        }
        // request id: 8-4-4-4-12 hex digits
        at += 7;
        if (at + 37 > to || buffer[at + 8] != '-' || buffer[at + 13] != '-' || buffer[at + 18] != '-' ||
            buffer[at + 23] != '-' || buffer[at + 36] != ',')
        {
            return false;
        }
        final long a = hex(at, 8);
        final long b = hex(at + 9, 4);
        final long c = hex(at + 14, 4);
        final long d = hex(at + 19, 4);
        final long e = hex(at + 24, 12);
        if ((a | b | c | d | e) < 0)
        {
            return false;
        }
        final long idHi = a << 32 | b << 16 | c;
        final long idLo = d << 48 | e;
        // applied count: 1..9 digits, >= 1
        at += 37;
        final int countEnd = next(at, to);
        final int count = countEnd - at <= 9 ? digits(at, countEnd - at) : -1;
        if (count < 1)
        {
            return false;
        }
        // first applied at: YYYY-MM-DDTHH:MM:SS[.fraction]Z
        at = countEnd + 1;
        final int timeEnd = next(at, to);
        final long atMs = instantMs(at, timeEnd);
        if (atMs == Long.MIN_VALUE)
        {
            return false;
        }
        // status
        at = timeEnd + 1;
        final int statusEnd = next(at, to);
        final boolean ok = statusEnd - at == 2 && buffer[at] == 'O' && buffer[at + 1] == 'K';
        if (!ok && !matches(at, statusEnd, REFUSED))
        {
            return false;
        }
        // upstream code: optional '-', 1..9 digits, the last field
        at = statusEnd + 1;
        if (at >= to)
        {
            return false;
        }
        final boolean negative = buffer[at] == '-';
        final int codeFrom = negative ? at + 1 : at;
        final int code = to - codeFrom <= 9 ? digits(codeFrom, to - codeFrom) : -1;
        if (code < 0)
        {
            return false;
        }
        sink.line(municipality, idHi, idLo, count, atMs, ok, negative ? -code : code, lineNumber);
        return true;
    }

    /** Whether {@code buffer[from, to)} holds exactly {@code expected}. */
    private boolean matches(final int from, final int to, final byte[] expected)
    {
        return Arrays.equals(buffer, from, to, expected, 0, expected.length);
    }

    private boolean comma(final int at, final int to)
    {
        return at < to && buffer[at] == ',';
    }

    /** The index of the next ',' at or after {@code at} (before {@code to}), or {@code to} if there is none. */
    private int next(final int at, final int to)
    {
        int i = at;
        while (i < to && buffer[i] != ',')
        {
            i++;
        }
        return i;
    }

    /** {@code length} (>= 1) ASCII digits at {@code at} as a number, or -1. */
    private int digits(final int at, final int length)
    {
        if (length < 1)
        {
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + length; i++)
        {
            final int digit = buffer[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** {@code length} hex digits (either case) at {@code at}, or -1. */
    private long hex(final int at, final int length)
    {
        long value = 0;
        for (int i = at; i < at + length; i++)
        {
            final int ch = buffer[i];
            final int digit = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
                ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
            if (digit < 0)
            {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /**
     * {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z} as epoch milliseconds (the fraction truncated, as
     * {@code Instant.toEpochMilli}), or {@code Long.MIN_VALUE} for anything else (a leap second included: those
     * take {@code Instant.parse}'s path).
     */
    private long instantMs(final int from, final int to)
    {
        final int length = to - from;
        if (length < 20 || length == 21 || length > 30 || buffer[to - 1] != 'Z' || buffer[from + 4] != '-' ||
            buffer[from + 7] != '-' || buffer[from + 10] != 'T' || buffer[from + 13] != ':' || buffer[from + 16] != ':' ||
            length > 20 && buffer[from + 19] != '.')
        {
            return Long.MIN_VALUE;
        }
        final int year = digits(from, 4);
        final int month = digits(from + 5, 2);
        final int day = digits(from + 8, 2);
        final int hour = digits(from + 11, 2);
        final int minute = digits(from + 14, 2);
        final int second = digits(from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year)) || hour < 0 ||
            hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        {
            return Long.MIN_VALUE;
        }
        int millis = 0;
        if (length > 20)
        {
            final int fractionDigits = length - 21;
            if (digits(from + 20, fractionDigits) < 0)
            {
                return Long.MIN_VALUE;
            }
            for (int i = 0; i < 3; i++)
            {
                millis = millis * 10 + (i < fractionDigits ? buffer[from + 20 + i] - '0' : 0);
            }
        }
        return epochDay(year, month, day) * MS_PER_DAY + ((hour * 60L + minute) * 60L + second) * 1000L + millis;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse, shifted to March years). */
    static long epochDay(final int year, final int month, final int day)
    {
        final long y = month <= 2 ? year - 1 : year;
        final long era = Math.floorDiv(y, 400);
        final long yearOfEra = y - era * 400;
        final long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        final long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
