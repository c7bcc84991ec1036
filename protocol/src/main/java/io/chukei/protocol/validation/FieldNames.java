package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.FieldId;

/** The schema's field names, used in detail texts so they match what connector developers see. */
final class FieldNames
{
    private FieldNames()
    {
    }

    static String of(final FieldId field)
    {
        switch (field)
        {
            case REQUEST_ID: return "requestId";
            case MUNICIPALITY_CODE: return "municipalityCode";
            case OPERATION: return "operation";
            case PRIORITY: return "priority";
            case DEADLINE: return "deadlineEpochMs";
            case ATTEMPT: return "attempt";
            case POSSIBLE_DUPLICATE: return "possibleDuplicate";
            case BATCH_ID: return "batchId";
            case BATCH_SEQUENCE: return "batchSequence";
            case BATCH_SIZE: return "batchSize";
            case PERSONAL_NUMBER: return "personalNumber";
            case RESIDENT_CODE: return "residentCode";
            case DATE_OF_BIRTH: return "dateOfBirth";
            case NAME_KANJI: return "nameKanji";
            case NAME_KANA: return "nameKana";
            case ADDRESS: return "address";
            case CARD_ID: return "cardId";
            case APPLICATION_ID: return "applicationId";
            case PIN_BLOCK: return "pinBlock";
            case FRAME: return "frame";
            case MESSAGE_HEADER: return "messageHeader";
            case CONNECTOR_NAME: return "connectorName";
            case BATCH_DIGEST: return "memberDigest";
            default: return "field";
        }
    }

    /** "U+0041" style, at least four hex digits. */
    static String codePoint(final int codePoint)
    {
        return String.format("U+%04X", codePoint);
    }
}
