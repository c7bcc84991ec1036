package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;

/**
 * Hello's {@code connectorName}: printable ASCII (U+0020..U+007E), at most {@link #MAX_LENGTH}
 * bytes, or absent. It reaches operators' logs and status pages, so a NUL, an escape sequence or
 * a line feed in it could forge or hide log lines; a length bound keeps a session's label small.
 */
public final class ConnectorNameRule
{
    public static final int MAX_LENGTH = 64;

    private ConnectorNameRule()
    {
    }

    /** {@link ErrorCode#NO_ERROR}, or the first violation recorded in {@code result}. */
    public static ErrorCode check(final byte[] name, final ValidationResult result)
    {
        if (name.length > MAX_LENGTH)
        {
            return result.reject(ErrorCode.INVALID_LENGTH, FieldId.CONNECTOR_NAME, ValidationResult.NO_POSITION,
                ValidationResult.NO_CODE_POINT, "connectorName: " + name.length + " bytes (expected: at most " +
                    MAX_LENGTH + " bytes of printable ASCII) (rule: INVALID_LENGTH)");
        }
        for (int i = 0; i < name.length; i++)
        {
            final int b = name[i] & 0xFF;
            if (b < 0x20 || b == 0x7F)
            {
                return result.reject(ErrorCode.TEXT_CONTROL_CHARACTER, FieldId.CONNECTOR_NAME, i, b,
                    String.format("connectorName: control character U+%04X at byte %d (expected: printable ASCII, " +
                        "U+0020..U+007E) (rule: TEXT_CONTROL_CHARACTER)", b, i));
            }
            if (b > 0x7F)
            {
                return result.reject(ErrorCode.TEXT_OUTSIDE_REPERTOIRE, FieldId.CONNECTOR_NAME, i,
                    ValidationResult.NO_CODE_POINT, String.format("connectorName: byte 0x%02X at byte %d is not ASCII " +
                        "(expected: printable ASCII, U+0020..U+007E) (rule: TEXT_OUTSIDE_REPERTOIRE)", b, i));
            }
        }
        return ErrorCode.NO_ERROR;
    }

    /** The same rule for a name about to be sent (the SDK's builder): null when it is valid, else why not. */
    public static String problem(final String name)
    {
        final byte[] bytes = new byte[name.length()];
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            bytes[i] = c > 0xFF ? (byte)0x80 : (byte)c;
        }
        final ValidationResult result = new ValidationResult();
        return check(bytes, result) == ErrorCode.NO_ERROR ? null : result.detail();
    }
}
