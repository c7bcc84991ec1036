package io.chukei.gateway.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The times commands take for a window ({@code --from}, {@code --to}): one syntax for histo, replay and the rest. */
final class CliTimes
{
    private CliTimes()
    {
    }

    /** {@code now}, {@code -<n>s|m|h|d} before now, or an ISO instant (without zone: UTC). */
    static Instant parse(final String option, final String text, final Clock clock)
    {
        final Instant now = clock.instant();
        if (text.equalsIgnoreCase("now"))
        {
            return now;
        }
        if (text.startsWith("-") && text.length() > 2)
        {
            try
            {
                final long amount = Long.parseLong(text.substring(1, text.length() - 1));
                final Duration back = switch (text.charAt(text.length() - 1))
                {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    case 'd' -> Duration.ofDays(amount);
                    default -> null;
                };
                if (back != null)
                {
                    return now.minus(back);
                }
            }
            catch (final NumberFormatException ignored)
            {
                // Not relative: reported below with the accepted forms.
            }
        }
        try
        {
            return Instant.parse(text);
        }
        catch (final DateTimeParseException notAnInstant)
        {
            try
            {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
            catch (final DateTimeParseException ex)
            {
                throw new IllegalArgumentException(option + ": '" + text + "' (expected: now, -<n>s|m|h|d, or an ISO " +
                    "time such as 2026-12-04T14:00:00Z)", ex);
            }
        }
    }
}
