package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.Priority;

/**
 * Names of enum values read back from stored bytes (a journal, an outbox), for dumps, reports and logs. A value this
 * version does not define — written by a newer version before a roll-back — is named {@code undefined(N)}: the
 * generated {@code get} throws on it, and one such entry must not stop a dump or a report halfway.
 */
public final class WireNames
{
    private WireNames()
    {
    }

    /** The status's name, or {@code undefined(N)}. */
    public static String outcomeStatus(final int raw)
    {
        for (final OutcomeStatus status : OutcomeStatus.values())
        {
            if (status.value() == raw)
            {
                return status.name();
            }
        }
        return undefined(raw);
    }

    /** The code's name, or {@code undefined(N)}. */
    public static String errorCode(final int raw)
    {
        for (final ErrorCode code : ErrorCode.values())
        {
            if (code.value() == raw)
            {
                return code.name();
            }
        }
        return undefined(raw);
    }

    /** The field's name, or {@code undefined(N)}. */
    public static String fieldId(final int raw)
    {
        for (final FieldId field : FieldId.values())
        {
            if (field.value() == raw)
            {
                return field.name();
            }
        }
        return undefined(raw);
    }

    /** The priority's name, or {@code undefined(N)}. */
    public static String priority(final int raw)
    {
        for (final Priority priority : Priority.values())
        {
            if (priority.value() == raw)
            {
                return priority.name();
            }
        }
        return undefined(raw);
    }

    private static String undefined(final int raw)
    {
        return "undefined(" + raw + ")";
    }
}
