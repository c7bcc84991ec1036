package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalNumberRuleTest
{
    /** Weights for the eleven digits read left to right: Q(n) for n = 11 down to 1. */
    private static final int[] LEFT_TO_RIGHT_WEIGHTS = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

    private final ValidationResult result = new ValidationResult();

    @Test
    void acceptsANumberCheckedByHand()
    {
        // 1*6 + 2*5 + 3*4 + 4*3 + 5*2 + 6*7 + 7*6 + 8*5 + 9*4 + 0*3 + 1*2 = 212; 212 mod 11 = 3; 11 - 3 = 8
        assertThat(validate("123456789018")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678901", "98765432101", "31415926535", "16180339887", "55555555555"})
    void acceptsNumbersCompletedByAnIndependentImplementation(final String elevenDigits)
    {
        assertThat(validate(elevenDigits + independentCheckDigit(elevenDigits))).isEqualTo(ErrorCode.NO_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678901", "98765432101", "31415926535", "16180339887", "55555555555"})
    void rejectsEverySingleDigitChangeWhenTheCheckDigitIsNotZero(final String elevenDigits)
    {
        final String valid = elevenDigits + independentCheckDigit(elevenDigits);
        assertThat(valid).doesNotEndWith("0");

        for (final String changed : Buffers.singleDigitChanges(valid))
        {
            assertThat(validate(changed)).as(changed).isEqualTo(ErrorCode.CHECK_DIGIT_MISMATCH);
        }
    }

    @Test
    void cannotTellRemainderZeroFromOneSoSomeChangesOfNumbersEndingInZeroPass()
    {
        // 20000000000: sum 12, r = 1 -> 0. Changing the eleventh digit to 5 adds 10: sum 22, r = 0 -> 0.
        assertThat(validate("200000000000")).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(validate("200000000050")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void neverPutsTheNumberInTheDetail()
    {
        assertThat(validate("123456789017")).isEqualTo(ErrorCode.CHECK_DIGIT_MISMATCH);
        assertThat(result.field()).isEqualTo(FieldId.PERSONAL_NUMBER);
        assertThat(result.position()).isEqualTo(11);
        assertThat(result.detail())
            .isEqualTo("personalNumber: check digit at byte 11 does not match (expected: 8) (rule: CHECK_DIGIT_MISMATCH)")
            .doesNotContain("12345678901");
    }

    @Test
    void rejectsElevenDigitsAsInvalidLength()
    {
        assertThat(validate("12345678901")).isEqualTo(ErrorCode.INVALID_LENGTH);
    }

    @Test
    void reportsTheFirstNonDigitByte()
    {
        assertThat(validate("1234-5678901")).isEqualTo(ErrorCode.NOT_DIGITS);
        assertThat(result.position()).isEqualTo(4);
    }

    private static int independentCheckDigit(final String elevenDigits)
    {
        int sum = 0;
        for (int i = 0; i < 11; i++)
        {
            sum += (elevenDigits.charAt(i) - '0') * LEFT_TO_RIGHT_WEIGHTS[i];
        }
        final int remainder = sum % 11;
        return remainder == 0 || remainder == 1 ? 0 : 11 - remainder;
    }

    private ErrorCode validate(final String number)
    {
        result.reset();
        final UnsafeBuffer buffer = Buffers.ascii(number);
        return PersonalNumberRule.validate(buffer, 0, buffer.capacity(), result);
    }
}
