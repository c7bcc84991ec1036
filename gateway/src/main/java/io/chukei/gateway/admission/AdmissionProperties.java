package io.chukei.gateway.admission;

import io.chukei.protocol.codec.MunicipalityCodes;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads {@link AdmissionConfig} from the {@code admission.} keys of a properties file; other keys
 * are left alone. Every error names the key, the value and what was expected; an unknown
 * {@code admission.} key is an error, so a misspelling never silently falls back to a default.
 *
 * <pre>
 * admission.rate.default=20              admission.burst.default=40
 * admission.rate.131016=100              admission.burst.131016=200
 * admission.tier.large=131016,271004     admission.rate.tier.large=200   admission.burst.tier.large=400
 * admission.bucket.idleMinutes=10
 * admission.queue.perMunicipality=200    admission.queue.total=20000
 * admission.queue.retryAfterMinMs=50     admission.queue.retryAfterMaxMs=5000
 * admission.batchShare=0.3               admission.batchMinShare=0.1
 * admission.upstream.initialLimit=20     admission.upstream.minLimit=2   admission.upstream.maxLimit=1000
 * admission.connections.perMunicipality=8
 * admission.connections.preHello=512       admission.connections.preHelloPerAddress=32
 * admission.connections.handshakeLoopShare=0.5
 * admission.metrics.topK=20
 * </pre>
 *
 * A rate override without its burst key gets the default's burst-to-rate ratio (rounded up).
 */
public final class AdmissionProperties
{
    public static final String PREFIX = "admission.";

    private static final Pattern TIER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final List<String> FIXED_KEYS = List.of(
        "admission.rate.default", "admission.burst.default", "admission.bucket.idleMinutes",
        "admission.queue.perMunicipality", "admission.queue.total", "admission.queue.retryAfterMinMs",
        "admission.queue.retryAfterMaxMs", "admission.batchShare", "admission.batchMinShare",
        "admission.upstream.initialLimit", "admission.upstream.minLimit", "admission.upstream.maxLimit",
        "admission.connections.perMunicipality", "admission.connections.preHello", "admission.connections.preHelloPerAddress",
        "admission.connections.handshakeLoopShare", "admission.metrics.topK");
    /** A key that was renamed: it names its successor rather than being reported as merely unknown. */
    private static final String RENAMED_HANDSHAKING = "admission.connections.handshaking";
    private static final String PATTERN_KEYS =
        "admission.rate.<code>, admission.burst.<code>, admission.tier.<name>, admission.rate.tier.<name>, " +
        "admission.burst.tier.<name>";

    private final Properties properties;

    private AdmissionProperties(final Properties properties)
    {
        this.properties = properties;
    }

    /** The {@code admission.} keys of {@code properties} over the defaults; see the class comment for the keys. */
    public static AdmissionConfig parse(final Properties properties)
    {
        return new AdmissionProperties(properties).parse();
    }

    /** Every fixed key this parser knows (pattern keys such as {@code admission.rate.<code>} aside). */
    public static List<String> fixedKeys()
    {
        return FIXED_KEYS;
    }

