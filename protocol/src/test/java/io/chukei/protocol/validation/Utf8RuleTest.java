package io.chukei.protocol.validation;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8RuleTest
{
    private final ValidationResult result = new ValidationResult();

    @Test
    void decodesEveryWellFormedSequenceLength()
    {
        // "a", "é", "漢", "𠀋"
        final UnsafeBuffer bytes = Buffers.bytes(0x61, 0xC3, 0xA9, 0xE6, 0xBC, 0xA2, 0xF0, 0xA0, 0x80, 0x8B);
        final char[] out = new char[bytes.capacity()];

        final int count = Utf8Rule.decode(bytes, 0, bytes.capacity(), out, FieldId.ADDRESS, result);

        assertThat(new String(out, 0, count)).isEqualTo("aé漢\uD840\uDC0B");
        assertThat(result.isValid()).isTrue();
    }

    @Test
    void strayContinuationByteIsInvalidAtItsPosition()
    {
        assertViolation(Buffers.bytes(0x41, 0x42, 0x80), ErrorCode.UTF8_INVALID_BYTE, 2, -1);
    }

    @Test
    void leadBytesThatNeverStartASequenceAreInvalid()
    {
        assertViolation(Buffers.bytes(0x41, 0xF5, 0x80, 0x80, 0x80), ErrorCode.UTF8_INVALID_BYTE, 1, -1);
        assertViolation(Buffers.bytes(0xFF), ErrorCode.UTF8_INVALID_BYTE, 0, -1);
        assertViolation(Buffers.bytes(0xC0), ErrorCode.UTF8_INVALID_BYTE, 0, -1);
        assertViolation(Buffers.bytes(0xC1, 0x41), ErrorCode.UTF8_INVALID_BYTE, 0, -1);
    }

    @Test
    void twoByteOverlongSlashIsOverlongWithItsCodePoint()
    {
        assertViolation(Buffers.bytes(0x61, 0xC0, 0xAF), ErrorCode.UTF8_OVERLONG, 1, 0x2F);
        assertThat(result.detail()).isEqualTo("address: overlong UTF-8 sequence at byte 1 for U+002F (rule: UTF8_OVERLONG)");
    }

    @Test
    void threeAndFourByteOverlongSlashesAreOverlong()
    {
        assertViolation(Buffers.bytes(0xE0, 0x80, 0xAF), ErrorCode.UTF8_OVERLONG, 0, 0x2F);
        assertViolation(Buffers.bytes(0x20, 0x20, 0xF0, 0x80, 0x80, 0xAF), ErrorCode.UTF8_OVERLONG, 2, 0x2F);
    }

    @Test
    void encodedSurrogatesAreSurrogates()
    {
        assertViolation(Buffers.bytes(0xED, 0xA0, 0x80), ErrorCode.UTF8_SURROGATE, 0, 0xD800);
        assertViolation(Buffers.bytes(0x41, 0xED, 0xBF, 0xBF), ErrorCode.UTF8_SURROGATE, 1, 0xDFFF);
    }

    @Test
    void valuesAboveTheLastCodePointAreOutOfRange()
    {
        assertViolation(Buffers.bytes(0xF4, 0x90, 0x80, 0x80), ErrorCode.UTF8_OUT_OF_RANGE, 0, 0x110000);
    }

    @Test
    void sequenceCutByTheEndOfTheFieldIsTruncated()
    {
        assertViolation(Buffers.bytes(0x41, 0xE6, 0xBC), ErrorCode.UTF8_TRUNCATED, 1, -1);
        assertViolation(Buffers.bytes(0xF0, 0xA0, 0x80), ErrorCode.UTF8_TRUNCATED, 0, -1);
    }

    @Test
    void sequenceCutByANonContinuationByteIsTruncated()
    {
        assertViolation(Buffers.bytes(0xE6, 0x41, 0xA2), ErrorCode.UTF8_TRUNCATED, 0, -1);
        assertViolation(Buffers.bytes(0x41, 0x41, 0xC3, 0xC3, 0xA9), ErrorCode.UTF8_TRUNCATED, 2, -1);
    }

    @Test
    void boundariesOfTable37AreAccepted()
    {
        // U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF
        final UnsafeBuffer bytes = Buffers.bytes(0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xED, 0x9F, 0xBF,
            0xEE, 0x80, 0x80, 0xEF, 0xBF, 0xBF, 0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF);

        assertThat(Utf8Rule.validate(bytes, 0, bytes.capacity(), FieldId.ADDRESS, result)).isEqualTo(ErrorCode.NO_ERROR);
    }

    private void assertViolation(
        final UnsafeBuffer bytes, final ErrorCode code, final int position, final int codePoint)
    {
        result.reset();
        assertThat(Utf8Rule.validate(bytes, 0, bytes.capacity(), FieldId.ADDRESS, result)).isEqualTo(code);
        assertThat(result.field()).isEqualTo(FieldId.ADDRESS);
        assertThat(result.position()).as("position").isEqualTo(position);
        assertThat(result.codePoint()).as("codePoint").isEqualTo(codePoint);
        assertThat(result.detail()).startsWith("address: ").endsWith("(rule: " + code + ")");
    }
}
