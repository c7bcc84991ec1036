package io.chukei.protocol.validation;

import java.time.Clock;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.RequestIdDecoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Validates a whole Submit in place on its {@link SubmitDecoder}: fixed fields are read at their
 * offsets in the decoder's buffer, var-data fields through a reusable wrapping buffer, so the
 * success path allocates nothing. Fields are checked in wire order and the first violation is
 * reported. Every present field is validated, required or not.
 * <p>
 * Required fields per operation:
 * <pre>
 *   PREISSUE_SETUP  personalNumber residentCode nameKanji nameKana address dateOfBirth applicationId
 *   CARD_ISSUE      personalNumber cardId pinBlock
 *   CERT_CHANGE     personalNumber cardId address
 *   CARD_SUSPEND    cardId
 *   CARD_STATUS     cardId or personalNumber (at least one)
 * </pre>
 * A fixed char field is absent when all its bytes are NUL; a var-data field when empty.
 * <p>
 * Not thread-safe: one instance per thread (e.g. per event loop).
 */
public final class SubmitValidator
{
    private static final int VAR_LENGTH_HEADER = 2;
    private static final long BATCH_ID_NULL = SubmitDecoder.batchIdNullValue();
    private static final long BATCH_NUMBER_NULL = SubmitDecoder.batchSizeNullValue();
    private static final Operation[] OPERATIONS = new Operation[256];

    static
    {
        for (final Operation operation : Operation.values())
        {
            if (operation != Operation.NULL_VAL)
            {
                OPERATIONS[operation.value()] = operation;
            }
        }
    }

    private final ValidationConfig config;
    private final Clock clock;
    private final DateRule dateOfBirth;
    private final TextValidator text;
    private final UnsafeBuffer varData = new UnsafeBuffer(new byte[0]);

    public SubmitValidator(final ValidationConfig config)
    {
        this.config = config;
        this.clock = config.clock();
        this.dateOfBirth = new DateRule(FieldId.DATE_OF_BIRTH, config.earliestDateOfBirth(), clock);
        this.text = new TextValidator(config.repertoire(), config.maxTextBytes());
    }

    /** Validates a Submit whose bytes end at the decoder buffer's capacity. */
    public ErrorCode validate(final SubmitDecoder submit, final ValidationResult result)
    {
        return validate(submit, submit.buffer().capacity(), result);
    }

    /**
     * Validates the Submit the decoder is wrapped around (after {@code wrapAndApplyHeader}).
     * The decoder is rewound before and after, so the caller can read it from the start.
     *
     * @param messageEnd index in the decoder's buffer just past the message's last byte
     */
    public ErrorCode validate(final SubmitDecoder submit, final int messageEnd, final ValidationResult result)
    {
        result.reset();
        submit.sbeRewind();
        try
        {
            return validateFields(submit, messageEnd, result);
        }
        finally
        {
            submit.sbeRewind();
        }
    }

