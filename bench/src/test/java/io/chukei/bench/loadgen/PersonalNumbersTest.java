package io.chukei.bench.loadgen;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.validation.PersonalNumberRule;
import io.chukei.protocol.validation.ValidationResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalNumbersTest
{
    @Test
    void generatedNumbersPassTheRelaysCheckDigitRule()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++)
        {
            final String number = PersonalNumbers.next(random);
            assertThat(number).hasSize(12).containsOnlyDigits();
            assertThat(relayVerdict(number)).as("generated number %d", i).isEqualTo(ErrorCode.NO_ERROR);
        }
    }

    @Test
    void aChangedCheckDigitIsCaughtByTheRelay()
    {
        final String number = PersonalNumbers.next(new SplittableRandom(1));
        final char wrong = (char)('0' + (number.charAt(11) - '0' + 1) % 10);

        assertThat(relayVerdict(number.substring(0, 11) + wrong)).isEqualTo(ErrorCode.CHECK_DIGIT_MISMATCH);
    }

    @Test
    void theCheckDigitMatchesOneWorkedByHand()
    {
        // Digits from the right 1,0,9,8,7,6 x 2..7 and 5,4,3,2,1 x 2..6: sum 212, 212 mod 11 = 3, check 11 - 3 = 8.
        assertThat(PersonalNumbers.checkDigit("12345678901")).isEqualTo(8);
    }

    private static ErrorCode relayVerdict(final String number)
    {
        final byte[] bytes = number.getBytes(StandardCharsets.US_ASCII);
        return PersonalNumberRule.validate(new UnsafeBuffer(bytes), 0, bytes.length, new ValidationResult());
    }
}
