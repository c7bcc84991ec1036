package io.chukei.bench.cluster;

import io.chukei.protocol.client.Answer;

import java.util.UUID;

/** What the consistency check needs to know of one request from its connector's records. */
public interface RequestRecord
{
    UUID requestId();

    String municipality();

    /** The final answer, or null when there is none. */
    Answer answer();

    /** How many final answers the connector delivered to its caller. */
    int answers();

    /**
     * The SDK ended it with its own DEADLINE_EXCEEDED (nothing heard from the relay) and the connector then learnt
     * the outcome by sending the same id again: {@link #answer()} is that outcome.
     */
    default boolean resolvedAfterLocalDeadline()
    {
        return false;
    }
}
