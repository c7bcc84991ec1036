package io.chukei.protocol.client;

import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;

/**
 * Encodes a {@link SubmitRequest} into a complete SOFH frame that the SDK keeps until the
 * request's terminal answer, and patches a kept frame for a resend.
 *
 * <p>Encoding runs on the submitting thread, off the event loop; each thread reuses its own
 * encoder and scratch buffer, so the only allocation per request is the kept frame itself.
 */
final class SubmitFrames
{
    /** Largest length a variable-length field can declare. */
    static final int MAX_VAR_LENGTH = 65534;

    static final int PREFIX_LENGTH = SofhFrame.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int VAR_FIELDS = 6;
    private static final ThreadLocal<SubmitFrames> PER_THREAD = ThreadLocal.withInitial(SubmitFrames::new);

    /** Patches kept frames; in practice only the event loop uses it. */
    private static final ThreadLocal<SubmitEncoder> PATCHER = ThreadLocal.withInitial(SubmitEncoder::new);

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SubmitEncoder submit = new SubmitEncoder();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[1024]);

    private SubmitFrames()
    {
    }

    /**
     * Returns a local refusal when a field cannot be encoded at all (too long for its slot on the
     * wire), else null. Everything else is the relay's to judge.
     */
    static Answer.Rejected unencodable(final UUID requestId, final SubmitRequest request)
    {
        if (tooLong(request.personalNumber(), SubmitEncoder.personalNumberLength()))
        {
            return tooLong(requestId, FieldId.PERSONAL_NUMBER, "personalNumber", SubmitEncoder.personalNumberLength());
        }
        if (tooLong(request.residentCode(), SubmitEncoder.residentCodeLength()))
        {
            return tooLong(requestId, FieldId.RESIDENT_CODE, "residentCode", SubmitEncoder.residentCodeLength());
        }
        if (tooLong(request.dateOfBirth(), SubmitEncoder.dateOfBirthLength()))
        {
            return tooLong(requestId, FieldId.DATE_OF_BIRTH, "dateOfBirth", SubmitEncoder.dateOfBirthLength());
        }
        if (utf8TooLong(request.nameKanji()))
        {
            return tooLong(requestId, FieldId.NAME_KANJI, "nameKanji UTF-8 bytes", MAX_VAR_LENGTH);
        }
        if (utf8TooLong(request.nameKana()))
        {
            return tooLong(requestId, FieldId.NAME_KANA, "nameKana UTF-8 bytes", MAX_VAR_LENGTH);
        }
        if (utf8TooLong(request.address()))
        {
            return tooLong(requestId, FieldId.ADDRESS, "address UTF-8 bytes", MAX_VAR_LENGTH);
        }
        if (tooLong(request.cardId(), MAX_VAR_LENGTH))
        {
            return tooLong(requestId, FieldId.CARD_ID, "cardId", MAX_VAR_LENGTH);
        }
        if (tooLong(request.applicationId(), MAX_VAR_LENGTH))
        {
            return tooLong(requestId, FieldId.APPLICATION_ID, "applicationId", MAX_VAR_LENGTH);
        }
        final byte[] pin = request.pinBlockUnsafe();
        if (pin != null && pin.length > MAX_VAR_LENGTH)
        {
            return tooLong(requestId, FieldId.PIN_BLOCK, "pinBlock bytes", MAX_VAR_LENGTH);
        }
        return null;
    }

    /** Encodes the first send (attempt 1, not a possible duplicate) as a complete SOFH frame. */
    static byte[] encode(
        final SubmitRequest request,
        final UUID requestId,
        final String municipalityCode,
        final long deadlineEpochMs)
    {
        return PER_THREAD.get().encodeFrame(request, requestId, municipalityCode, deadlineEpochMs);
    }

    /** Turns a kept frame into a resend: possible duplicate, the given attempt number. */
    static void markResend(final byte[] frame, final int attempt)
    {
        final SubmitEncoder patcher = PATCHER.get();
        patcher.wrap(new UnsafeBuffer(frame), PREFIX_LENGTH);
        patcher.possibleDuplicate(BooleanType.TRUE).attempt(Math.min(attempt, SubmitEncoder.attemptMaxValue()));
    }

    /** Gives a kept frame a new deadline (a resend after the first deadline passed with the outcome unknown). */
    static void setDeadline(final byte[] frame, final long deadlineEpochMs)
    {
        final SubmitEncoder patcher = PATCHER.get();
        patcher.wrap(new UnsafeBuffer(frame), PREFIX_LENGTH);
        patcher.deadlineEpochMs(deadlineEpochMs);
    }

    private byte[] encodeFrame(
        final SubmitRequest request,
        final UUID requestId,
        final String municipalityCode,
        final long deadlineEpochMs)
    {
        final int bound = PREFIX_LENGTH + SubmitEncoder.BLOCK_LENGTH + VAR_FIELDS * 2 +
            3 * (length(request.nameKanji()) + length(request.nameKana()) + length(request.address())) +
            length(request.cardId()) + length(request.applicationId()) +
            (request.pinBlockUnsafe() == null ? 0 : request.pinBlockUnsafe().length);
        if (view.capacity() < bound)
        {
            view.wrap(new byte[Math.max(bound, view.capacity() * 2)]);
        }
        header.wrap(view, SofhFrame.HEADER_LENGTH)
            .blockLength(SubmitEncoder.BLOCK_LENGTH)
            .templateId(SubmitEncoder.TEMPLATE_ID)
            .schemaId(SubmitEncoder.SCHEMA_ID)
            .version(SubmitEncoder.SCHEMA_VERSION);
        submit.wrap(view, PREFIX_LENGTH);
        submit.requestId().hi(requestId.getMostSignificantBits()).lo(requestId.getLeastSignificantBits());
        submit.municipalityCode(municipalityCode)
            .operation(request.operation())
            .priority(request.priority())
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(1)
            .deadlineEpochMs(deadlineEpochMs)
            .batchId(request.batchId())
            .batchSequence(request.batchSequence())
            .batchSize(request.batchSize())
            // Absent fixed-length fields: the encoder pads with NUL, so null gives all NUL.
            .personalNumber(request.personalNumber())
            .residentCode(request.residentCode())
            .dateOfBirth(request.dateOfBirth());
        submit.nameKanji(request.nameKanji())
            .nameKana(request.nameKana())
            .address(request.address())
            .cardId(request.cardId())
            .applicationId(request.applicationId());
        final byte[] pin = request.pinBlockUnsafe();
        if (pin == null)
        {
            submit.putPinBlock(view, 0, 0);
        }
        else
        {
            submit.putPinBlock(pin, 0, pin.length);
        }
        final int frameLength = PREFIX_LENGTH + submit.encodedLength();
        view.putInt(SofhFrame.LENGTH_OFFSET, frameLength, ByteOrder.BIG_ENDIAN);
        view.putShort(SofhFrame.ENCODING_TYPE_OFFSET, (short)SofhFrame.SBE_LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
        return Arrays.copyOf(view.byteArray(), frameLength);
    }

    private static int length(final String value)
    {
        return value == null ? 0 : value.length();
    }

    private static boolean tooLong(final String value, final int maxLength)
    {
        return value != null && value.length() > maxLength;
    }

    private static Answer.Rejected tooLong(final UUID requestId, final FieldId field, final String name, final int maxLength)
    {
        return Answer.Rejected.local(requestId, ErrorCode.INVALID_LENGTH, field,
            name + ": too long to encode (expected: <= " + maxLength + ")");
    }

    /** Whether String.getBytes(UTF_8) would exceed the var-data limit (an unpaired surrogate becomes one '?'). */
    static boolean utf8TooLong(final String value)
    {
        if (value == null || value.length() * 3 <= MAX_VAR_LENGTH)
        {
            return false; // no UTF-16 unit takes more than 3 bytes, so no need to count
        }
        int bytes = 0;
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                bytes += 1;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                bytes += 1;
            }
            else
            {
                bytes += 3;
            }
        }
        return bytes > MAX_VAR_LENGTH;
    }
}
