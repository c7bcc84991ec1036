package io.chukei.bench.loadgen;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
public final class DurationConverter implements ITypeConverter<Duration>
{
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(final String text)
    {
        return parse(text);
    }

    static Duration parse(final String text)
    {
        final Matcher matcher = SHORT.matcher(text.trim());
        if (matcher.matches())
        {
            final long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2))
            {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try
        {
            return Duration.parse(text.trim());
        }
        catch (final DateTimeParseException ex)
        {
            throw new TypeConversionException("'" + text + "' (expected: a duration like 500ms, 30s, 2m, 1h or PT30S)");
        }
    }
}
