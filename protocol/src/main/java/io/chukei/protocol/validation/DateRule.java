package io.chukei.protocol.validation;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.ZonedDateTime;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.DirectBuffer;

/**
 * A YYYYMMDD date that must be a real calendar date between an earliest date and "today" in
 * the injected clock's zone (e.g. date of birth: 1868-01-01 up to today).
 * <p>
 * Dates are compared as yyyymmdd integers. Today's value is cached until the next midnight of
 * the clock's zone, so the success path does not allocate. Not thread-safe: one per thread.
 */
public final class DateRule
{
    public static final int LENGTH = 8;

    private final FieldId field;
    private final Clock clock;
    private final LocalDate earliest;
    private final int earliestYmd;
    private int todayYmd;
    private long todayStartMs = Long.MAX_VALUE;
    private long nextMidnightMs = Long.MIN_VALUE;

    public DateRule(final FieldId field, final LocalDate earliest, final Clock clock)
    {
        this.field = field;
        this.earliest = earliest;
        this.clock = clock;
        this.earliestYmd = toYmd(earliest);
    }

    public ErrorCode validate(
        final DirectBuffer buffer, final int offset, final int length, final ValidationResult result)
    {
        final String name = FieldNames.of(field);
        final int bad = AsciiDigits.firstNonDigit(buffer, offset, length);
        if (bad != AsciiDigits.NONE)
        {
            return result.reject(ErrorCode.NOT_DIGITS, field, bad, ValidationResult.NO_CODE_POINT,
                name + ": byte " + AsciiDigits.describeByte(buffer.getByte(offset + bad)) + " at byte " + bad +
                " is not an ASCII digit (expected: YYYYMMDD) (rule: NOT_DIGITS)");
        }
        if (length != LENGTH)
        {
            return result.reject(ErrorCode.INVALID_LENGTH, field, ValidationResult.NO_POSITION,
                ValidationResult.NO_CODE_POINT,
                name + ": " + length + " digits (expected: 8, YYYYMMDD) (rule: INVALID_LENGTH)");
        }
        final int year = number(buffer, offset, 4);
        final int month = number(buffer, offset + 4, 2);
        final int day = number(buffer, offset + 6, 2);
        if (month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year)))
        {
            // The date itself is not quoted: a birth date is personal data, and details are journaled and logged.
            return result.reject(ErrorCode.INVALID_DATE, field, month < 1 || month > 12 ? 4 : 6,
                ValidationResult.NO_CODE_POINT,
                name + ": not a calendar date: " + (month < 1 || month > 12 ? "its month (digits 5-6) is not 01..12" :
                "its day (digits 7-8) is not a day of its month") + " (rule: INVALID_DATE)");
        }
        final int ymd = year * 10_000 + month * 100 + day;
        final int today = todayYmd();
        if (ymd < earliestYmd || ymd > today)
        {
            return result.reject(ErrorCode.DATE_OUT_OF_RANGE, field, ValidationResult.NO_POSITION,
                ValidationResult.NO_CODE_POINT,
                name + ": " + (ymd > today ? "after today" : "before " + earliestYmd) + " (expected: " + earliestYmd +
                ".." + today + ") (rule: DATE_OUT_OF_RANGE)");
        }
        return ErrorCode.NO_ERROR;
    }

    public LocalDate earliest()
    {
        return earliest;
    }

    private int todayYmd()
    {
        final long nowMs = clock.millis();
        // Recomputed when the cached day is left in either direction: test clocks may go back.
        if (nowMs >= nextMidnightMs || nowMs < todayStartMs)
        {
            final ZonedDateTime now = ZonedDateTime.now(clock);
            final LocalDate today = now.toLocalDate();
            todayYmd = toYmd(today);
            todayStartMs = today.atStartOfDay(now.getZone()).toInstant().toEpochMilli();
            nextMidnightMs = today.plusDays(1).atStartOfDay(now.getZone()).toInstant().toEpochMilli();
        }
        return todayYmd;
    }

    private static int number(final DirectBuffer buffer, final int offset, final int digits)
    {
        int value = 0;
        for (int i = 0; i < digits; i++)
        {
            value = value * 10 + AsciiDigits.digit(buffer, offset + i);
        }
        return value;
    }

    private static int toYmd(final LocalDate date)
    {
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }
}
