package io.chukei.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.agrona.sbe.MessageEncoderFlyweight;
import org.junit.jupiter.api.Test;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.framing.SofhFrame;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.HeartbeatEncoder;
import io.chukei.protocol.sbe.HelloEncoder;
import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.StatusQueryEncoder;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.chukei.protocol.testing.ReshapedMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The committed seed corpus of the fuzz targets is what this class makes, byte for byte: the messages of
 * the bad-input and tenant-isolation system tests (another municipality's Submit and StatusQuery, a broken
 * check digit, a bidi control, a longer block, an oversized frame) and well-formed ones to start from.
 * {@code -Dchukei.fuzz.writeSeeds=true} rewrites the files (run from the gateway directory) after a change.
 */
class FuzzSeedsTest
{
    private static final Path RESOURCES = Path.of("src/test/resources");
    private static final long DEADLINE = SubmitValidatorFuzzTest.NOW.toEpochMilli() + 30_000;

    @Test
    void theCommittedSeedsAreWhatTheGeneratorMakes() throws IOException
    {
        final boolean write = Boolean.getBoolean("chukei.fuzz.writeSeeds");
        final Map<Path, byte[]> seeds = new LinkedHashMap<>();
        frameSeeds(seeds);
        messageSeeds(seeds);
        validatorSeeds(seeds);
        adminSeeds(seeds);
        for (final Map.Entry<Path, byte[]> seed : seeds.entrySet())
        {
            final Path file = RESOURCES.resolve(seed.getKey());
            if (write)
            {
                Files.createDirectories(file.getParent());
                Files.write(file, seed.getValue());
            }
            assertThat(file).as("seed %s (regenerate: -Dchukei.fuzz.writeSeeds=true)", seed.getKey())
                .hasBinaryContent(seed.getValue());
        }
    }

    @Test
    void everySeedPassesItsTarget()
    {
        final Map<Path, byte[]> seeds = new LinkedHashMap<>();
        frameSeeds(seeds);
        messageSeeds(seeds);
        validatorSeeds(seeds);
        adminSeeds(seeds);
        seeds.forEach((name, bytes) ->
        {
            final String target = name.getParent().getParent().getFileName().toString();
            switch (target)
            {
                case "FrameDecoderFuzzTestInputs" -> FrameDecoderFuzzTest.fuzzerTestOneInput(bytes);
                case "MessageReaderFuzzTestInputs" -> MessageReaderFuzzTest.fuzzerTestOneInput(bytes);
                case "SubmitValidatorFuzzTestInputs" -> SubmitValidatorFuzzTest.fuzzerTestOneInput(bytes);
                case "AdminHttpFuzzTestInputs" -> io.chukei.gateway.admin.AdminHttpFuzzTest.fuzzerTestOneInput(bytes);
                default -> throw new AssertionError("no target for " + name);
            }
        });
    }

    private static void frameSeeds(final Map<Path, byte[]> seeds)
    {
        final Path dir = Path.of("io/chukei/gateway/fuzz/FrameDecoderFuzzTestInputs/frameDecoder");
        final byte[] hello = frame(hello("131016"));
        final byte[] submit = frame(cardStatus("131016"));
        // Whole frames in one read (first byte 0x3F: reads of 64 bytes) and cut into single bytes (0x00).
        seeds.put(dir.resolve("hello-then-submit"), concat(new byte[] {0x3F}, hello, submit));
        seeds.put(dir.resolve("hello-then-submit-bytewise"), concat(new byte[] {0x00}, hello, submit));
        seeds.put(dir.resolve("status-query-other-municipality"), concat(new byte[] {0x07}, frame(statusQuery("011002"))));
        seeds.put(dir.resolve("heartbeat"), concat(new byte[] {0x3F}, frame(heartbeat())));
        seeds.put(dir.resolve("oversized-then-submit"), concat(new byte[] {0x3F}, sofh(200_000, 0xEB50), submit));
        seeds.put(dir.resolve("too-large-discarded-then-submit"), concat(new byte[] {0x10}, sofh(520, 0xEB50),
            new byte[514], submit));
        seeds.put(dir.resolve("too-short-skipped-then-submit"), concat(new byte[] {0x3F}, sofh(10, 0xEB50),
            new byte[4], submit));
        seeds.put(dir.resolve("length-below-header-fatal"), concat(new byte[] {0x3F}, sofh(3, 0xEB50), submit));
        seeds.put(dir.resolve("big-endian-encoding-fatal"), concat(new byte[] {0x3F}, sofh(14, 0x50EB), new byte[8]));
        seeds.put(dir.resolve("truncated-submit"), concat(new byte[] {0x05}, java.util.Arrays.copyOf(submit, 40)));
    }

