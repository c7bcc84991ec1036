package io.chukei.protocol.validation;

import java.util.List;
import java.util.stream.Collectors;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MunicipalityCodeRuleTest
{
    private final ValidationResult result = new ValidationResult();

    @ParameterizedTest
    @ValueSource(strings = {"131016", "011002", "422011", "271004", "401307"})
    void acceptsRealMunicipalityCodes(final String code)
    {
        assertThat(validate(code)).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(result.isValid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"131016", "011002"})
    void rejectsEverySingleDigitChangeOfACodeWhoseCheckDigitIsNotOne(final String code)
    {
        for (final String changed : Buffers.singleDigitChanges(code))
        {
            assertThat(validate(changed)).as(changed).isEqualTo(ErrorCode.CHECK_DIGIT_MISMATCH);
        }
    }

    @Test
    void missesExactlyTheChangesThatMoveTheRemainderBetweenZeroAndTenForCheckDigitOne()
    {
        // 422011: weighted sum 44, remainder 0. Remainders 0 and 10 both give check digit 1, so a
        // change adding 10 (mod 11) to the sum passes: derived by hand per position (weight w,
        // w * delta = 10 mod 11, digit stays 0..9).
        final List<String> accepted = Buffers.singleDigitChanges("422011").stream()
            .filter(changed -> validate(changed) == ErrorCode.NO_ERROR)
            .collect(Collectors.toList());

        assertThat(accepted).containsExactlyInAnyOrder("222011", "442011", "422711", "422061");
    }

    @Test
    void reportsTheExpectedCheckDigit()
    {
        assertThat(validate("131017")).isEqualTo(ErrorCode.CHECK_DIGIT_MISMATCH);
        assertThat(result.field()).isEqualTo(FieldId.MUNICIPALITY_CODE);
        assertThat(result.position()).isEqualTo(5);
        assertThat(result.detail()).isEqualTo(
            "municipalityCode: check digit 7 at byte 5 (expected: 6) (rule: CHECK_DIGIT_MISMATCH)");
    }

    @Test
    void reportsTheFirstNonDigitByte()
    {
        assertThat(validate("13A01X")).isEqualTo(ErrorCode.NOT_DIGITS);
        assertThat(result.position()).isEqualTo(2);
        assertThat(result.detail()).contains("'A' at byte 2");
    }

    @Test
    void rejectsFiveDigitsAsInvalidLength()
    {
        assertThat(validate("13101")).isEqualTo(ErrorCode.INVALID_LENGTH);
        assertThat(result.detail()).isEqualTo("municipalityCode: 5 digits (expected: 6) (rule: INVALID_LENGTH)");
    }

    @Test
    void rejectsFullwidthDigitsAsNotDigits()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer("１３１０１６".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(MunicipalityCodeRule.validate(buffer, 0, buffer.capacity(), result)).isEqualTo(ErrorCode.NOT_DIGITS);
        assertThat(result.position()).isZero();
    }

    private ErrorCode validate(final String code)
    {
        result.reset();
        final UnsafeBuffer buffer = Buffers.ascii(code);
        return MunicipalityCodeRule.validate(buffer, 0, buffer.capacity(), result);
    }
}
