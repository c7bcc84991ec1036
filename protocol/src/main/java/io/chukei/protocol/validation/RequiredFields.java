package io.chukei.protocol.validation;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.Operation;

/**
 * Which Submit fields each operation requires. CARD_STATUS requires cardId or personalNumber,
 * which {@link SubmitValidator} checks after reading both; neither is in its set here.
 */
final class RequiredFields
{
    private static final Map<Operation, Set<FieldId>> REQUIRED = new EnumMap<>(Operation.class);

    static
    {
        REQUIRED.put(Operation.PREISSUE_SETUP, EnumSet.of(FieldId.PERSONAL_NUMBER, FieldId.RESIDENT_CODE,
            FieldId.NAME_KANJI, FieldId.NAME_KANA, FieldId.ADDRESS, FieldId.DATE_OF_BIRTH, FieldId.APPLICATION_ID));
        REQUIRED.put(Operation.CARD_ISSUE, EnumSet.of(FieldId.PERSONAL_NUMBER, FieldId.CARD_ID, FieldId.PIN_BLOCK));
        REQUIRED.put(Operation.CERT_CHANGE, EnumSet.of(FieldId.PERSONAL_NUMBER, FieldId.CARD_ID, FieldId.ADDRESS));
        REQUIRED.put(Operation.CARD_SUSPEND, EnumSet.of(FieldId.CARD_ID));
        REQUIRED.put(Operation.CARD_STATUS, EnumSet.noneOf(FieldId.class));
    }

    private RequiredFields()
    {
    }

    static boolean requires(final Operation operation, final FieldId field)
    {
        return REQUIRED.get(operation).contains(field);
    }
}