    private static void messageSeeds(final Map<Path, byte[]> seeds)
    {
        final Path dir = Path.of("io/chukei/gateway/fuzz/MessageReaderFuzzTestInputs/messageReader");
        final byte[] submit = cardStatus("131016");
        seeds.put(dir.resolve("hello"), hello("131016"));
        seeds.put(dir.resolve("submit-card-status"), submit);
        seeds.put(dir.resolve("submit-cert-change-kanji"), certChange("131016", "123456789018", "東京都千代田区"));
        seeds.put(dir.resolve("submit-other-municipality"), cardStatus("011002"));
        seeds.put(dir.resolve("status-query"), statusQuery("131016"));
        seeds.put(dir.resolve("heartbeat"), heartbeat());
        seeds.put(dir.resolve("submit-longer-block"), ReshapedMessages.withLongerBlock(submit, 8));
        seeds.put(dir.resolve("submit-newer-version"), ReshapedMessages.asNewerVersion(submit, 8, 5));
        seeds.put(dir.resolve("submit-trailing-bytes"), ReshapedMessages.withTrailingBytes(submit, 3));
        final byte[] unknown = submit.clone();
        unknown[2] = (byte)0xE7;
        unknown[3] = 0x03;
        seeds.put(dir.resolve("unknown-template"), unknown);
        final byte[] otherSchema = submit.clone();
        otherSchema[4] = 0x2A;
        seeds.put(dir.resolve("other-schema"), otherSchema);
        seeds.put(dir.resolve("header-only"), java.util.Arrays.copyOf(submit, 8));
    }

    private static void validatorSeeds(final Map<Path, byte[]> seeds)
    {
        final Path dir = Path.of("io/chukei/gateway/fuzz/SubmitValidatorFuzzTestInputs/submitValidator");
        seeds.put(dir.resolve("card-status"), cardStatus("131016"));
        seeds.put(dir.resolve("cert-change-kanji"), certChange("131016", "123456789018", "東京都千代田区"));
        seeds.put(dir.resolve("cert-change-bad-check-digit"), certChange("131016", "123456789019", "東京都千代田区"));
        seeds.put(dir.resolve("cert-change-bidi-control"), certChange("131016", "123456789018", "東京都\u202E千代田区"));
        seeds.put(dir.resolve("cert-change-variation-selector"), certChange("131016", "123456789018", "葛\uDB40\uDD00飾区"));
        seeds.put(dir.resolve("cert-change-decomposed-kana"), certChange("131016", "123456789018", "か\u3099わさき"));
        seeds.put(dir.resolve("card-status-other-municipality"), cardStatus("011002"));
    }

    private static void adminSeeds(final Map<Path, byte[]> seeds)
    {
        final Path dir = Path.of("io/chukei/gateway/admin/AdminHttpFuzzTestInputs/adminHttp");
        // First byte: read size ((b & 0x3F) * 4 + 1 bytes); 0x3F reads 253 bytes at a time.
        seeds.put(dir.resolve("health"), http("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        seeds.put(dir.resolve("isolate-from-a-foreign-origin"), http("POST /cluster/isolate?node=1 HTTP/1.1\r\n" +
            "Host: evil.example\r\nOrigin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
            "Content-Length: 6\r\n\r\nnode=1"));
        seeds.put(dir.resolve("limits-with-escapes"), http("POST /admission/limits?code=1%0D%0A%1B%5B2J&rate=5 HTTP/1.1\r\n" +
            "Host: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"));
        seeds.put(dir.resolve("pipelined-keep-alive"), http("GET /admission/limits?code=131016 HTTP/1.1\r\nHost: a\r\n\r\n" +
            "DELETE /admission/limits HTTP/1.1\r\nHost: a\r\n\r\nGET /nowhere HTTP/1.0\r\n\r\n"));
        seeds.put(dir.resolve("chunked-body"), http("POST /admission/limits?code=131016 HTTP/1.1\r\nHost: a\r\n" +
            "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        seeds.put(dir.resolve("expect-continue"), http("POST /admission/limits?code=131016 HTTP/1.1\r\nHost: a\r\n" +
            "Expect: 100-continue\r\nContent-Length: 100000\r\n\r\n"));
        seeds.put(dir.resolve("malformed-request-line"), http("GARBAGE\r\n\r\nGET /health/live HTTP/1.1\r\n\r\n"));
        seeds.put(dir.resolve("bad-percent-encoding"), http("GET /admission/limits?code=%zz%C3%28 HTTP/1.1\r\nHost: a\r\n\r\n"));
    }