    private ErrorCode validateFields(final SubmitDecoder submit, final int messageEnd, final ValidationResult result)
    {
        final DirectBuffer buffer = submit.buffer();
        final int offset = submit.offset();
        final int blockLength = submit.limit() - offset;
        if (blockLength < SubmitDecoder.BLOCK_LENGTH || submit.limit() > messageEnd)
        {
            return result.reject(ErrorCode.MALFORMED_MESSAGE, FieldId.MESSAGE_HEADER, ValidationResult.NO_POSITION,
                ValidationResult.NO_CODE_POINT, "messageHeader: blockLength " + blockLength + " (expected: >= " +
                SubmitDecoder.BLOCK_LENGTH + " and within the frame) (rule: MALFORMED_MESSAGE)");
        }

        final RequestIdDecoder requestId = submit.requestId();
        if (requestId.hi() == 0 && requestId.lo() == 0)
        {
            return reject(result, ErrorCode.INVALID_REQUEST_ID, FieldId.REQUEST_ID,
                "requestId: all zero (expected: a non-zero 128-bit id)");
        }

        final int municipalityOffset = offset + SubmitDecoder.municipalityCodeEncodingOffset();
        final int municipalityLength = AsciiDigits.lengthWithoutPadding(buffer, municipalityOffset,
            SubmitDecoder.municipalityCodeLength());
        if (municipalityLength == 0)
        {
            return missing(result, FieldId.MUNICIPALITY_CODE, "municipalityCode: absent (expected: 6 digits)");
        }
        if (MunicipalityCodeRule.validate(buffer, municipalityOffset, municipalityLength, result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }

        final Operation operation = OPERATIONS[submit.operationRaw()];
        if (operation == null)
        {
            return reject(result, ErrorCode.INVALID_ENUM_VALUE, FieldId.OPERATION,
                "operation: " + submit.operationRaw() + " (expected: 1..5)");
        }
        final short priority = submit.priorityRaw();
        if (priority != Priority.INTERACTIVE.value() && priority != Priority.BATCH.value())
        {
            return reject(result, ErrorCode.INVALID_ENUM_VALUE, FieldId.PRIORITY,
                "priority: " + priority + " (expected: 1 INTERACTIVE or 2 BATCH)");
        }
        if (operation == Operation.PREISSUE_SETUP && priority != Priority.BATCH.value())
        {
            return reject(result, ErrorCode.PRIORITY_NOT_ALLOWED, FieldId.PRIORITY,
                "priority: INTERACTIVE (expected: BATCH for PREISSUE_SETUP)");
        }
        final short possibleDuplicate = submit.possibleDuplicateRaw();
        if (possibleDuplicate != 0 && possibleDuplicate != 1)
        {
            return reject(result, ErrorCode.INVALID_ENUM_VALUE, FieldId.POSSIBLE_DUPLICATE,
                "possibleDuplicate: " + possibleDuplicate + " (expected: 0 FALSE or 1 TRUE)");
        }
        final int attempt = submit.attempt();
        if (attempt < 1 || attempt == SubmitDecoder.attemptNullValue())
        {
            return missing(result, FieldId.ATTEMPT, "attempt: " + attempt + " (expected: 1.." +
                SubmitDecoder.attemptMaxValue() + ", 1 for the first send)");
        }
        final long nowMs = clock.millis();
        if (submit.deadlineEpochMs() <= nowMs)
        {
            return reject(result, ErrorCode.DEADLINE_ALREADY_PASSED, FieldId.DEADLINE,
                "deadlineEpochMs: " + submit.deadlineEpochMs() + " (expected: after now, " + nowMs + ")");
        }
        if (validateBatch(submit, result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        return validateRecordFields(submit, operation, messageEnd, result);
    }

    private static ErrorCode validateBatch(final SubmitDecoder submit, final ValidationResult result)
    {
        final long batchId = submit.batchId();
        final long sequence = submit.batchSequence();
        final long size = submit.batchSize();
        if (batchId == BATCH_ID_NULL && sequence == BATCH_NUMBER_NULL && size == BATCH_NUMBER_NULL)
        {
            return ErrorCode.NO_ERROR;
        }
        if (batchId == BATCH_ID_NULL)
        {
            return reject(result, ErrorCode.INVALID_BATCH, FieldId.BATCH_ID,
                "batchId: null while batchSequence or batchSize is set (expected: all three null or all set)");
        }
        if (size == BATCH_NUMBER_NULL || size < 1)
        {
            return reject(result, ErrorCode.INVALID_BATCH, FieldId.BATCH_SIZE,
                "batchSize: " + (size == BATCH_NUMBER_NULL ? "null" : String.valueOf(size)) + " (expected: >= 1)");
        }
        if (sequence == BATCH_NUMBER_NULL || sequence < 1 || sequence > size)
        {
            return reject(result, ErrorCode.INVALID_BATCH, FieldId.BATCH_SEQUENCE,
                "batchSequence: " + (sequence == BATCH_NUMBER_NULL ? "null" : String.valueOf(sequence)) +
                " (expected: 1..batchSize " + size + ")");
        }
        return ErrorCode.NO_ERROR;
    }

    private ErrorCode validateRecordFields(
        final SubmitDecoder submit, final Operation operation, final int messageEnd, final ValidationResult result)
    {
        final DirectBuffer buffer = submit.buffer();
        final int offset = submit.offset();

        final int personalOffset = offset + SubmitDecoder.personalNumberEncodingOffset();
        final int personalLength = AsciiDigits.lengthWithoutPadding(buffer, personalOffset,
            SubmitDecoder.personalNumberLength());
        if (personalLength > 0)
        {
            if (PersonalNumberRule.validate(buffer, personalOffset, personalLength, result) != ErrorCode.NO_ERROR)
            {
                return result.code();
            }
        }
        else if (RequiredFields.requires(operation, FieldId.PERSONAL_NUMBER))
        {
            return missingFor(result, operation, FieldId.PERSONAL_NUMBER);
        }

        final int residentOffset = offset + SubmitDecoder.residentCodeEncodingOffset();
        final int residentLength = AsciiDigits.lengthWithoutPadding(buffer, residentOffset,
            SubmitDecoder.residentCodeLength());
        if (residentLength > 0)
        {
            if (config.residentCode().validate(buffer, residentOffset, residentLength, result) != ErrorCode.NO_ERROR)
            {
                return result.code();
            }
        }
        else if (RequiredFields.requires(operation, FieldId.RESIDENT_CODE))
        {
            return missingFor(result, operation, FieldId.RESIDENT_CODE);
        }

        final int dateOffset = offset + SubmitDecoder.dateOfBirthEncodingOffset();
        final int dateLength = AsciiDigits.lengthWithoutPadding(buffer, dateOffset, SubmitDecoder.dateOfBirthLength());
        if (dateLength > 0)
        {
            if (dateOfBirth.validate(buffer, dateOffset, dateLength, result) != ErrorCode.NO_ERROR)
            {
                return result.code();
            }
        }
        else if (RequiredFields.requires(operation, FieldId.DATE_OF_BIRTH))
        {
            return missingFor(result, operation, FieldId.DATE_OF_BIRTH);
        }

        // Var-data fields, in wire order; each read moves the decoder's limit to the next one.
        if (!nextVarData(submit, messageEnd, FieldId.NAME_KANJI, result) ||
            text.validate(config.nameKanji(), varData, 0, varData.capacity(),
                RequiredFields.requires(operation, FieldId.NAME_KANJI), result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        if (!nextVarData(submit, messageEnd, FieldId.NAME_KANA, result) ||
            text.validate(config.nameKana(), varData, 0, varData.capacity(),
                RequiredFields.requires(operation, FieldId.NAME_KANA), result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        if (!nextVarData(submit, messageEnd, FieldId.ADDRESS, result) ||
            text.validate(config.address(), varData, 0, varData.capacity(),
                RequiredFields.requires(operation, FieldId.ADDRESS), result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        if (!nextVarData(submit, messageEnd, FieldId.CARD_ID, result))
        {
            return result.code();
        }
        final boolean hasCardId = varData.capacity() > 0;
        if (validateDigits(config.cardId(), operation, result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        if (!nextVarData(submit, messageEnd, FieldId.APPLICATION_ID, result) ||
            validateDigits(config.applicationId(), operation, result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        if (!nextVarData(submit, messageEnd, FieldId.PIN_BLOCK, result) ||
            validatePinBlock(operation, result) != ErrorCode.NO_ERROR)
        {
            return result.code();
        }
        if (operation == Operation.CARD_STATUS && !hasCardId && personalLength == 0)
        {
            return missing(result, FieldId.CARD_ID,
                "cardId: absent and personalNumber absent (expected: at least one for CARD_STATUS)");
        }
        return ErrorCode.NO_ERROR;
    }

    private ErrorCode validateDigits(final DigitsRule rule, final Operation operation, final ValidationResult result)
    {
        if (varData.capacity() == 0)
        {
            return RequiredFields.requires(operation, rule.field()) ?
                missingFor(result, operation, rule.field()) : ErrorCode.NO_ERROR;
        }
        return rule.validate(varData, 0, varData.capacity(), result);
    }

    private ErrorCode validatePinBlock(final Operation operation, final ValidationResult result)
    {
        final int length = varData.capacity();
        if (length == 0)
        {
            return RequiredFields.requires(operation, FieldId.PIN_BLOCK) ?
                missingFor(result, operation, FieldId.PIN_BLOCK) : ErrorCode.NO_ERROR;
        }
        if (length > config.pinBlockMaxBytes())
        {
            return result.reject(ErrorCode.INVALID_LENGTH, FieldId.PIN_BLOCK, ValidationResult.NO_POSITION,
                ValidationResult.NO_CODE_POINT, "pinBlock: " + length + " bytes (expected: 1.." +
                config.pinBlockMaxBytes() + ") (rule: INVALID_LENGTH)");
        }
        return ErrorCode.NO_ERROR;
    }

    /**
     * Wraps {@link #varData} around the next var-data field, after checking that its length
     * header and bytes lie within the message; false (MALFORMED_MESSAGE) otherwise.
     */
    private boolean nextVarData(
        final SubmitDecoder submit, final int messageEnd, final FieldId field, final ValidationResult result)
    {
        final int limit = submit.limit();
        final DirectBuffer buffer = submit.buffer();
        if (limit + VAR_LENGTH_HEADER > messageEnd)
        {
            malformed(result, field, "length header past the end of the message");
            return false;
        }
        final int length = buffer.getShort(limit, SubmitDecoder.BYTE_ORDER) & 0xFFFF;
        if (limit + VAR_LENGTH_HEADER + length > messageEnd)
        {
            malformed(result, field, length + " bytes run past the end of the message");
            return false;
        }
        switch (field)
        {
            case NAME_KANJI: submit.wrapNameKanji(varData); break;
            case NAME_KANA: submit.wrapNameKana(varData); break;
            case ADDRESS: submit.wrapAddress(varData); break;
            case CARD_ID: submit.wrapCardId(varData); break;
            case APPLICATION_ID: submit.wrapApplicationId(varData); break;
            default: submit.wrapPinBlock(varData); break;
        }
        return true;
    }

    private static void malformed(final ValidationResult result, final FieldId field, final String what)
    {
        result.reject(ErrorCode.MALFORMED_MESSAGE, field, ValidationResult.NO_POSITION, ValidationResult.NO_CODE_POINT,
            FieldNames.of(field) + ": " + what + " (rule: MALFORMED_MESSAGE)");
    }

    private static ErrorCode missingFor(final ValidationResult result, final Operation operation, final FieldId field)
    {
        return missing(result, field, FieldNames.of(field) + ": absent (expected: a value for " + operation + ")");
    }

    private static ErrorCode missing(final ValidationResult result, final FieldId field, final String what)
    {
        return reject(result, ErrorCode.REQUIRED_FIELD_MISSING, field, what);
    }

    private static ErrorCode reject(
        final ValidationResult result, final ErrorCode code, final FieldId field, final String what)
    {
        return result.reject(code, field, ValidationResult.NO_POSITION, ValidationResult.NO_CODE_POINT,
            what + " (rule: " + code + ")");
    }
}
