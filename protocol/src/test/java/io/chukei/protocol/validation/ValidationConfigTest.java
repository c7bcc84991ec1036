package io.chukei.protocol.validation;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ValidationConfigTest
{
    @Test
    void defaultsUseJapaneseNamesAndTheDocumentedBounds()
    {
        final ValidationConfig config = ValidationConfig.defaults();

        assertThat(config.repertoire().name()).isEqualTo(Repertoire.JAPANESE_NAMES);
        assertThat(config.clock().getZone()).isEqualTo(ValidationConfig.JAPAN);
        assertThat(config.earliestDateOfBirth()).isEqualTo(LocalDate.of(1868, 1, 1));
        assertThat(config.cardId().minLength()).isEqualTo(12);
        assertThat(config.applicationId().maxLength()).isEqualTo(23);
        assertThat(config.pinBlockMaxBytes()).isEqualTo(256);
        assertThat(config.address().maxBytes()).isEqualTo(1024);
        assertThat(config.nameKana().kanaOnly()).isTrue();
    }

    @Test
    void rejectsAZeroMaxLengthNamingTheSetting()
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ValidationConfig.builder().addressMaxBytes(0).build())
            .withMessage("addressMaxBytes: 0 (expected: > 0)");
    }

    @Test
    void rejectsAMaxLengthTheWireCannotCarry()
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ValidationConfig.builder().nameKanjiMaxBytes(70_000).build())
            .withMessage("nameKanjiMaxBytes: 70000 (expected: <= 65534)");
    }

    @Test
    void rejectsDigitBoundsThatContradictEachOther()
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ValidationConfig.builder().cardIdDigits(12, 10).build())
            .withMessage("cardIdMaxDigits: 10 (expected: >= cardIdMinDigits 12)");
    }

    @Test
    void rejectsAnEarliestBirthDateInTheFuture()
    {
        final Clock clock = Clock.fixed(Instant.parse("2026-04-01T00:00:00Z"), ValidationConfig.JAPAN);

        assertThatIllegalArgumentException()
            .isThrownBy(() -> ValidationConfig.builder().clock(clock).earliestDateOfBirth(LocalDate.of(2030, 1, 1))
                .build())
            .withMessage("earliestDateOfBirth: 2030-01-01 (expected: not after today, 2026-04-01)");
    }

    @Test
    void rejectsAnUnknownRepertoire()
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ValidationConfig.builder().repertoire("no-such-profile").build())
            .withMessageStartingWith("repertoire: no-such-profile");
    }
}
