package io.chukei.bench.admission;

import io.chukei.bench.loadgen.OperationMix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a noisy-neighbour run, worked out before anything starts: which municipality
 * ranks play which part, the three scenarios' streams, and the node settings that give the
 * upstream a limited capacity and every municipality its rate limit.
 *
 * <pre>
 *   ranks:  0 .. n-1        normal municipalities, each at normalRate (A, B and C)
 *           n               the noisy municipality, at noisyRate (B only)
 *           n+1 .. n+k      batch flooders, PREISSUE_SETUP at BATCH, rate limits raised (C only)
 *
 *   upstream capacity = simulator concurrency x 1000 / serviceTimeMs   requests per second
 * </pre>
 *
 * @param normalMunicipalities n
 * @param normalRatePerMunicipality each normal municipality's rate, requests/s
 * @param rateLimit {@code admission.rate.default}: every municipality's limit, requests/s
 * @param burst {@code admission.burst.default}
 * @param noisyRate the noisy municipality's rate, requests/s
 * @param simulatorConcurrency requests the simulator serves at once (the embedded one's is fixed)
 * @param serviceTimeMs the simulator's service time per request
 * @param batchFlooders k
 * @param batchFloodRate the flooders' rate together, requests/s
 * @param normalMix operations of normal and noisy traffic
 * @param scenarioNames which of A, B, C to run, in order
 */
record NoisyNeighbourPlan(
    int normalMunicipalities,
    double normalRatePerMunicipality,
    int rateLimit,
    int burst,
    double noisyRate,
    int simulatorConcurrency,
    long serviceTimeMs,
    int batchFlooders,
    double batchFloodRate,
    OperationMix normalMix,
    List<String> scenarioNames)
{
    static final String QUIET = "A";
    static final String NOISY = "B";
    static final String BATCH_FLOOD = "C";
    static final List<String> ALL_SCENARIOS = List.of(QUIET, NOISY, BATCH_FLOOD);
    /** Interactive operations only, so scenario C's interactive/batch split is by group. */
    static final String DEFAULT_NORMAL_MIX = "CARD_STATUS=60,CARD_ISSUE=20,CERT_CHANGE=10,CARD_SUSPEND=10";
    static final String BATCH_MIX = "PREISSUE_SETUP:BATCH=1";
    /** Default upstream capacity over the normal municipalities' total rate: busy (80%) but not saturated in A. */
    static final double DEFAULT_CAPACITY_HEADROOM = 1.25;
    /** A flooder's raised limit is this many times its share of the flood, so the relay's rate limit is not what stops it. */
    static final int FLOOD_LIMIT_FACTOR = 2;

    NoisyNeighbourPlan
    {
        positive("normalMunicipalities", normalMunicipalities);
        positive("normalRatePerMunicipality", normalRatePerMunicipality);
        positive("rateLimit", rateLimit);
        positive("burst", burst);
        positive("noisyRate", noisyRate);
        positive("simulatorConcurrency", simulatorConcurrency);
        positive("batchFlooders", batchFlooders);
        positive("batchFloodRate", batchFloodRate);
        if (serviceTimeMs < 0)
        {
            throw new IllegalArgumentException("serviceTimeMs: " + serviceTimeMs + " (expected: >= 0)");
        }
        scenarioNames = List.copyOf(scenarioNames);
        if (scenarioNames.isEmpty() || !ALL_SCENARIOS.containsAll(scenarioNames))
        {
            throw new IllegalArgumentException("scenarios: " + scenarioNames + " (expected: some of " + ALL_SCENARIOS + ")");
        }
    }

    /** The service time that gives {@code capacityPerSecond} with {@code concurrency} requests in service: concurrency x 1000 / capacity, at least 1 ms. */
    static long serviceTimeMsFor(final double capacityPerSecond, final int concurrency)
    {
        positive("capacityPerSecond", capacityPerSecond);
        positive("concurrency", concurrency);
        return Math.max(1, Math.round(concurrency * 1000.0 / capacityPerSecond));
    }

    /** Requests per second the simulator completes when saturated; infinite for a zero service time. */
    double upstreamCapacityPerSecond()
    {
        return serviceTimeMs == 0 ? Double.POSITIVE_INFINITY : simulatorConcurrency * 1000.0 / serviceTimeMs;
    }

    double normalRate()
    {
        return normalMunicipalities * normalRatePerMunicipality;
    }

    /** Normal, noisy and flooding municipalities together: the number of connections. */
    int municipalityCount()
    {
        return normalMunicipalities + 1 + batchFlooders;
    }

    int noisyRank()
    {
        return normalMunicipalities;
    }

    int firstFlooderRank()
    {
        return normalMunicipalities + 1;
    }

    /** Each flooder's raised rate limit: {@link #FLOOD_LIMIT_FACTOR} times its share, and never below the default. */
    int flooderRateLimit()
    {
        return Math.max(rateLimit, (int)Math.ceil(FLOOD_LIMIT_FACTOR * batchFloodRate / batchFlooders));
    }

    List<Scenario> scenarios()
    {
        final Stream normal = new Stream(TrafficGroup.NORMAL, 0, normalMunicipalities, normalRate(), normalMix);
        final List<Scenario> scenarios = new ArrayList<>();
        for (final String name : scenarioNames)
        {
            scenarios.add(switch (name)
            {
                case QUIET -> new Scenario(QUIET, "quiet", List.of(normal));
                case NOISY -> new Scenario(NOISY, "noisy", List.of(normal,
                    new Stream(TrafficGroup.NOISY, noisyRank(), 1, noisyRate, normalMix)));
                default -> new Scenario(BATCH_FLOOD, "batch flood", List.of(normal,
                    new Stream(TrafficGroup.BATCH_FLOOD, firstFlooderRank(), batchFlooders, batchFloodRate, OperationMix.parse(BATCH_MIX))));
            });
        }
        return scenarios;
    }

    /**
     * The embedded node's settings: the default rate limit for everyone, raised limits for the
     * flooders (by code, from {@code codesByRank}), the simulator's service time, and the upstream
     * window's ceiling at the simulator's concurrency — what an operator sets to card management's
     * contracted concurrency, so batch cannot queue interactive work inside card management.
     */
    Map<String, String> nodeSettings(final List<String> codesByRank)
    {
        if (codesByRank.size() < municipalityCount())
        {
            throw new IllegalArgumentException("codesByRank: " + codesByRank.size() + " codes (expected: >= " + municipalityCount() + ")");
        }
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("admission.rate.default", String.valueOf(rateLimit));
        settings.put("admission.burst.default", String.valueOf(burst));
        for (int rank = firstFlooderRank(); rank < firstFlooderRank() + batchFlooders; rank++)
        {
            settings.put("admission.rate." + codesByRank.get(rank), String.valueOf(flooderRateLimit()));
            settings.put("admission.burst." + codesByRank.get(rank), String.valueOf(Math.max(burst, flooderRateLimit())));
        }
        settings.put("cardsim.serviceTimeMs", String.valueOf(serviceTimeMs));
        settings.put("admission.upstream.maxLimit", String.valueOf(simulatorConcurrency));
        settings.put("admission.upstream.initialLimit", String.valueOf(Math.min(20, simulatorConcurrency)));
        return settings;
    }

    private static void positive(final String name, final int value)
    {
        if (value < 1)
        {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
        }
    }

    private static void positive(final String name, final double value)
    {
        if (!(value > 0) || Double.isInfinite(value))
        {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0 and finite)");
        }
    }
}
