package io.chukei.protocol.validation;

import java.util.Arrays;

import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ErrorCatalogTest
{
    @Test
    void everyGeneratedErrorCodeHasAMeaningAndRetryAdvice()
    {
        Arrays.stream(ErrorCode.values())
            .filter(code -> code != ErrorCode.NULL_VAL)
            .forEach(code ->
            {
                final ErrorCatalog.Entry entry = ErrorCatalog.entry(code);
                assertThat(entry.code()).isEqualTo(code);
                assertThat(entry.meaning()).as(code.name()).isNotBlank();
                assertThat(entry.retry()).as(code.name()).isNotNull();
            });
    }

    @Test
    void fieldAndTextRulesNeedAFixBeforeAResend()
    {
        Arrays.stream(ErrorCode.values())
            .filter(code -> code.value() >= 200 && code.value() < 400)
            .forEach(code -> assertThat(ErrorCatalog.retry(code)).as(code.name()).isEqualTo(RetryAdvice.AFTER_FIX));
    }

    @Test
    void deadlineExceededTellsTheConnectorToResendAsADuplicate()
    {
        assertThat(ErrorCatalog.retry(ErrorCode.DEADLINE_EXCEEDED)).isEqualTo(RetryAdvice.RESEND_AS_DUPLICATE);
        assertThat(ErrorCatalog.retry(ErrorCode.RATE_LIMITED)).isEqualTo(RetryAdvice.LATER);
        assertThat(ErrorCatalog.retry(ErrorCode.NODE_UNAVAILABLE)).isEqualTo(RetryAdvice.ELSEWHERE);
        assertThat(ErrorCatalog.retry(ErrorCode.MUNICIPALITY_NOT_AUTHORIZED)).isEqualTo(RetryAdvice.NEVER);
    }

    @Test
    void nullValueIsNotACode()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> ErrorCatalog.entry(ErrorCode.NULL_VAL))
            .withMessage("code: NULL_VAL (expected: a defined error code)");
    }
}