    private static byte[] http(final String request)
    {
        return concat(new byte[] {0x3F}, request.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hello(final String municipality)
    {
        return message(new HelloEncoder(), hello -> hello.municipalityCode(municipality).heartbeatIntervalMs(1000)
            .connectorName("fuzz"));
    }

    private static byte[] statusQuery(final String municipality)
    {
        return message(new StatusQueryEncoder(), query ->
        {
            query.requestId().hi(0x0123456789ABCDEFL).lo(0x0FEDCBA987654321L);
            query.municipalityCode(municipality);
        });
    }

    private static byte[] heartbeat()
    {
        return message(new HeartbeatEncoder(), beat -> beat.timestampEpochMs(DEADLINE).nodeState(NodeState.ACTIVE));
    }

    private static byte[] cardStatus(final String municipality)
    {
        return message(new SubmitEncoder(), submit ->
        {
            header(submit, municipality, Operation.CARD_STATUS);
            submit.nameKanji("").nameKana("").address("").cardId("123456789012").applicationId("");
            submit.putPinBlock(new byte[0], 0, 0);
        });
    }

    private static byte[] certChange(final String municipality, final String personalNumber, final String address)
    {
        return message(new SubmitEncoder(), submit ->
        {
            header(submit, municipality, Operation.CERT_CHANGE);
            submit.personalNumber(personalNumber);
            submit.nameKanji("山田太郎").nameKana("ヤマダタロウ").address(address).cardId("123456789012").applicationId("");
            submit.putPinBlock(new byte[0], 0, 0);
        });
    }

    private static void header(final SubmitEncoder submit, final String municipality, final Operation operation)
    {
        submit.requestId().hi(0x0123456789ABCDEFL).lo(0x0FEDCBA987654321L);
        submit.municipalityCode(municipality).operation(operation).priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE).attempt(1).deadlineEpochMs(DEADLINE)
            .batchId(SubmitEncoder.batchIdNullValue()).batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue())
            .personalNumber("").residentCode("").dateOfBirth("");
    }

    /** SBE header and body (a frame without its SOFH header), as the reader and the validator take them. */
    private static <T extends MessageEncoderFlyweight> byte[] message(final T encoder, final Consumer<T> fill)
    {
        final ByteBuf frame = Unpooled.buffer();
        try
        {
            final FrameWriter writer = new FrameWriter();
            fill.accept(writer.begin(frame, encoder, 2048));
            writer.finish(encoder);
            return ByteBufUtil.getBytes(frame, SofhFrame.HEADER_LENGTH, frame.readableBytes() - SofhFrame.HEADER_LENGTH);
        }
        finally
        {
            frame.release();
        }
    }

    private static byte[] frame(final byte[] message)
    {
        return concat(sofh(SofhFrame.HEADER_LENGTH + message.length, SofhFrame.SBE_LITTLE_ENDIAN), message);
    }

    private static byte[] sofh(final long length, final int encoding)
    {
        return ByteBuffer.allocate(SofhFrame.HEADER_LENGTH).putInt((int)length).putShort((short)encoding).array();
    }

    private static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final ByteBuffer all = ByteBuffer.allocate(length);
        for (final byte[] part : parts)
        {
            all.put(part);
        }
        return all.array();
    }
}
