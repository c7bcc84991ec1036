package io.chukei.gateway.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The admin listener's JSON, written and read through Jackson. Readers ignore fields they do not
 * know, so a node reads what a newer peer writes (fields are only ever added; see gateway/README.md,
 * "Admin JSON and versions"). One mapper: it is thread-safe once configured, and costly to build.
 */
public final class Json
{
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();

    private Json()
    {
    }

    /** {@code value} (a record, list, map or scalar) as one line of JSON and a newline. */
    public static String write(final Object value)
    {
        try
        {
            return MAPPER.writeValueAsString(value) + "\n";
        }
        catch (final JsonProcessingException ex)
        {
            // Our own records always serialise; a failure is a programming error.
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", ex);
        }
    }

    /** {@code json} read as {@code type}; unknown fields ignored, missing ones null (or 0 / false). */
    public static <T> T read(final String json, final Class<T> type)
    {
        try
        {
            return MAPPER.readValue(json, type);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("JSON: not a " + type.getSimpleName() + " (" + ex.getOriginalMessage() + ")", ex);
        }
    }

    /** {@code json} as a tree, for readers that need a field or two. */
    public static JsonNode tree(final String json)
    {
        try
        {
            return MAPPER.readTree(json);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("JSON: unreadable (" + ex.getOriginalMessage() + ")", ex);
        }
    }
}
