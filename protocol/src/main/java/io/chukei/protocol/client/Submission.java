package io.chukei.protocol.client;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Handle on one submitted request: its id, the relay's acknowledgement and its terminal answer.
 *
 * <p>Both futures complete on the client's event loop: callbacks must not block (use the
 * {@code *Async} variants with an executor of your own for slow work).
 *
 * <p>The fields below the public methods are the SDK's bookkeeping and are touched only on the
 * client's event loop.
 */
public final class Submission
{
    enum State
    {
        /** Recorded in the outbox (SYNC durability), waiting for the fsync that covers it before its first send. */
        DURABLE_WAIT,
        /** Held by the SDK, not on the wire of the current session. */
        WAITING,
        /** Written to the current session. */
        SENT,
        /**
         * The relay said OUTCOME_UNKNOWN: not on the wire, not waiting to be sent; the verdict is pushed by the relay,
         * or the request is resent (same id, possible duplicate) when the session moves.
         */
        OUTCOME_UNKNOWN,
        /** Terminal answer delivered. */
        RESOLVED
    }

    private final UUID requestId;
    private final CompletableFuture<Optional<Acceptance>> accepted = new CompletableFuture<>();
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();

    final long deadlineEpochMs;
    /** The full SOFH frame; patched in place for resends, dropped once resolved. */
    byte[] frame;
    State state = State.WAITING;
    /** Sends so far; the wire's attempt number of the last send. */
    int attempt;
    /** System.nanoTime() of the last send, for the per-attempt timeout. */
    long sentAtNs;
    /** Whether the node of the last send answered Accepted (a terminal answer resolves instead). */
    boolean acknowledged;
    /** Once a relay said OUTCOME_UNKNOWN: until when the SDK waits for the real outcome; 0 before. */
    long outcomeUnknownUntilMs;
    /** The relay's OUTCOME_UNKNOWN answer, given to the caller if no verdict comes by {@link #outcomeUnknownUntilMs}. */
    Answer.Rejected outcomeUnknown;
    /** Index of its entry in the client's outbox, -1 when not recorded there (no outbox, or refused before). */
    long outboxIndex = -1;
    /** When the SDK took it (epoch ms): recorded in the outbox with its answer. */
    long submittedAtMs;

    Submission(final UUID requestId, final long deadlineEpochMs, final byte[] frame)
    {
        this.requestId = requestId;
        this.deadlineEpochMs = deadlineEpochMs;
        this.frame = frame;
    }

    public UUID requestId()
    {
        return requestId;
    }

    /** The absolute deadline sent with the request. */
    public long deadlineEpochMs()
    {
        return deadlineEpochMs;
    }

    /**
     * Completes with the first {@code Accepted} from a relay node, or with empty when the request
     * reached its terminal answer without one (e.g. rejected at validation, or deadline passed).
     */
    public CompletableFuture<Optional<Acceptance>> accepted()
    {
        return accepted;
    }

    /** Completes exactly once, with the terminal answer. */
    public CompletableFuture<Answer> answer()
    {
        return answer;
    }

    void acknowledge(final Acceptance acceptance)
    {
        accepted.complete(Optional.of(acceptance));
    }

    void resolve(final Answer terminal)
    {
        state = State.RESOLVED;
        frame = null;
        accepted.complete(Optional.empty());
        answer.complete(terminal);
    }

    @Override
    public String toString()
    {
        return "Submission{" + requestId + ", " + state + ", attempt " + attempt + "}";
    }
}
