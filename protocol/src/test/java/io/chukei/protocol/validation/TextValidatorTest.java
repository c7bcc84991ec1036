package io.chukei.protocol.validation;

import java.nio.charset.StandardCharsets;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TextValidatorTest
{
    private static final TextFieldRule ADDRESS = new TextFieldRule(FieldId.ADDRESS, 64, false);
    private static final TextFieldRule NAME_KANJI = new TextFieldRule(FieldId.NAME_KANJI, 64, false);
    private static final TextFieldRule NAME_KANA = new TextFieldRule(FieldId.NAME_KANA, 64, true);

    private final ValidationResult result = new ValidationResult();
    private final TextValidator validator = new TextValidator(Repertoire.jisX0213(), 64);

    @Test
    void acceptsAnOrdinaryJapaneseAddress()
    {
        assertThat(validate(ADDRESS, "東京都千代田区千代田１－１　ＡＢＣビル3F")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void reportsBidiOverrideWithCodePointAndBytePosition()
    {
        // "東京都" is 9 bytes, "ABC" 3 more: U+202E starts at byte 12.
        assertThat(validate(ADDRESS, "東京都ABC\u202E123")).isEqualTo(ErrorCode.TEXT_BIDI_CONTROL);
        assertThat(result.position()).isEqualTo(12);
        assertThat(result.codePoint()).isEqualTo(0x202E);
        assertThat(result.detail()).isEqualTo("address: U+202E at byte 12 is a bidi control (rule: TEXT_BIDI_CONTROL)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x061C, 0x200E, 0x200F, 0x202A, 0x202D, 0x2066, 0x2069})
    void rejectsEveryBidiControl(final int codePoint)
    {
        assertThat(validate(ADDRESS, "a" + Character.toString(codePoint))).isEqualTo(ErrorCode.TEXT_BIDI_CONTROL);
        assertThat(result.position()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x80, 0x85, 0x9F})
    void rejectsControlCharactersIncludingTabAndNewlines(final int codePoint)
    {
        assertThat(validate(ADDRESS, "ab" + Character.toString(codePoint))).isEqualTo(ErrorCode.TEXT_CONTROL_CHARACTER);
        assertThat(result.position()).isEqualTo(2);
        assertThat(result.codePoint()).isEqualTo(codePoint);
    }

    @Test
    void rejectsAByteOrderMarkEvenAtTheStart()
    {
        assertThat(validate(ADDRESS, "\uFEFF東京")).isEqualTo(ErrorCode.TEXT_BYTE_ORDER_MARK);
        assertThat(result.position()).isZero();
    }

    @Test
    void reportsMalformedUtf8BeforeAnyCodePointRule()
    {
        final byte[] bytes = {(byte)0x09, (byte)0xC0, (byte)0xAF};
        assertThat(validator.validate(ADDRESS, bytes, true, result.reset())).isEqualTo(ErrorCode.UTF8_OVERLONG);
        assertThat(result.position()).isEqualTo(1);
    }

    @Test
    void decomposedKanaIsNotNfc()
    {
        assertThat(validate(NAME_KANA, "さ\u304B\u3099")).isEqualTo(ErrorCode.TEXT_NOT_NFC);
        assertThat(result.position()).isEqualTo(3);
        assertThat(result.codePoint()).isEqualTo(0x304B);
        assertThat(result.detail()).isEqualTo(
            "nameKana: U+304B at byte 3 is not in NFC form (NFC has U+304C there) (rule: TEXT_NOT_NFC)");
    }

    @Test
    void compatibilityIdeographThatNfcChangesIsNotNfcThoughJisX0213HasIt()
    {
        assertThat(Repertoire.jisX0213().contains(0xFA10)).isTrue();
        assertThat(validate(NAME_KANJI, "山\uFA10")).isEqualTo(ErrorCode.TEXT_NOT_NFC);
        assertThat(result.position()).isEqualTo(3);
        assertThat(result.codePoint()).isEqualTo(0xFA10);
    }

    @Test
    void compatibilityIdeographWithoutDecompositionIsAccepted()
    {
        // U+FA11 﨑 is one of the twelve unified ideographs in the compatibility block: NFC keeps it.
        assertThat(validate(NAME_KANJI, "山\uFA11")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void emojiIsOutsideTheRepertoire()
    {
        assertThat(validate(ADDRESS, "東京\uD83D\uDE00")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.position()).isEqualTo(6);
        assertThat(result.codePoint()).isEqualTo(0x1F600);
        assertThat(result.detail()).isEqualTo(
            "address: U+1F600 at byte 6 is outside the repertoire jisx0213 (rule: TEXT_OUTSIDE_REPERTOIRE)");
    }

    @Test
    void hashigoDakaIsNotInJisX0213ButTheCommonTakaIs()
    {
        // 髙 U+9AD9 comes from vendor extensions (IBM/NEC), not from JIS X 0213.
        assertThat(validate(NAME_KANJI, "髙橋")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.codePoint()).isEqualTo(0x9AD9);
        assertThat(validate(NAME_KANJI, "高橋")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void tsuchiYoshiIsNotInJisX0213ButPlaneTwoCharactersOfJisX0213Are()
    {
        assertThat(validate(NAME_KANJI, "\uD842\uDFB7野")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.codePoint()).isEqualTo(0x20BB7);
        // 𠮟 U+20B9F is JIS X 0213 plane 1.
        assertThat(validate(NAME_KANJI, "\uD842\uDF9F")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void ideographicVariationSequenceIsAccepted()
    {
        assertThat(validate(NAME_KANJI, "葛\uDB40\uDD00城")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void variationSelectorAfterALetterIsMisplaced()
    {
        assertThat(validate(NAME_KANJI, "a\uDB40\uDD00")).isEqualTo(ErrorCode.TEXT_MISPLACED_VARIATION_SELECTOR);
        assertThat(result.position()).isEqualTo(1);
        assertThat(result.codePoint()).isEqualTo(0xE0100);
    }

    @Test
    void variationSelectorAtTheStartIsMisplaced()
    {
        assertThat(validate(NAME_KANJI, "\uDB40\uDD00葛")).isEqualTo(ErrorCode.TEXT_MISPLACED_VARIATION_SELECTOR);
        assertThat(result.position()).isZero();
    }

    @Test
    void secondVariationSelectorInARowIsMisplaced()
    {
        assertThat(validate(NAME_KANJI, "葛\uDB40\uDD00\uDB40\uDD01")).isEqualTo(ErrorCode.TEXT_MISPLACED_VARIATION_SELECTOR);
        assertThat(result.position()).isEqualTo(7);
    }

    @Test
    void semiVoicedMarkIsAcceptedWhereJisX0213EncodesThePair()
    {
        assertThat(Repertoire.jisX0213().contains(0x309A)).isFalse();
        assertThat(validate(NAME_KANA, "カ\u309Aコ")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void semiVoicedMarkAfterABaseJisX0213CannotPairIsOutside()
    {
        assertThat(validate(NAME_KANA, "ア\u309A")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.position()).isEqualTo(3);
        assertThat(result.codePoint()).isEqualTo(0x309A);
    }

    @Test
    void kanaNameAllowsKanaLongVowelMiddleDotAndSpaces()
    {
        assertThat(validate(NAME_KANA, "ヤマダ　タロー・ジョン ぴーたー")).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void kanaNameRejectsKanjiWithTheOffendingCodePoint()
    {
        assertThat(validate(NAME_KANA, "ヤマダ太郎")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.position()).isEqualTo(9);
        assertThat(result.codePoint()).isEqualTo(0x592A);
        assertThat(result.detail()).isEqualTo("nameKana: U+592A at byte 9 is not kana (nameKana allows only the kana of the repertoire jisx0213) " +
            "(rule: TEXT_OUTSIDE_REPERTOIRE)");
    }

    @Test
    void kanaNameRejectsHalfwidthKatakana()
    {
        assertThat(validate(NAME_KANA, "ﾔﾏﾀﾞ")).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
        assertThat(result.codePoint()).isEqualTo(0xFF94);
    }

    @Test
    void emptyRequiredTextIsMissingAndEmptyOptionalTextIsFine()
    {
        assertThat(validator.validate(ADDRESS, new byte[0], true, result.reset()))
            .isEqualTo(ErrorCode.REQUIRED_FIELD_MISSING);
        assertThat(validator.validate(ADDRESS, new byte[0], false, result.reset())).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void textLongerThanTheFieldsMaxBytesIsInvalidLength()
    {
        assertThat(validate(new TextFieldRule(FieldId.ADDRESS, 8, false), "東京都")).isEqualTo(ErrorCode.INVALID_LENGTH);
        assertThat(result.detail()).isEqualTo("address: 9 bytes (expected: <= 8) (rule: INVALID_LENGTH)");
    }

    @Test
    void unicodeRepertoireAcceptsWhatJisX0213Lacks()
    {
        final TextValidator unicode = new TextValidator(Repertoire.unicode(), 64);
        final byte[] bytes = "髙橋\uD842\uDFB7\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);

        assertThat(unicode.validate(NAME_KANJI, bytes, true, result.reset())).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void unicodeRepertoireStillRejectsUnassignedCodePoints()
    {
        final TextValidator unicode = new TextValidator(Repertoire.unicode(), 64);
        final byte[] bytes = "a\u0378".getBytes(StandardCharsets.UTF_8);

        assertThat(unicode.validate(NAME_KANJI, bytes, true, result.reset())).isEqualTo(ErrorCode.TEXT_OUTSIDE_REPERTOIRE);
    }

    @Test
    void validTextOfNfcInertCharactersAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final byte[] bytes = "東京都千代田区千代田１－１　ヤマダ　タロウ".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20_000; i++)
        {
            validator.validate(ADDRESS, bytes, true, result.reset());
        }

        // The quietest of several rounds, so a one-off JIT code swap on a loaded machine does not count.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++)
            {
                validator.validate(ADDRESS, bytes, true, result.reset());
            }
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }

        assertThat(result.isValid()).isTrue();
        // Measuring itself may allocate a little; 1,000 calls allocating even 16 bytes each would be 16,000.
        assertThat(allocated).isLessThan(1_000);
    }

    private ErrorCode validate(final TextFieldRule rule, final String text)
    {
        return validator.validate(rule, text.getBytes(StandardCharsets.UTF_8), true, result.reset());
    }
}
