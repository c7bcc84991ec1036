package io.chukei.bench.loadgen;

import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.Priority;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Builds valid requests for the mix. Field values come from pools generated once from a seed
 * (personal numbers with correct check digits, 12-digit card ids, dates of birth, ...), so the
 * send loop only picks and does not format strings. Card ids never end in 0000: the simulator
 * refuses those as unknown cards.
 *
 * <p>A {@link SubmitRequest} is immutable and carries neither request id (the SDK assigns one per
 * send) nor an absolute deadline (the timeout is relative), so the requests of a kind are built
 * once, the whole pool at the kind's first request, and sent again and again: the send loop
 * allocates no builder and no request for them (bench/README.md, "Load generator", "What the
 * generator costs per request").
 *
 * <p>With a batch size, BATCH-priority requests of a municipality are declared as consecutive
 * members of batches of that size, each built anew (its batch numbers differ). Used by the send
 * loop only: not thread-safe.
 */
public final class RequestFactory
{
    /** Requests of one kind differ only in which of this many field-value picks they carry. */
    public static final int POOL_SIZE = 4096;
    private static final String NAME_KANJI = "山田 太郎";
    private static final String NAME_KANA = "ヤマダ タロウ";
    private static final String[] ADDRESSES = {
        "東京都千代田区千代田１－１", "大阪府大阪市北区中之島１－３－２０", "北海道札幌市中央区北一条西２－１",
        "福岡県福岡市中央区天神１－８－１", "愛知県名古屋市中区三の丸３－１－１"
    };

    private final SplittableRandom random;
    private final Duration timeout;
    private final int batchSize;
    private final String[] personalNumbers = new String[POOL_SIZE];
    private final String[] cardIds = new String[POOL_SIZE];
    private final String[] residentCodes = new String[POOL_SIZE];
    private final String[] datesOfBirth = new String[POOL_SIZE];
    private final String[] applicationIds = new String[POOL_SIZE];
    private final byte[][] pinBlocks = new byte[POOL_SIZE][];
    /** Built requests by operation, priority and pool pick; a kind's pool at its first request. */
    private final SubmitRequest[][][] built = new SubmitRequest[Operation.values().length][Priority.values().length][];
    private final long[] openBatchId;
    private final int[] openBatchSequence;
    private long nextBatchId;

    /**
     * @param municipalities how many municipality ranks may ask for batches
     * @param batchSize members per batch, 0 for no batches
     * @param firstBatchId batch ids are taken from here upward (make it differ between runs)
     */
    public RequestFactory(final long seed, final Duration timeout, final int municipalities, final int batchSize, final long firstBatchId)
    {
        if (batchSize < 0)
        {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: >= 0)");
        }
        this.random = new SplittableRandom(seed);
        this.timeout = timeout;
        this.batchSize = batchSize;
        this.openBatchId = new long[municipalities];
        this.openBatchSequence = new int[municipalities];
        this.nextBatchId = firstBatchId;
        for (int i = 0; i < POOL_SIZE; i++)
        {
            personalNumbers[i] = PersonalNumbers.next(random);
            cardIds[i] = digits(8) + String.format("%04d", 1 + random.nextInt(9999));
            residentCodes[i] = digits(11);
            datesOfBirth[i] = String.format("%04d%02d%02d", 1930 + random.nextInt(80), 1 + random.nextInt(12), 1 + random.nextInt(28));
            applicationIds[i] = digits(23);
            final byte[] pin = new byte[16];
            random.nextBytes(pin);
            pinBlocks[i] = pin;
        }
    }

    /** A request of the given kind from the municipality of {@code rank}. */
    public SubmitRequest create(final OperationMix.Entry kind, final int rank)
    {
        final int pick = random.nextInt(POOL_SIZE);
        if (batchSize > 0 && kind.priority() == Priority.BATCH)
        {
            return batchMember(kind, rank, pick);
        }
        return pooled(kind, pick);
    }

    /** The pooled request of {@code kind} carrying field-value pick {@code pick} (0 .. {@link #POOL_SIZE} - 1); never a batch member. */
    public SubmitRequest pooled(final OperationMix.Entry kind, final int pick)
    {
        SubmitRequest[] requests = built[kind.operation().ordinal()][kind.priority().ordinal()];
        if (requests == null)
        {
            // The whole pool at the kind's first request (a few milliseconds, in the warm-up): built one by one on
            // first pick, a rare kind's pool would still be filling minutes into the measurement.
            requests = new SubmitRequest[POOL_SIZE];
            for (int i = 0; i < POOL_SIZE; i++)
            {
                requests[i] = builder(kind, i).build();
            }
            built[kind.operation().ordinal()][kind.priority().ordinal()] = requests;
        }
        return requests[pick];
    }

    private SubmitRequest batchMember(final OperationMix.Entry kind, final int rank, final int pick)
    {
        if (openBatchSequence[rank] == 0 || openBatchSequence[rank] == batchSize)
        {
            openBatchId[rank] = nextBatchId++;
            openBatchSequence[rank] = 0;
        }
        openBatchSequence[rank]++;
        return builder(kind, pick).batch(openBatchId[rank], openBatchSequence[rank], batchSize).build();
    }

    private SubmitRequest.Builder builder(final OperationMix.Entry kind, final int pick)
    {
        final Operation operation = kind.operation();
        final SubmitRequest.Builder builder = SubmitRequest.builder(operation).priority(kind.priority()).timeout(timeout);
        switch (operation)
        {
            case PREISSUE_SETUP -> builder.personalNumber(personalNumbers[pick]).residentCode(residentCodes[pick])
                .nameKanji(NAME_KANJI).nameKana(NAME_KANA).address(ADDRESSES[pick % ADDRESSES.length])
                .dateOfBirth(datesOfBirth[pick]).applicationId(applicationIds[pick]);
            case CARD_ISSUE -> builder.personalNumber(personalNumbers[pick]).cardId(cardIds[pick]).pinBlock(pinBlocks[pick]);
            case CERT_CHANGE -> builder.personalNumber(personalNumbers[pick]).cardId(cardIds[pick])
                .address(ADDRESSES[pick % ADDRESSES.length]);
            case CARD_SUSPEND, CARD_STATUS -> builder.cardId(cardIds[pick]);
            default -> throw new IllegalArgumentException("operation: " + operation + " (expected: a real operation)");
        }
        return builder;
    }

    private String digits(final int count)
    {
        final char[] digits = new char[count];
        for (int i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + random.nextInt(10));
        }
        return new String(digits);
    }
}
