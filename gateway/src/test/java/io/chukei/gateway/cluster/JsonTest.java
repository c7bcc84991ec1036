package io.chukei.gateway.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest
{
    @Test
    void controlBidiAndInvisibleCharactersAreWrittenAsEscapes()
    {
        assertThat(Json.quote("a\nb\u0085c\u202Ed\u200B\"")).isEqualTo("\"a\\nb\\u0085c\\u202ed\\u200b\\\"\"");
    }

    @Test
    void printableTextOfAnyScriptIsWrittenAsItIs()
    {
        assertThat(Json.quote("髙橋 𠮷田")).isEqualTo("\"髙橋 𠮷田\"");
    }

    @Test
    void whatQuoteWritesUnescapesToTheSameText()
    {
        final String text = "disk\u202E \u0085 𠮷 \\ \"x\"";
        final String quoted = Json.quote(text);

        assertThat(Json.unescape(quoted.substring(1, quoted.length() - 1))).isEqualTo(text);
    }
}
