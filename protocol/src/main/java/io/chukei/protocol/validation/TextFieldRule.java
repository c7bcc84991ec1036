package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.FieldId;

/**
 * Per-field settings for a UTF-8 text field.
 *
 * @param field     the field this rule checks
 * @param maxBytes  longest allowed value in UTF-8 bytes
 * @param kanaOnly  whether the field additionally allows only kana (see {@link KanaRule})
 */
public record TextFieldRule(FieldId field, int maxBytes, boolean kanaOnly)
{
    /** Longest var-data value the schema can carry. */
    public static final int MAX_VAR_DATA_BYTES = 65534;

    public TextFieldRule
    {
        if (maxBytes < 1 || maxBytes > MAX_VAR_DATA_BYTES)
        {
            throw new IllegalArgumentException(FieldNames.of(field) + "MaxBytes: " + maxBytes +
                " (expected: 1.." + MAX_VAR_DATA_BYTES + ")");
        }
    }
}
