package io.chukei.gateway.latency;

import java.util.Locale;

/**
 * The stages an accepted request passes through on a node, each timed once per request (upstream once per
 * attempt). The first six are consecutive segments; {@link #ACCEPTED} and {@link #END_TO_END} span several,
 * because they are what a connector sees. Rejected-before-acceptance requests are not timed.
 */
public enum Stage
{
    /** Submit received (its frame decoded) → validated and admitted: validation, authorization, duplicate look-up, rate limit, queue place. */
    VALIDATE,
    /** Admitted → ACCEPTED journal entry appended. */
    JOURNAL_APPEND,
    /** Appended → reported durable: with {@code journal.durability=sync} the wait for the group-commit fsync, else the hand-over. */
    JOURNAL_DURABLE,
    /** Submit received → Accepted written to the connector (the connector's view of acceptance). */
    ACCEPTED,
    /** Accepted written → first Forward sent to card management: waiting for upstream capacity (fair queue, window, a healthy endpoint). */
    QUEUED,
    /** Forward sent → Outcome received, per attempt that got an Outcome. */
    UPSTREAM,
    /** Outcome received → final answer written (COMPLETED journaled, Result encoded and sent). */
    ANSWER,
    /** Submit received → final answer written (Result, or Rejected DEADLINE_EXCEEDED); requests recovered after a restart excluded. */
    END_TO_END;

    private static final Stage[] ALL = values();

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The name in logs ({@code HistogramLogWriter} tag), on the command line and in the {@code stage} metric tag. */
    public String tag()
    {
        return tag;
    }

    /** The stage with that {@link #tag()}; an {@link IllegalArgumentException} naming the choices otherwise. */
    public static Stage ofTag(final String tag)
    {
        for (final Stage stage : ALL)
        {
            if (stage.tag.equals(tag))
            {
                return stage;
            }
        }
        throw new IllegalArgumentException("stage: '" + tag + "' (expected: one of " + tags() + ")");
    }

    /** Every tag, comma-separated, in stage order. */
    public static String tags()
    {
        final StringBuilder text = new StringBuilder();
        for (final Stage stage : ALL)
        {
            text.append(text.length() == 0 ? "" : ", ").append(stage.tag);
        }
        return text.toString();
    }

    static Stage at(final int ordinal)
    {
        return ALL[ordinal];
    }

    static int count()
    {
        return ALL.length;
    }
}
