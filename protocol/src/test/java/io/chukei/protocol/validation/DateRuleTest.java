package io.chukei.protocol.validation;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DateRuleTest
{
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private final ValidationResult result = new ValidationResult();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T03:00:00Z"), TOKYO);
    private final DateRule rule = new DateRule(FieldId.DATE_OF_BIRTH, LocalDate.of(1868, 1, 1), clock);

    @ParameterizedTest
    @ValueSource(strings = {"20000229", "19891231", "18680101", "20240229"})
    void acceptsRealDatesInRange(final String date)
    {
        assertThat(validate(date)).isEqualTo(ErrorCode.NO_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"20240230", "19000229", "20231301", "20230000", "20230431", "20230100"})
    void rejectsDatesThatAreNotOnTheCalendar(final String date)
    {
        assertThat(validate(date)).isEqualTo(ErrorCode.INVALID_DATE);
        // A birth date is personal data: the detail, journaled and logged, says what is wrong without quoting it.
        assertThat(result.detail()).startsWith("dateOfBirth: not a calendar date: its ").doesNotContain(date)
            .doesNotContain(date.substring(0, 4));
    }

    @Test
    void aDateInTheFutureIsNotQuotedEither()
    {
        assertThat(validate("20991231")).isEqualTo(ErrorCode.DATE_OUT_OF_RANGE);
        assertThat(result.detail()).isEqualTo(
            "dateOfBirth: after today (expected: 18680101..20260401) (rule: DATE_OUT_OF_RANGE)");
    }

    @Test
    void rejectsADateBeforeMeiji()
    {
        assertThat(validate("18671231")).isEqualTo(ErrorCode.DATE_OUT_OF_RANGE);
        assertThat(result.detail()).isEqualTo(
            "dateOfBirth: before 18680101 (expected: 18680101..20260401) (rule: DATE_OUT_OF_RANGE)");
    }

    @Test
    void usesTodayInTheClocksZone()
    {
        // 2026-04-01T15:30Z is already 2026-04-02 in Tokyo.
        clock.set(Instant.parse("2026-04-01T15:30:00Z"));
        assertThat(validate("20260402")).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(validate("20260403")).isEqualTo(ErrorCode.DATE_OUT_OF_RANGE);
    }

    @Test
    void followsTheClockAcrossMidnightInBothDirections()
    {
        assertThat(validate("20260402")).isEqualTo(ErrorCode.DATE_OUT_OF_RANGE);
        clock.set(Instant.parse("2026-04-02T00:00:00Z"));
        assertThat(validate("20260402")).isEqualTo(ErrorCode.NO_ERROR);
        clock.set(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(validate("20260402")).isEqualTo(ErrorCode.DATE_OUT_OF_RANGE);
    }

    @Test
    void reportsNonDigitsAndWrongLength()
    {
        assertThat(validate("2000-02-29")).isEqualTo(ErrorCode.NOT_DIGITS);
        assertThat(result.position()).isEqualTo(4);
        assertThat(validate("2000229")).isEqualTo(ErrorCode.INVALID_LENGTH);
    }

    private ErrorCode validate(final String date)
    {
        result.reset();
        final UnsafeBuffer buffer = Buffers.ascii(date);
        return rule.validate(buffer, 0, buffer.capacity(), result);
    }

    /** A clock tests can move; deadlines and "today" follow it. */
    static final class MutableClock extends Clock
    {
        private Instant now;
        private final ZoneId zone;

        MutableClock(final Instant now, final ZoneId zone)
        {
            this.now = now;
            this.zone = zone;
        }

        void set(final Instant now)
        {
            this.now = now;
        }

        @Override
        public ZoneId getZone()
        {
            return zone;
        }

        @Override
        public Clock withZone(final ZoneId zone)
        {
            return new MutableClock(now, zone == null ? ZoneOffset.UTC : zone);
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
