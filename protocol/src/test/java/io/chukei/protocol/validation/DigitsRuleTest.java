package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DigitsRuleTest
{
    private final ValidationResult result = new ValidationResult();
    private final DigitsRule cardId = new DigitsRule(FieldId.CARD_ID, 12, 12);

    @Test
    void acceptsDigitsOfTheDeclaredLength()
    {
        assertThat(validate("123456789012")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void rejectsTheWrongLengthNamingTheBounds()
    {
        assertThat(validate("1234567890123")).isEqualTo(ErrorCode.INVALID_LENGTH);
        assertThat(result.field()).isEqualTo(FieldId.CARD_ID);
        assertThat(result.detail()).isEqualTo("cardId: 13 digits (expected: 12) (rule: INVALID_LENGTH)");
    }

    @Test
    void reportsTheFirstNonDigitPositionAndByte()
    {
        assertThat(validate("12345 789012")).isEqualTo(ErrorCode.NOT_DIGITS);
        assertThat(result.position()).isEqualTo(5);
        assertThat(result.detail()).isEqualTo("cardId: byte 0x20 at byte 5 is not an ASCII digit (rule: NOT_DIGITS)");
    }

    @Test
    void refusesNonsenseBounds()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new DigitsRule(FieldId.CARD_ID, 0, 12))
            .withMessage("cardId minLength: 0 (expected: > 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> new DigitsRule(FieldId.CARD_ID, 12, 11))
            .withMessage("cardId maxLength: 11 (expected: >= minLength 12)");
    }

    private ErrorCode validate(final String value)
    {
        result.reset();
        final UnsafeBuffer buffer = Buffers.ascii(value);
        return cardId.validate(buffer, 0, buffer.capacity(), result);
    }
}
