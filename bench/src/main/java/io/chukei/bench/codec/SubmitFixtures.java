package io.chukei.bench.codec;

import io.chukei.protocol.codec.FrameWriter;
import io.chukei.protocol.sbe.BooleanType;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;
import io.chukei.protocol.sbe.SubmitEncoder;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Submit frames the benchmarks decode, encode and validate. Every value is valid under
 * the default {@link io.chukei.protocol.validation.ValidationConfig} (japanese-names repertoire, and
 * jisx0213 too: the fixtures use no character only one of them has), and
 * all text is prepared as bytes once, so writing a frame allocates nothing.
 *
 * <p>PREISSUE_SETUP carries every record field a batch pre-issuance needs, with a kanji outside
 * JIS X 0208 (﨑), an ideographic variation sequence (葛 + U+E0100), kana with an ideographic
 * space and a long address: about 280 bytes on the wire, near the 300-byte frames of the design
 * brief's throughput figures. CARD_STATUS is the small interactive
 * query: a card id and no text.
 */
public final class SubmitFixtures
{
    /** Body capacity callers reserve; comfortably above both fixtures. */
    public static final int MAX_BODY_LENGTH = 1024;
    public static final long REQUEST_ID_HI = 0x0190c6a852e47b31L;
    public static final long REQUEST_ID_LO = 0x9a553f0e2c4d5e6fL;

    private static final byte[] PREISSUE_MUNICIPALITY = ascii("422011");
    private static final byte[] STATUS_MUNICIPALITY = ascii("131016");
    private static final byte[] PERSONAL_NUMBER = ascii("123456789018");
    private static final byte[] RESIDENT_CODE = ascii("12345678901");
    private static final byte[] DATE_OF_BIRTH = ascii("19800115");
    private static final byte[] NAME_KANJI = utf8("山﨑　葛󠄀子");
    private static final byte[] NAME_KANA = utf8("ヤマサキ　カツコ");
    private static final byte[] ADDRESS = utf8("北海道札幌市中央区北一条西二丁目１番地１　札幌ハイツ﨑町館１０１号室");
    private static final byte[] CARD_ID = ascii("100000000001");
    private static final byte[] APPLICATION_ID = ascii("12345678901234567890123");
    private static final byte[] EMPTY = new byte[0];

    private SubmitFixtures()
    {
    }

    /** A deadline a day ahead: far enough that no benchmark run crosses it. */
    public static long deadlineADayFromNow()
    {
        return System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1);
    }

    /**
     * Writes a PREISSUE_SETUP Submit frame (SOFH header included) at {@code target}'s writer index.
     *
     * @return the frame length
     */
    public static int writePreissueSetup(
        final FrameWriter writer, final SubmitEncoder encoder, final ByteBuf target, final long deadlineEpochMs)
    {
        final SubmitEncoder submit = writer.begin(target, encoder, MAX_BODY_LENGTH);
        submit.requestId().hi(REQUEST_ID_HI).lo(REQUEST_ID_LO);
        submit.putMunicipalityCode(PREISSUE_MUNICIPALITY, 0)
            .operation(Operation.PREISSUE_SETUP)
            .priority(Priority.BATCH)
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(1)
            .deadlineEpochMs(deadlineEpochMs)
            .batchId(20261130_0001L)
            .batchSequence(17)
            .batchSize(5000)
            .putPersonalNumber(PERSONAL_NUMBER, 0)
            .putResidentCode(RESIDENT_CODE, 0)
            .putDateOfBirth(DATE_OF_BIRTH, 0);
        submit.putNameKanji(NAME_KANJI, 0, NAME_KANJI.length)
            .putNameKana(NAME_KANA, 0, NAME_KANA.length)
            .putAddress(ADDRESS, 0, ADDRESS.length)
            .putCardId(EMPTY, 0, 0)
            .putApplicationId(APPLICATION_ID, 0, APPLICATION_ID.length)
            .putPinBlock(EMPTY, 0, 0);
        return writer.finish(submit);
    }

    /**
     * Writes a CARD_STATUS Submit frame (a card id, no text, not in a batch) at {@code target}'s
     * writer index.
     *
     * @return the frame length
     */
    public static int writeCardStatus(
        final FrameWriter writer, final SubmitEncoder encoder, final ByteBuf target, final long deadlineEpochMs)
    {
        final SubmitEncoder submit = writer.begin(target, encoder, MAX_BODY_LENGTH);
        submit.requestId().hi(REQUEST_ID_HI).lo(REQUEST_ID_LO + 1);
        submit.putMunicipalityCode(STATUS_MUNICIPALITY, 0)
            .operation(Operation.CARD_STATUS)
            .priority(Priority.INTERACTIVE)
            .possibleDuplicate(BooleanType.FALSE)
            .attempt(1)
            .deadlineEpochMs(deadlineEpochMs)
            .batchId(SubmitEncoder.batchIdNullValue())
            .batchSequence(SubmitEncoder.batchSequenceNullValue())
            .batchSize(SubmitEncoder.batchSizeNullValue());
        // Absent fixed char fields are all NUL; the frame's bytes may be reused, so clear them.
        for (int i = 0; i < SubmitEncoder.personalNumberLength(); i++)
        {
            submit.personalNumber(i, (byte)0);
        }
        for (int i = 0; i < SubmitEncoder.residentCodeLength(); i++)
        {
            submit.residentCode(i, (byte)0);
        }
        for (int i = 0; i < SubmitEncoder.dateOfBirthLength(); i++)
        {
            submit.dateOfBirth(i, (byte)0);
        }
        submit.putNameKanji(EMPTY, 0, 0)
            .putNameKana(EMPTY, 0, 0)
            .putAddress(EMPTY, 0, 0)
            .putCardId(CARD_ID, 0, CARD_ID.length)
            .putApplicationId(EMPTY, 0, 0)
            .putPinBlock(EMPTY, 0, 0);
        return writer.finish(submit);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
