package io.chukei.protocol.validation;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** The NFC fast path (NFC-inert characters) must never accept what java.text.Normalizer rejects. */
class NfcPropertiesTest
{
    private static final TextFieldRule FIELD = new TextFieldRule(FieldId.ADDRESS, 1024, false);

    private final ValidationResult result = new ValidationResult();
    private final TextValidator validator = new TextValidator(Repertoire.unicode(), 1024);

    @Property(tries = 2000)
    void reportsNotNfcExactlyWhenTheJdkNormalizerDoes(@ForAll("mixedText") final String text)
    {
        final ErrorCode code = validator.validate(FIELD, text.getBytes(StandardCharsets.UTF_8), true, result.reset());

        assertThat(code == ErrorCode.TEXT_NOT_NFC).as(text)
            .isEqualTo(!Normalizer.isNormalized(text, Normalizer.Form.NFC));
    }

    /** Letters, kana, ideographs, composites and combining marks: NFC has something to do. */
    @Provide
    Arbitrary<String> mixedText()
    {
        final Arbitrary<Integer> codePoints = Arbitraries.oneOf(
            Arbitraries.of(0x41, 0x65, 0xE9, 0x304B, 0x304C, 0x30AB, 0x30CF, 0x3099, 0x309A, 0x0301, 0x0323,
                0x0334, 0x1100, 0x1161, 0x11A8, 0xAC00, 0xFA10, 0xFA11, 0x2126, 0x212B, 0x6F22, 0x1E0A, 0x0F73),
            Arbitraries.integers().between(0x0300, 0x036F),
            Arbitraries.integers().between(0x3040, 0x30FF))
            .filter(cp -> Character.isDefined(cp) && !Character.isISOControl(cp));
        return codePoints.list().ofMaxSize(8)
            .map(list -> list.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString());
    }
}
