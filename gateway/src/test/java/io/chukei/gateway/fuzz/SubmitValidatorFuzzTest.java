package io.chukei.gateway.fuzz;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.chukei.protocol.codec.MessageReader;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.MessageHeaderEncoder;
import io.chukei.protocol.sbe.SubmitDecoder;
import io.chukei.protocol.validation.SubmitValidator;
import io.chukei.protocol.validation.ValidationConfig;
import io.chukei.protocol.validation.ValidationResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The Submit validator on Submits the reader accepts: every refusal is a field or text rule (codes 2xx and
 * 3xx) naming a field, with a detail that never quotes the personal number; an accepted Submit has no
 * code. The input's SBE header is forced to a Submit of this version, so the fuzzer spends its time on the
 * fields. Time is fixed at {@link #NOW}, the seeds' deadlines being relative to it.
 *
 * <p>Seeds: {@code src/test/resources/io/chukei/gateway/fuzz/SubmitValidatorFuzzTestInputs/}.
 */
public class SubmitValidatorFuzzTest
{
    static final Instant NOW = Instant.parse("2026-11-30T01:00:00Z");

    private static final MessageReader READER = new MessageReader();
    private static final SubmitValidator VALIDATOR = new SubmitValidator(ValidationConfig.builder()
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build());
    private static final ValidationResult RESULT = new ValidationResult();

    @FuzzTest(maxDuration = "5s")
    void submitValidator(final byte[] data)
    {
        fuzzerTestOneInput(data);
    }

    /** The entry point of {@code ops/chukei fuzz} (Jazzer's command line). */
    public static void fuzzerTestOneInput(final byte[] data)
    {
        LeakWatch.input();
        final ByteBuf message = Unpooled.buffer(data.length, data.length).writeBytes(data);
        try
        {
            if (data.length >= MessageHeaderEncoder.ENCODED_LENGTH)
            {
                message.setShortLE(2, SubmitDecoder.TEMPLATE_ID);
                message.setShortLE(4, SubmitDecoder.SCHEMA_ID);
                message.setShortLE(6, SubmitDecoder.SCHEMA_VERSION);
            }
            if (READER.wrap(message) != ErrorCode.NO_ERROR)
            {
                return;
            }
            final SubmitDecoder submit = READER.submit();
            final ErrorCode code = VALIDATOR.validate(submit, READER.length(), RESULT.reset());
            check(code, submit);
        }
        finally
        {
            message.release();
        }
    }

    private static void check(final ErrorCode code, final SubmitDecoder submit)
    {
        if (code == ErrorCode.NO_ERROR)
        {
            if (!RESULT.isValid())
            {
                throw new AssertionError("NO_ERROR but the result says " + RESULT);
            }
            return;
        }
        if (code.value() < 200 || code.value() >= 400 || code != RESULT.code())
        {
            throw new AssertionError("undocumented refusal " + code + " / " + RESULT);
        }
        if (RESULT.field() == null || RESULT.field() == FieldId.NONE || RESULT.field() == FieldId.NULL_VAL || RESULT.detail().isEmpty())
        {
            throw new AssertionError(code + " without field or detail: " + RESULT);
        }
        submit.sbeRewind();
        final String personalNumber = submit.personalNumber().trim();
        // A refused personal number is described by position and rule, never quoted (personal data stays out of logs).
        if (RESULT.field() == FieldId.PERSONAL_NUMBER && personalNumber.length() >= 8
            && RESULT.detail().contains(personalNumber))
        {
            throw new AssertionError(code + ": the detail quotes the personal number");
        }
    }
}
