package io.chukei.protocol.client;

import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One request a connector asks the relay to carry to card management. Immutable; built with
 * {@link #builder(Operation)}.
 *
 * <p>Only programmer errors are checked here (nulls, an all-zero request id, a non-positive
 * timeout, inconsistent batch numbers). Business rules (check digits, dates, text repertoire)
 * are the relay's to check: it answers with a precise {@code Rejected}.
 */
public final class SubmitRequest
{
    /** Value of {@link #batchId()} and friends when the request is not part of a batch. */
    public static final long NO_BATCH = SubmitEncoder.batchIdNullValue();
    /** Where a Submit's body (its fixed block) starts in a frame of {@link #encodeFrame}: after the SOFH and SBE headers. */
    public static final int FRAME_BODY_OFFSET = SubmitFrames.PREFIX_LENGTH;

    private final UUID requestId;
    private final Operation operation;
    private final Priority priority;
    private final Duration timeout;
    private final Instant deadline;
    private final long batchId;
    private final long batchSequence;
    private final long batchSize;
    private final String personalNumber;
    private final String residentCode;
    private final String dateOfBirth;
    private final String nameKanji;
    private final String nameKana;
    private final String address;
    private final String cardId;
    private final String applicationId;
    private final byte[] pinBlock;

    private SubmitRequest(final Builder builder)
    {
        this.requestId = builder.requestId;
        this.operation = builder.operation;
        this.priority = builder.priority != null ? builder.priority : defaultPriority(builder.operation);
        this.timeout = builder.timeout;
        this.deadline = builder.deadline;
        this.batchId = builder.batchId;
        this.batchSequence = builder.batchSequence;
        this.batchSize = builder.batchSize;
        this.personalNumber = builder.personalNumber;
        this.residentCode = builder.residentCode;
        this.dateOfBirth = builder.dateOfBirth;
        this.nameKanji = builder.nameKanji;
        this.nameKana = builder.nameKana;
        this.address = builder.address;
        this.cardId = builder.cardId;
        this.applicationId = builder.applicationId;
        this.pinBlock = builder.pinBlock;
    }

    /** Starts a request for {@code operation}. */
    public static Builder builder(final Operation operation)
    {
        return new Builder(operation);
    }

    /** Pre-issuance setup is bulk work; everything else has a citizen waiting at the counter. */
    public static Priority defaultPriority(final Operation operation)
    {
        return operation == Operation.PREISSUE_SETUP ? Priority.BATCH : Priority.INTERACTIVE;
    }

    /** The caller's request id, or null when the SDK is to generate a time-ordered one. */
    public UUID requestId()
    {
        return requestId;
    }

    public Operation operation()
    {
        return operation;
    }

    public Priority priority()
    {
        return priority;
    }

    /** The absolute deadline in epoch milliseconds: the one given, else now plus the timeout given, else now plus {@code defaultTimeout}. */
    public long deadlineEpochMs(final Clock clock, final Duration defaultTimeout)
    {
        if (deadline != null)
        {
            return deadline.toEpochMilli();
        }
        return clock.millis() + (timeout != null ? timeout : defaultTimeout).toMillis();
    }

    public boolean inBatch()
    {
        return batchId != NO_BATCH;
    }

    public long batchId()
    {
        return batchId;
    }

    public long batchSequence()
    {
        return batchSequence;
    }

    public long batchSize()
    {
        return batchSize;
    }

    /** Null when absent (sent as all NUL); likewise for every text field below. */
    public String personalNumber()
    {
        return personalNumber;
    }

    public String residentCode()
    {
        return residentCode;
    }

    public String dateOfBirth()
    {
        return dateOfBirth;
    }

    public String nameKanji()
    {
        return nameKanji;
    }

    public String nameKana()
    {
        return nameKana;
    }

    public String address()
    {
        return address;
    }

    public String cardId()
    {
        return cardId;
    }

    public String applicationId()
    {
        return applicationId;
    }

    /** The opaque PIN block, or null; not copied, so callers must not modify it. */
    byte[] pinBlockUnsafe()
    {
        return pinBlock;
    }

    /**
     * This request's first send (attempt 1, not a possible duplicate) as a complete SOFH frame, exactly as the SDK
     * writes it: for senders that keep frames and write them themselves (the benchmarks' raw load generator).
     * The fixed fields sit at {@link #FRAME_BODY_OFFSET} plus their {@code SubmitEncoder.*EncodingOffset()}.
     *
     * @throws IllegalArgumentException when a field cannot be encoded (too long for its slot on the wire)
     */
    public byte[] encodeFrame(final UUID requestId, final String municipalityCode, final long deadlineEpochMs)
    {
        final Answer.Rejected unencodable = SubmitFrames.unencodable(requestId, this);
        if (unencodable != null)
        {
            throw new IllegalArgumentException(unencodable.detail());
        }
        return SubmitFrames.encode(this, requestId, municipalityCode, deadlineEpochMs);
    }

    /** A copy of the opaque PIN block, or null. */
    public byte[] pinBlock()
    {
        return pinBlock == null ? null : pinBlock.clone();
    }

    @Override
    public String toString()
    {
        // Personal data stays out of logs: only the request's shape is printed.
        return "SubmitRequest{requestId=" + requestId + ", operation=" + operation + ", priority=" + priority +
            (inBatch() ? ", batch=" + batchId + " " + batchSequence + "/" + batchSize : "") + "}";
    }

    /** Collects the fields of a {@link SubmitRequest}; setters return the builder. */
    public static final class Builder
    {
        private UUID requestId;
        private final Operation operation;
        private Priority priority;
        private Duration timeout;
        private Instant deadline;
        private long batchId = NO_BATCH;
        private long batchSequence = SubmitEncoder.batchSequenceNullValue();
        private long batchSize = SubmitEncoder.batchSizeNullValue();
        private String personalNumber;
        private String residentCode;
        private String dateOfBirth;
        private String nameKanji;
        private String nameKana;
        private String address;
        private String cardId;
        private String applicationId;
        private byte[] pinBlock;

        private Builder(final Operation operation)
        {
            Objects.requireNonNull(operation, "operation");
            if (operation == Operation.NULL_VAL)
            {
                throw new IllegalArgumentException("operation: NULL_VAL (expected: a real operation)");
            }
            this.operation = operation;
        }

        /** The idempotency key; leave unset to have the SDK generate a time-ordered (UUIDv7-style) id. */
        public Builder requestId(final UUID requestId)
        {
            Objects.requireNonNull(requestId, "requestId");
            if (requestId.getMostSignificantBits() == 0 && requestId.getLeastSignificantBits() == 0)
            {
                throw new IllegalArgumentException("requestId: " + requestId + " (expected: not all zero)");
            }
            this.requestId = requestId;
            return this;
        }

        /** Overrides the default (BATCH for pre-issuance setup, INTERACTIVE otherwise). */
        public Builder priority(final Priority priority)
        {
            Objects.requireNonNull(priority, "priority");
            if (priority == Priority.NULL_VAL)
            {
                throw new IllegalArgumentException("priority: NULL_VAL (expected: INTERACTIVE or BATCH)");
            }
            this.priority = priority;
            return this;
        }

        /** Deadline relative to the moment of {@code submit}; replaces an absolute deadline set before. */
        public Builder timeout(final Duration timeout)
        {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero())
            {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
            }
            this.timeout = timeout;
            this.deadline = null;
            return this;
        }

        /** Absolute deadline; replaces a timeout set before. */
        public Builder deadline(final Instant deadline)
        {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            this.timeout = null;
            return this;
        }

        /** Declares the request as number {@code sequence} (1-based) of {@code size} in batch {@code id}. */
        public Builder batch(final long id, final long sequence, final long size)
        {
            if (id < 0 || id == NO_BATCH)
            {
                throw new IllegalArgumentException("batchId: " + id + " (expected: >= 0)");
            }
            if (size < 1 || size >= SubmitEncoder.batchSizeNullValue())
            {
                throw new IllegalArgumentException("batchSize: " + size + " (expected: 1.." + (SubmitEncoder.batchSizeNullValue() - 1) + ")");
            }
            if (sequence < 1 || sequence > size)
            {
                throw new IllegalArgumentException("batchSequence: " + sequence + " (expected: 1.." + size + ")");
            }
            this.batchId = id;
            this.batchSequence = sequence;
            this.batchSize = size;
            return this;
        }

        /** 12 ASCII digits; at most 12 characters are encodable. */
        public Builder personalNumber(final String personalNumber)
        {
            this.personalNumber = personalNumber;
            return this;
        }

        /** 11 ASCII digits; at most 11 characters are encodable. */
        public Builder residentCode(final String residentCode)
        {
            this.residentCode = residentCode;
            return this;
        }

        /** YYYYMMDD. */
        public Builder dateOfBirth(final String dateOfBirth)
        {
            this.dateOfBirth = dateOfBirth;
            return this;
        }

        public Builder nameKanji(final String nameKanji)
        {
            this.nameKanji = nameKanji;
            return this;
        }

        public Builder nameKana(final String nameKana)
        {
            this.nameKana = nameKana;
            return this;
        }

        public Builder address(final String address)
        {
            this.address = address;
            return this;
        }

        public Builder cardId(final String cardId)
        {
            this.cardId = cardId;
            return this;
        }

        public Builder applicationId(final String applicationId)
        {
            this.applicationId = applicationId;
            return this;
        }

        /** The encrypted PIN block; copied. */
        public Builder pinBlock(final byte[] pinBlock)
        {
            this.pinBlock = pinBlock == null ? null : pinBlock.clone();
            return this;
        }

        public SubmitRequest build()
        {
            return new SubmitRequest(this);
        }
    }
}
