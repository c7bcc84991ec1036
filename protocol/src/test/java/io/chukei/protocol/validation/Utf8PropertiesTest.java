package io.chukei.protocol.validation;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8PropertiesTest
{
    private final ValidationResult result = new ValidationResult();

    @Property
    void anyRepertoireTextEncodedByTheJdkPassesTheUtf8Stage(@ForAll("repertoireText") final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final char[] out = new char[utf8.length];

        final int count = Utf8Rule.decode(new UnsafeBuffer(utf8), 0, utf8.length, out, FieldId.ADDRESS, result.reset());

        assertThat(result.code()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(new String(out, 0, count)).isEqualTo(text);
    }

    @Property(tries = 3000)
    void agreesWithTheJdkStrictDecoderOnAnyBytes(@ForAll("utf8ish") final byte[] bytes)
    {
        final ErrorCode code = Utf8Rule.validate(new UnsafeBuffer(bytes), 0, bytes.length, FieldId.ADDRESS, result.reset());

        assertThat(code == ErrorCode.NO_ERROR).as(java.util.HexFormat.of().formatHex(bytes))
            .isEqualTo(jdkAccepts(bytes));
    }

    @Property
    void agreesWithTheJdkStrictDecoderOnUniformlyRandomBytes(@ForAll @Size(max = 12) final byte[] bytes)
    {
        final ErrorCode code = Utf8Rule.validate(new UnsafeBuffer(bytes), 0, bytes.length, FieldId.ADDRESS, result.reset());

        assertThat(code == ErrorCode.NO_ERROR).isEqualTo(jdkAccepts(bytes));
    }

    @Provide
    Arbitrary<String> repertoireText()
    {
        final Repertoire repertoire = Repertoire.jisX0213();
        final Arbitrary<Integer> codePoints = Arbitraries.oneOf(
            Arbitraries.integers().between(0x20, 0x7E),
            Arbitraries.integers().between(0x3041, 0x30FF),
            Arbitraries.integers().between(0x4E00, 0x9FFF),
            Arbitraries.integers().between(0x20000, 0x2FFFF),
            Arbitraries.integers().between(0, 0x2FFFF))
            .filter(repertoire::contains);
        return codePoints.list().ofMaxSize(20)
            .map(list -> list.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString());
    }

    /** Bytes biased towards the interesting boundaries of Table 3-7, so rejections are varied. */
    @Provide
    Arbitrary<byte[]> utf8ish()
    {
        final Arbitrary<Byte> interesting = Arbitraries.of(
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF)
            .map(Integer::byteValue);
        final Arbitrary<Byte> continuation = Arbitraries.integers().between(0x80, 0xBF).map(Integer::byteValue);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, interesting),
                net.jqwik.api.Tuple.of(3, continuation),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes()))
            .array(byte[].class).ofMaxSize(10);
    }

    private static boolean jdkAccepts(final byte[] bytes)
    {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        try
        {
            decoder.decode(ByteBuffer.wrap(bytes));
            return true;
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }
}
