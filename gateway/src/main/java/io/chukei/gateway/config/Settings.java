package io.chukei.gateway.config;

import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from a properties file, each error naming the key, the value and what was
 * expected. Remembers which keys were read, so unknown (misspelt) keys are reported.
 */
final class Settings
{
    static final String ADMISSION_PREFIX = "admission.";

    private final Properties properties;
    private final Set<String> read = new TreeSet<>();

    Settings(final Properties properties)
    {
        this.properties = properties;
    }

    String string(final String key, final String defaultValue)
    {
        read.add(key);
        final String value = properties.getProperty(key);
        return value == null ? defaultValue : value.trim();
    }

    int integer(final String key, final int defaultValue, final int min, final int max)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        final int value;
        try
        {
            value = Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + text + "' (expected: an integer)", ex);
        }
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(key + ": " + value + " (expected: " + min + ".." + max + ")");
        }
        return value;
    }

    double decimal(final String key, final double defaultValue, final double min, final double max)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        final double value;
        try
        {
            value = Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + text + "' (expected: a number)", ex);
        }
        if (!(value >= min && value <= max))
        {
            throw new IllegalArgumentException(key + ": " + text + " (expected: " + min + ".." + max + ")");
        }
        return value;
    }

    boolean bool(final String key, final boolean defaultValue)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "true": return true;
            case "false": return false;
            default: throw new IllegalArgumentException(key + ": '" + text + "' (expected: true or false)");
        }
    }

    <E extends Enum<E>> E choice(final String key, final E defaultValue, final Class<E> type)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        try
        {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(
                key + ": '" + text + "' (expected one of: " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ")", ex);
        }
    }

    HostPort hostPort(final String key, final String defaultValue)
    {
        return HostPort.parse(key, string(key, defaultValue));
    }

    /** Throws when the file holds keys nobody read: a typo must not silently fall back to a default. */
    void rejectUnknownKeys()
    {
        final Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(read);
        // admission.* keys are checked by AdmissionProperties, which knows their open-ended forms.
        unknown.removeIf(key -> key.startsWith(ADMISSION_PREFIX));
        if (!unknown.isEmpty())
        {
            throw new IllegalArgumentException("unknown configuration keys: " + unknown + " (expected only: " + read + ")");
        }
    }
}
