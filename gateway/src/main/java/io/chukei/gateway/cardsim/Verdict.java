package io.chukei.gateway.cardsim;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.SubmitDecoder;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Card management's answer to a request: status, its own code, a detail text and a small
 * payload. Verdicts are deterministic functions of the request (the business rules below),
 * so the ledger only needs to record status and code to rebuild the stored outcome after a
 * restart; every verdict is a shared constant and no request allocates one.
 *
 * <p>Business rules:
 * <ul>
 *   <li>{@code CARD_STATUS} or {@code CARD_SUSPEND} for a card id ending in {@code 0000}:
 *       REFUSED, upstream code 404, "card not found";</li>
 *   <li>a Forward whose {@code submit} is not a well-formed Submit, or whose operation is
 *       unknown: REFUSED, upstream code 400;</li>
 *   <li>everything else: OK, upstream code 0, payload naming the effect (e.g. {@code ACTIVE}
 *       for a status query).</li>
 * </ul>
 * Transient failures are not verdicts: they are never stored.
 */
public final class Verdict
{
    /** Upstream code of a refusal for an unknown card. */
    public static final int CARD_NOT_FOUND = 404;
    /** Upstream code of a refusal for a request card management cannot read. */
    public static final int BAD_REQUEST = 400;
    /** Upstream code of an injected or overload transient failure. */
    public static final int UNAVAILABLE = 503;

    private static final String REFUSED_CARD_SUFFIX = "0000";

    static final Verdict CARD_NOT_FOUND_REFUSAL = new Verdict(OutcomeStatus.REFUSED, CARD_NOT_FOUND, "card not found", "");
    static final Verdict MALFORMED_SUBMIT = new Verdict(OutcomeStatus.REFUSED, BAD_REQUEST, "malformed submit", "");
    static final Verdict UNKNOWN_OPERATION = new Verdict(OutcomeStatus.REFUSED, BAD_REQUEST, "unknown operation", "");
    static final Verdict INJECTED_FAILURE =
        new Verdict(OutcomeStatus.TRANSIENT_FAILURE, UNAVAILABLE, "injected transient failure", "");
    static final Verdict QUEUE_FULL =
        new Verdict(OutcomeStatus.TRANSIENT_FAILURE, UNAVAILABLE, "card management overloaded: queue full", "");
    /** Every Forward of one operation, while the simulator's {@code refuseOperation} switch names it. */
    static final Verdict OPERATION_REFUSED_BY_SWITCH =
        new Verdict(OutcomeStatus.REFUSED, 403, "operation refused (simulator switch refuseOperation)", "");
    static final Verdict LEDGER_UNAVAILABLE =
        new Verdict(OutcomeStatus.TRANSIENT_FAILURE, UNAVAILABLE, "card management could not record the effect", "");

    private static final Verdict[] OK_BY_OPERATION = new Verdict[Operation.CARD_STATUS.value() + 1];

    static
    {
        OK_BY_OPERATION[Operation.PREISSUE_SETUP.value()] = ok("PREPARED");
        OK_BY_OPERATION[Operation.CARD_ISSUE.value()] = ok("ISSUED");
        OK_BY_OPERATION[Operation.CERT_CHANGE.value()] = ok("CHANGED");
        OK_BY_OPERATION[Operation.CARD_SUSPEND.value()] = ok("SUSPENDED");
        OK_BY_OPERATION[Operation.CARD_STATUS.value()] = ok("ACTIVE");
    }

    private final OutcomeStatus status;
    private final int upstreamCode;
    private final String detail;
    private final byte[] detailBytes;
    private final byte[] payload;

    private Verdict(final OutcomeStatus status, final int upstreamCode, final String detail, final String payload)
    {
        this.status = status;
        this.upstreamCode = upstreamCode;
        this.detail = detail;
        this.detailBytes = detail.getBytes(StandardCharsets.UTF_8);
        this.payload = payload.getBytes(StandardCharsets.US_ASCII);
    }

    private static Verdict ok(final String payload)
    {
        return new Verdict(OutcomeStatus.OK, 0, "applied", payload);
    }

    /**
     * Judges a request by the business rules. {@code submitReader} is wrapped on the Forward's
     * {@code submit} bytes here; only the card id is read (never the personal number).
     */
    static Verdict judge(final short operationRaw, final MessageReader submitReader, final DirectBuffer submit)
    {
        final Operation operation = operation(operationRaw);
        if (operation == null)
        {
            return UNKNOWN_OPERATION;
        }
        if (submitReader.wrap(submit, 0, submit.capacity()) != ErrorCode.NO_ERROR
            || submitReader.templateId() != SubmitDecoder.TEMPLATE_ID)
        {
            return MALFORMED_SUBMIT;
        }
        if ((operation == Operation.CARD_STATUS || operation == Operation.CARD_SUSPEND)
            && cardIdEndsWithRefusedSuffix(submitReader.submit()))
        {
            return CARD_NOT_FOUND_REFUSAL;
        }
        return OK_BY_OPERATION[operation.value()];
    }

    /** The stored verdict a ledger line describes, or null when the line names none. */
    static Verdict stored(final short operationRaw, final OutcomeStatus status, final int upstreamCode)
    {
        if (status == OutcomeStatus.OK)
        {
            final Operation operation = operation(operationRaw);
            return operation == null ? null : OK_BY_OPERATION[operation.value()];
        }
        if (status == OutcomeStatus.REFUSED)
        {
            if (upstreamCode == CARD_NOT_FOUND)
            {
                return CARD_NOT_FOUND_REFUSAL;
            }
            return operation(operationRaw) == null ? UNKNOWN_OPERATION : MALFORMED_SUBMIT;
        }
        return null;
    }

    /** The operation with this wire value, or null when it names none. */
    static Operation operation(final short operationRaw)
    {
        return operationRaw >= Operation.PREISSUE_SETUP.value() && operationRaw <= Operation.CARD_STATUS.value()
            ? Operation.get(operationRaw) : null;
    }

    private static boolean cardIdEndsWithRefusedSuffix(final SubmitDecoder submit)
    {
        // Var-data must be read in schema order: skip the text fields before the card id.
        submit.skipNameKanji();
        submit.skipNameKana();
        submit.skipAddress();
        final String cardId = submit.cardId();
        return cardId.endsWith(REFUSED_CARD_SUFFIX);
    }

    public OutcomeStatus status()
    {
        return status;
    }

    public int upstreamCode()
    {
        return upstreamCode;
    }

    public String detail()
    {
        return detail;
    }

    byte[] detailBytes()
    {
        return detailBytes;
    }

    byte[] payload()
    {
        return payload;
    }

    /** Whether this verdict is final and stored (OK or REFUSED), as opposed to a transient failure. */
    public boolean isFinal()
    {
        return status != OutcomeStatus.TRANSIENT_FAILURE;
    }

    @Override
    public String toString()
    {
        return status + " " + upstreamCode + " " + detail;
    }
}
