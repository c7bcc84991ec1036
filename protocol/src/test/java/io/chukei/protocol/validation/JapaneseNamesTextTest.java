package io.chukei.protocol.validation;

import java.nio.charset.StandardCharsets;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Text rules under the default japanese-names repertoire: real names pass, precise rejections with hints. */
class JapaneseNamesTextTest
{
    private static final TextFieldRule NAME_KANJI = new TextFieldRule(FieldId.NAME_KANJI, 64, false);
    private static final TextFieldRule ADDRESS = new TextFieldRule(FieldId.ADDRESS, 64, false);

    private final ValidationResult result = new ValidationResult();
    private final TextValidator validator = new TextValidator(Repertoire.japaneseNames(), 64);

    @ParameterizedTest
    @ValueSource(strings = {"髙橋太郎", "𠮷田花子", "山﨑", "葛\uDB40\uDD00城", "髙田", "髙木", "𠮷川", "淸水", "悅子", "靑木",
        "昻", "敎子", "﨎", "槗本", "𠮷\uDB40\uDD00野", "カ\u309Aコ"})
    void acceptsRealResidentsNames(final String name)
    {
        assertThat(validate(NAME_KANJI, name)).as(result.detail()).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void anUnregisteredVariationSequenceIsRejectedNamingTheSequence()
    {
        assertThat(validate(NAME_KANJI, "葛\uDB40\uDDEF")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.field()).isEqualTo(FieldId.NAME_KANJI);
        assertThat(result.position()).isEqualTo(3);
        assertThat(result.codePoint()).isEqualTo(0xE01EF);
        assertThat(result.detail()).isEqualTo("nameKanji: U+E01EF at byte 3 after U+845B: the sequence U+845B U+E01EF " +
            "is not a registered variation sequence of the repertoire japanese-names (registered for U+845B: " +
            "U+E0100..U+E0109) (rule: TEXT_OUTSIDE_REPERTOIRE)");
    }

    @Test
    void aVariationSelectorAfterAnIdeographWithNoSequencesSaysSo()
    {
        // 〇 U+3007 is an ideograph (so the selector is not misplaced) with no registered sequence.
        assertThat(validate(ADDRESS, "一〇\uDB40\uDD00")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.position()).isEqualTo(6);
        assertThat(result.detail()).contains("the sequence U+3007 U+E0100 is not a registered variation sequence",
            "it lists none for U+3007; send the ideograph alone");
    }

    @Test
    void halfwidthKatakanaIsRefusedWithTheFullwidthFormToSend()
    {
        assertThat(validate(NAME_KANJI, "ｶﾀｶﾅ")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.position()).isZero();
        assertThat(result.codePoint()).isEqualTo(0xFF76);
        assertThat(result.detail()).isEqualTo("nameKanji: U+FF76 at byte 0 is outside the repertoire japanese-names " +
            "(send its compatibility equivalent U+30AB KATAKANA LETTER KA instead) (rule: TEXT_OUTSIDE_REPERTOIRE)");
    }

    @Test
    void horizontalBarFromCp932GetsTheEmDashHint()
    {
        assertThat(validate(ADDRESS, "1\u20152")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.detail()).isEqualTo("address: U+2015 at byte 1 is outside the repertoire japanese-names " +
            "(CP932 conversions produce it; send U+2014 EM DASH instead, see protocol/README.md) " +
            "(rule: TEXT_OUTSIDE_REPERTOIRE)");
    }

    @Test
    void yenSignGetsTheFullwidthYenHint()
    {
        assertThat(validate(ADDRESS, "\u00A5100")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.detail()).contains("send U+FFE5 FULLWIDTH YEN SIGN instead");
    }

    @Test
    void overlineGetsTheFullwidthMacronHint()
    {
        assertThat(validate(ADDRESS, "a\u203E")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.detail()).contains("send U+FFE3 FULLWIDTH MACRON instead");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x1F600, 0x200B, 0x200D, 0x00AD})
    void emojiAndInvisiblesAreRefusedWithoutAHint(final int codePoint)
    {
        assertThat(validate(NAME_KANJI, "山" + Character.toString(codePoint))).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.codePoint()).isEqualTo(codePoint);
        assertThat(result.detail()).endsWith("is outside the repertoire japanese-names (rule: TEXT_OUTSIDE_REPERTOIRE)");
    }

    @Test
    void compatibilityIdeographGetsTheRegisteredSequenceToSendInstead()
    {
        assertThat(validate(NAME_KANJI, "\uFA10本")).isEqualTo(ErrorCode.TEXT_NOT_NFC);
        assertThat(result.codePoint()).isEqualTo(0xFA10);
        assertThat(result.detail()).isEqualTo("nameKanji: U+FA10 at byte 0 is not in NFC form (NFC has U+585A there; " +
            "to keep its glyph send U+585A U+E0105, the registered variation sequence for it (IVD Hanyo-Denshi " +
            "JC1555, JIS X 0213 1-15-55)) (rule: TEXT_NOT_NFC)");
    }

    @Test
    void theSuggestedSequenceIsAccepted()
    {
        assertThat(validate(NAME_KANJI, "\u585A\uDB40\uDD05本")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void compatibilityIdeographWithoutADerivableSequenceNamesTheBaseAndItsSelectors()
    {
        // 凞 U+FA15 is JIS X 0213 1-87-58, but Hanyo-Denshi registers no glyph JC8758 for U+51DE.
        assertThat(validate(NAME_KANJI, "\uFA15")).isEqualTo(ErrorCode.TEXT_NOT_NFC);
        assertThat(result.detail()).isEqualTo("nameKanji: U+FA15 at byte 0 is not in NFC form (NFC has U+51DE there; " +
            "to keep its glyph send U+51DE with the variation selector registered for that glyph, if any " +
            "(registered for U+51DE: U+E0100..U+E010B)) (rule: TEXT_NOT_NFC)");
    }

    @Test
    void validNamesWithVariationSequencesAndPlaneTwoIdeographsAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final byte[] bytes = "髙橋　𠮷田　葛\uDB40\uDD00城　山﨑".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20_000; i++)
        {
            validator.validate(NAME_KANJI, bytes, true, result.reset());
        }

        // The quietest of several rounds, so a one-off JIT code swap on a loaded machine does not count.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++)
            {
                validator.validate(NAME_KANJI, bytes, true, result.reset());
            }
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }

        assertThat(result.isValid()).as(result.detail()).isTrue();
        assertThat(allocated).isLessThan(1_000);
    }

    private ErrorCode validate(final TextFieldRule rule, final String text)
    {
        return validator.validate(rule, text.getBytes(StandardCharsets.UTF_8), true, result.reset());
    }
}
