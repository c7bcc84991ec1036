package io.chukei.protocol.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTest
{
    @Test
    void aLineBreakCannotStartAForgedLogLine()
    {
        assertThat(SafeText.of("disk\r\n2026-11-30 INFO Node 1: ISOLATED -> ACTIVE"))
            .isEqualTo("disk\\r\\n2026-11-30 INFO Node 1: ISOLATED -> ACTIVE")
            .doesNotContain("\n", "\r");
    }

    @Test
    void terminalEscapesAndOtherControlsAreEscaped()
    {
        assertThat(SafeText.of("a\u001B[31mred\u0000\u007F\u0085\tb")).isEqualTo("a\\u001b[31mred\\u0000\\u007f\\u0085\\tb");
    }

    @Test
    void bidiControlsSeparatorsAndInvisibleFormatCharactersAreEscaped()
    {
        assertThat(SafeText.of("\u202Egnp.exe\u2066\u2028\u200B\uFEFF"))
            .isEqualTo("\\u202egnp.exe\\u2066\\u2028\\u200b\\ufeff");
    }

    @Test
    void aBackslashIsDoubledSoAnEscapeInTheOutputIsAlwaysOurs()
    {
        assertThat(SafeText.of("C:\\u000a")).isEqualTo("C:\\\\u000a");
    }

    @Test
    void printableTextOfAnyScriptStaysAsItIs()
    {
        assertThat(SafeText.of("髙橋 𠮷田 ｶﾀｶﾅ vendor/product/1.0 — ok")).isEqualTo("髙橋 𠮷田 ｶﾀｶﾅ vendor/product/1.0 — ok");
    }

    @Test
    void anUnpairedSurrogateIsEscaped()
    {
        assertThat(SafeText.of("x\uD842y")).isEqualTo("x\\ud842y");
        assertThat(SafeText.firstUnsafe("x\uDFB7")).isEqualTo(1);
    }

    @Test
    void aTagCharacterOutsideTheBmpIsEscapedUnitByUnit()
    {
        assertThat(SafeText.of("a\uDB40\uDC41")).isEqualTo("a\\udb40\\udc41");
    }

    @Test
    void longTextIsCutSayingHowMuchWasLeftOut()
    {
        assertThat(SafeText.of("x".repeat(250), 200)).isEqualTo("x".repeat(200) + "...(50 more characters)");
    }

    @Test
    void theCutNeverSplitsASurrogatePair()
    {
        assertThat(SafeText.of("ab𠮷c", 3)).isEqualTo("ab...(3 more characters)");
    }

    @Test
    void nullIsWrittenAsNull()
    {
        assertThat(SafeText.of(null)).isEqualTo("null");
    }

    @Test
    void firstUnsafeFindsTheFirstCharacterThatWouldBeEscaped()
    {
        assertThat(SafeText.firstUnsafe("disk replaced")).isEqualTo(-1);
        assertThat(SafeText.firstUnsafe("back\\slash")).isEqualTo(-1);
        assertThat(SafeText.firstUnsafe("disk\nx")).isEqualTo(4);
        assertThat(SafeText.kindOf('\n')).isEqualTo("a control character");
        assertThat(SafeText.kindOf(0x202E)).isEqualTo("a bidi control");
        assertThat(SafeText.kindOf('a')).isNull();
    }
}