    private AdmissionConfig parse()
    {
        rejectUnknownKeys();
        final AdmissionConfig defaults = AdmissionConfig.defaults();
        final AdmissionConfig.Builder b = AdmissionConfig.builder();

        final int defaultRate = integer("admission.rate.default", defaults.defaultRate().perSecond(), 1, 1_000_000);
        final int defaultBurst = integer("admission.burst.default", defaults.defaultRate().burst(), 1, 100_000_000);
        b.defaultRate(defaultRate, defaultBurst);

        final Map<String, Set<String>> tierCodes = new LinkedHashMap<>();
        final Map<String, String> tierOfCode = new LinkedHashMap<>();
        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            if (key.startsWith("admission.tier."))
            {
                final String name = tierName(key, key.substring("admission.tier.".length()));
                final Set<String> codes = codeList(key);
                for (final String code : codes)
                {
                    final String other = tierOfCode.putIfAbsent(code, name);
                    if (other != null)
                    {
                        throw new IllegalArgumentException(key + ": code " + code + " is already in admission.tier." + other +
                            " (expected: each code in at most one tier)");
                    }
                }
                tierCodes.put(name, codes);
            }
        }
        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            if (key.startsWith("admission.rate.tier.") || key.startsWith("admission.burst.tier."))
            {
                final String name = tierName(key, key.substring(key.indexOf(".tier.") + ".tier.".length()));
                if (!tierCodes.containsKey(name))
                {
                    throw new IllegalArgumentException(key + ": no tier '" + name + "' (expected: admission.tier." + name +
                        "=code[,code...])");
                }
            }
        }
        for (final Map.Entry<String, Set<String>> tier : tierCodes.entrySet())
        {
            final String rateKey = "admission.rate.tier." + tier.getKey();
            if (properties.getProperty(rateKey) == null)
            {
                throw new IllegalArgumentException("admission.tier." + tier.getKey() + ": no rate (expected: " + rateKey + "=<requests per second>)");
            }
            final int[] rate = rateAndBurst(rateKey, "admission.burst.tier." + tier.getKey(), defaultRate, defaultBurst);
            b.tier(tier.getKey(), rate[0], rate[1], tier.getValue());
        }

        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            final boolean rateKey = key.startsWith("admission.rate.") && !isFixedOrTier(key);
            final boolean burstKey = key.startsWith("admission.burst.") && !isFixedOrTier(key);
            if (!rateKey && !burstKey)
            {
                continue;
            }
            final String code = key.substring(key.indexOf('.', PREFIX.length()) + 1);
            if (!MunicipalityCodes.isValid(code))
            {
                throw new IllegalArgumentException(key + ": '" + code + "' is not a municipality code (expected: " +
                    (rateKey ? "admission.rate" : "admission.burst") + ".<6 digits>, .default or .tier.<name>)");
            }
            if (burstKey && properties.getProperty("admission.rate." + code) == null)
            {
                throw new IllegalArgumentException(key + ": set without admission.rate." + code +
                    " (expected: both, or the rate alone)");
            }
            if (rateKey)
            {
                final int[] rate = rateAndBurst(key, "admission.burst." + code, defaultRate, defaultBurst);
                b.rate(code, rate[0], rate[1]);
            }
        }

        b.bucketIdleMinutes(integer("admission.bucket.idleMinutes", defaults.bucketIdleMinutes(), 1, 1440));
        final int perMunicipality = integer("admission.queue.perMunicipality", defaults.queuePerMunicipality(), 1, 10_000_000);
        final int total = integer("admission.queue.total", Math.max(defaults.queueTotal(), perMunicipality), 1, 100_000_000);
        if (total < perMunicipality)
        {
            throw new IllegalArgumentException("admission.queue.total: " + total +
                " (expected: >= admission.queue.perMunicipality, " + perMunicipality + ")");
        }
        b.queueBounds(perMunicipality, total);
        final int minMs = integer("admission.queue.retryAfterMinMs", defaults.retryAfterMinMs(), 1, 3_600_000);
        final int maxMs = integer("admission.queue.retryAfterMaxMs", Math.max(defaults.retryAfterMaxMs(), minMs), 1, 3_600_000);
        if (maxMs < minMs)
        {
            throw new IllegalArgumentException("admission.queue.retryAfterMaxMs: " + maxMs +
                " (expected: >= admission.queue.retryAfterMinMs, " + minMs + ")");
        }
        b.retryAfterBoundsMs(minMs, maxMs);
        b.batchShare(fraction("admission.batchShare", defaults.batchShare(), false, true));
        b.batchMinShare(fraction("admission.batchMinShare", defaults.batchMinShare(), true, false));

        final int minLimit = integer("admission.upstream.minLimit", defaults.upstreamMinLimit(), 1, 1_000_000);
        final int maxLimit = integer("admission.upstream.maxLimit", Math.max(defaults.upstreamMaxLimit(), minLimit), 1, 1_000_000);
        if (maxLimit < minLimit)
        {
            throw new IllegalArgumentException("admission.upstream.maxLimit: " + maxLimit +
                " (expected: >= admission.upstream.minLimit, " + minLimit + ")");
        }
        final int initial = integer("admission.upstream.initialLimit",
            Math.min(maxLimit, Math.max(minLimit, defaults.upstreamInitialLimit())), minLimit, maxLimit);
        b.upstreamLimits(initial, minLimit, maxLimit);

        b.connectionsPerMunicipality(integer("admission.connections.perMunicipality", defaults.connectionsPerMunicipality(), 1, 100_000));
        final int preHello = integer("admission.connections.preHello", defaults.preHelloTotal(), 1, 1_000_000);
        final int preHelloPerAddress = integer("admission.connections.preHelloPerAddress",
            Math.min(preHello, defaults.preHelloPerAddress()), 1, 1_000_000);
        if (preHelloPerAddress > preHello)
        {
            throw new IllegalArgumentException("admission.connections.preHelloPerAddress: " + preHelloPerAddress +
                " (expected: <= admission.connections.preHello, " + preHello + ")");
        }
        b.preHelloBounds(preHello, preHelloPerAddress);
        b.handshakeLoopShare(fraction("admission.connections.handshakeLoopShare", defaults.handshakeLoopShare(), false, true));
        b.metricsTopK(integer("admission.metrics.topK", defaults.metricsTopK(), 1, 1000));
        return b.build();
    }

    private void rejectUnknownKeys()
    {
        if (properties.getProperty(RENAMED_HANDSHAKING) != null)
        {
            throw new IllegalArgumentException(RENAMED_HANDSHAKING + ": renamed (expected: admission.connections.preHello, " +
                "which bounds every connection not yet past Hello, and admission.connections.preHelloPerAddress)");
        }
        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            if (!key.startsWith(PREFIX) || FIXED_KEYS.contains(key) || key.startsWith("admission.tier.") ||
                key.startsWith("admission.rate.") || key.startsWith("admission.burst."))
            {
                continue;
            }
            throw new IllegalArgumentException(key + ": unknown admission key (expected one of: " + FIXED_KEYS + ", " +
                PATTERN_KEYS + ")");
        }
    }

    private static boolean isFixedOrTier(final String key)
    {
        return FIXED_KEYS.contains(key) || key.startsWith("admission.rate.tier.") || key.startsWith("admission.burst.tier.");
    }

    /** {rate, burst}; a missing burst keeps the default's burst-to-rate ratio. */
    private int[] rateAndBurst(final String rateKey, final String burstKey, final int defaultRate, final int defaultBurst)
    {
        final int rate = integer(rateKey, defaultRate, 1, 1_000_000);
        final long proportional = ((long)rate * defaultBurst + defaultRate - 1) / defaultRate;
        final int burst = integer(burstKey, (int)Math.min(100_000_000, proportional), 1, 100_000_000);
        return new int[] {rate, burst};
    }

    private static String tierName(final String key, final String name)
    {
        if (!TIER_NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException(key + ": tier name '" + name + "' (expected: 1-32 letters, digits, '_' or '-')");
        }
        return name;
    }

    private Set<String> codeList(final String key)
    {
        final String text = properties.getProperty(key).trim();
        final Set<String> codes = new LinkedHashSet<>();
        for (final String part : text.split(","))
        {
            final String code = part.trim();
            if (code.isEmpty())
            {
                continue;
            }
            if (!MunicipalityCodes.isValid(code))
            {
                throw new IllegalArgumentException(key + ": '" + code + "' (expected: 6-digit municipality codes separated by commas)");
            }
            codes.add(code);
        }
        if (codes.isEmpty())
        {
            throw new IllegalArgumentException(key + ": '" + text + "' (expected: at least one 6-digit municipality code)");
        }
        return codes;
    }

    private int integer(final String key, final int defaultValue, final int min, final int max)
    {
        final String text = properties.getProperty(key);
        if (text == null)
        {
            return defaultValue;
        }
        final int value;
        try
        {
            value = Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + text.trim() + "' (expected: an integer)", ex);
        }
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(key + ": " + value + " (expected: " + min + ".." + max + ")");
        }
        return value;
    }

    private double fraction(final String key, final double defaultValue, final boolean zeroAllowed, final boolean oneAllowed)
    {
        final String text = properties.getProperty(key);
        if (text == null)
        {
            return defaultValue;
        }
        final double value;
        try
        {
            value = Double.parseDouble(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + text.trim() + "' (expected: a decimal fraction)", ex);
        }
        final boolean aboveMin = zeroAllowed ? value >= 0 : value > 0;
        final boolean belowMax = oneAllowed ? value <= 1 : value < 1;
        if (!(aboveMin && belowMax))
        {
            throw new IllegalArgumentException(key + ": " + text.trim() + " (expected: " + (zeroAllowed ? ">= 0" : "> 0") +
                " and " + (oneAllowed ? "<= 1" : "< 1") + ")");
        }
        return value;
    }
}
