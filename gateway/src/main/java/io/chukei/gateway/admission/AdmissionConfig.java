package io.chukei.gateway.admission;

import io.chukei.protocol.codec.MunicipalityCodes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Admission settings: rates per municipality (default, per tier, per code), queue bounds, the
 * priority shares, the upstream concurrency window and connection caps. Immutable; made by
 * {@link #builder()} (checked by {@link Builder#validate()}) or read from properties by
 * {@link AdmissionProperties#parse}. A changed copy ({@link #toBuilder()}) can be applied at run
 * time with {@link MunicipalityRateLimiter#update}.
 */
public final class AdmissionConfig
{
    /** A token bucket: {@code perSecond} tokens refilled per second, at most {@code burst} stored. */
    public record Rate(int perSecond, int burst)
    {
        public Rate
        {
            if (perSecond <= 0)
            {
                throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: > 0)");
            }
            if (burst <= 0)
            {
                throw new IllegalArgumentException("burst: " + burst + " (expected: > 0)");
            }
        }
    }

    /** A named group of municipality codes sharing one rate (each code still has its own bucket). */
    public record Tier(String name, Rate rate, Set<String> codes)
    {
        public Tier
        {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(rate, "rate");
            codes = Collections.unmodifiableSet(new LinkedHashSet<>(codes));
        }
    }

    private final Rate defaultRate;
    private final Map<String, Rate> codeRates;
    private final Map<String, Tier> tiers;
    private final Map<String, Rate> resolved;
    private final int bucketIdleMinutes;
    private final int queuePerMunicipality;
    private final int queueTotal;
    private final int retryAfterMinMs;
    private final int retryAfterMaxMs;
    private final double batchShare;
    private final double batchMinShare;
    private final int upstreamInitialLimit;
    private final int upstreamMinLimit;
    private final int upstreamMaxLimit;
    private final int connectionsPerMunicipality;
    private final int preHelloTotal;
    private final int preHelloPerAddress;
    private final double handshakeLoopShare;
    private final int metricsTopK;

    private AdmissionConfig(final Builder b)
    {
        defaultRate = new Rate(b.defaultRatePerSecond, b.defaultBurst);
        codeRates = Collections.unmodifiableMap(new LinkedHashMap<>(b.codeRates));
        tiers = Collections.unmodifiableMap(new LinkedHashMap<>(b.tiers));
        final Map<String, Rate> table = new LinkedHashMap<>();
        for (final Tier tier : tiers.values())
        {
            for (final String code : tier.codes())
            {
                table.put(code, tier.rate());
            }
        }
        // A code's own override beats its tier's rate.
        table.putAll(codeRates);
        resolved = Collections.unmodifiableMap(table);
        bucketIdleMinutes = b.bucketIdleMinutes;
        queuePerMunicipality = b.queuePerMunicipality;
        queueTotal = b.queueTotal;
        retryAfterMinMs = b.retryAfterMinMs;
        retryAfterMaxMs = b.retryAfterMaxMs;
        batchShare = b.batchShare;
        batchMinShare = b.batchMinShare;
        upstreamInitialLimit = b.upstreamInitialLimit;
        upstreamMinLimit = b.upstreamMinLimit;
        upstreamMaxLimit = b.upstreamMaxLimit;
        connectionsPerMunicipality = b.connectionsPerMunicipality;
        preHelloTotal = b.preHelloTotal;
        preHelloPerAddress = b.preHelloPerAddress;
        handshakeLoopShare = b.handshakeLoopShare;
        metricsTopK = b.metricsTopK;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public static AdmissionConfig defaults()
    {
        return builder().build();
    }

    /** A builder holding these settings, to derive a changed configuration (e.g. an operator's override). */
    public Builder toBuilder()
    {
        final Builder b = new Builder()
            .defaultRate(defaultRate.perSecond(), defaultRate.burst())
            .bucketIdleMinutes(bucketIdleMinutes)
            .queueBounds(queuePerMunicipality, queueTotal)
            .retryAfterBoundsMs(retryAfterMinMs, retryAfterMaxMs)
            .batchShare(batchShare)
            .batchMinShare(batchMinShare)
            .upstreamLimits(upstreamInitialLimit, upstreamMinLimit, upstreamMaxLimit)
            .connectionsPerMunicipality(connectionsPerMunicipality)
            .preHelloBounds(preHelloTotal, preHelloPerAddress)
            .handshakeLoopShare(handshakeLoopShare)
            .metricsTopK(metricsTopK);
        codeRates.forEach((code, rate) -> b.rate(code, rate.perSecond(), rate.burst()));
        tiers.values().forEach(tier -> b.tier(tier.name(), tier.rate().perSecond(), tier.rate().burst(), tier.codes()));
        return b;
    }

    /** The rate for a code: its own override, else its tier's, else the default. */
    public Rate rateFor(final String code)
    {
        return resolved.getOrDefault(code, defaultRate);
    }

    public Rate defaultRate()
    {
        return defaultRate;
    }

    public Map<String, Rate> codeRates()
    {
        return codeRates;
    }

    public Map<String, Tier> tiers()
    {
        return tiers;
    }

    /** Codes with a rate other than the default (tier members and per-code overrides), each resolved. */
    Map<String, Rate> overrides()
    {
        return resolved;
    }

    public int bucketIdleMinutes()
    {
        return bucketIdleMinutes;
    }

    public int queuePerMunicipality()
    {
        return queuePerMunicipality;
    }

    public int queueTotal()
    {
        return queueTotal;
    }

    public int retryAfterMinMs()
    {
        return retryAfterMinMs;
    }

    public int retryAfterMaxMs()
    {
        return retryAfterMaxMs;
    }

    public double batchShare()
    {
        return batchShare;
    }

    public double batchMinShare()
    {
        return batchMinShare;
    }

    public int upstreamInitialLimit()
    {
        return upstreamInitialLimit;
    }

    public int upstreamMinLimit()
    {
        return upstreamMinLimit;
    }

    public int upstreamMaxLimit()
    {
        return upstreamMaxLimit;
    }

    public int connectionsPerMunicipality()
    {
        return connectionsPerMunicipality;
    }

    /** Connections the node may hold between accept and Hello, from all addresses together. */
    public int preHelloTotal()
    {
        return preHelloTotal;
    }

    /** Connections one source address (an IPv6 /64) may hold between accept and Hello. */
    public int preHelloPerAddress()
    {
        return preHelloPerAddress;
    }

    /** The share of each connector event loop's time TLS handshakes may take; the steps over it wait for later. */
    public double handshakeLoopShare()
    {
        return handshakeLoopShare;
    }

    public int metricsTopK()
    {
        return metricsTopK;
    }

    @Override
    public String toString()
    {
        return "AdmissionConfig{default=" + defaultRate + ", codes=" + codeRates + ", tiers=" + tiers.values() +
            ", bucketIdleMinutes=" + bucketIdleMinutes + ", queue=" + queuePerMunicipality + "/" + queueTotal +
            ", retryAfterMs=" + retryAfterMinMs + ".." + retryAfterMaxMs + ", batchShare=" + batchShare +
            ", batchMinShare=" + batchMinShare + ", upstream=" + upstreamInitialLimit + " [" + upstreamMinLimit + ".." +
            upstreamMaxLimit + "], connections=" + connectionsPerMunicipality + ", preHello=" + preHelloTotal + "/" + preHelloPerAddress + " per address" +
            ", handshakeLoopShare=" + handshakeLoopShare +
            ", metricsTopK=" + metricsTopK + "}";
    }

    /** Defaults plus setters; {@link #build()} checks every field and the fields against each other. */
    public static final class Builder
    {
        private int defaultRatePerSecond = 20;
        private int defaultBurst = 40;
        private final Map<String, Rate> codeRates = new LinkedHashMap<>();
        private final Map<String, Tier> tiers = new LinkedHashMap<>();
        private int bucketIdleMinutes = 10;
        private int queuePerMunicipality = 200;
        private int queueTotal = 20_000;
        private int retryAfterMinMs = 50;
        private int retryAfterMaxMs = 5_000;
        private double batchShare = 0.3;
        private double batchMinShare = 0.1;
        private int upstreamInitialLimit = 20;
        private int upstreamMinLimit = 2;
        private int upstreamMaxLimit = 1000;
        private int connectionsPerMunicipality = 8;
        // 512 handshakes are ~1 s of CPU on a 2-core box (~2 ms each, bench/README.md, "Pre-Hello admission"), within the
        // 2 s deadline; 32 per address lets a vendor's NAT reconnect many municipalities at once while idle sockets from
        // one host stay harmless.
        private int preHelloTotal = 512;
        private int preHelloPerAddress = 32;
        // Half of each 20 ms window: a storm's handshakes delay a loop's other work by ~10 ms, far inside the health
        // check's 500 ms lag bound, where 256 made ready at once (a storm filling the 512) took one turn past it
        // (bench/README.md, "Reconnect storm"); at ~2 ms each that is still ~250 handshakes a second per loop.
        private double handshakeLoopShare = 0.5;
        private int metricsTopK = 20;

        private Builder()
        {
        }

        public Builder defaultRate(final int perSecond, final int burst)
        {
            defaultRatePerSecond = perSecond;
            defaultBurst = burst;
            return this;
        }

        /** Overrides one municipality's rate; beats its tier's. */
        public Builder rate(final String code, final int perSecond, final int burst)
        {
            requireCode("code", code);
            codeRates.put(code, new Rate(perSecond, burst));
            return this;
        }

        /** Removes a municipality's own override (it falls back to its tier or the default). */
        public Builder clearRate(final String code)
        {
            codeRates.remove(code);
            return this;
        }

        /** A named group of codes with its own rate; replaces a tier of the same name. */
        public Builder tier(final String name, final int perSecond, final int burst, final Set<String> codes)
        {
            Objects.requireNonNull(name, "name");
            for (final String code : codes)
            {
                requireCode("tier " + name, code);
            }
            tiers.put(name, new Tier(name, new Rate(perSecond, burst), codes));
            return this;
        }

        public Builder tier(final String name, final int perSecond, final int burst, final String... codes)
        {
            return tier(name, perSecond, burst, new LinkedHashSet<>(List.of(codes)));
        }

        public Builder removeTier(final String name)
        {
            tiers.remove(name);
            return this;
        }

        /** A bucket unused this long, and full again, is released. */
        public Builder bucketIdleMinutes(final int minutes)
        {
            bucketIdleMinutes = minutes;
            return this;
        }

        public Builder queueBounds(final int perMunicipality, final int total)
        {
            queuePerMunicipality = perMunicipality;
            queueTotal = total;
            return this;
        }

        public Builder retryAfterBoundsMs(final int minMs, final int maxMs)
        {
            retryAfterMinMs = minMs;
            retryAfterMaxMs = maxMs;
            return this;
        }

        /** The most of the upstream window batch work may hold, as a fraction of the current limit. */
        public Builder batchShare(final double share)
        {
            batchShare = share;
            return this;
        }

        /** The least share of dispatches batch work gets while interactive work is also waiting. */
        public Builder batchMinShare(final double share)
        {
            batchMinShare = share;
            return this;
        }

        public Builder upstreamLimits(final int initial, final int min, final int max)
        {
            upstreamInitialLimit = initial;
            upstreamMinLimit = min;
            upstreamMaxLimit = max;
            return this;
        }

        public Builder connectionsPerMunicipality(final int connections)
        {
            connectionsPerMunicipality = connections;
            return this;
        }

        /** Connections between accept and Hello: in total, and from one source address. */
        public Builder preHelloBounds(final int total, final int perAddress)
        {
            preHelloTotal = total;
            preHelloPerAddress = perAddress;
            return this;
        }

        public Builder handshakeLoopShare(final double share)
        {
            handshakeLoopShare = share;
            return this;
        }

        public Builder metricsTopK(final int k)
        {
            metricsTopK = k;
            return this;
        }

        /** Throws {@link IllegalArgumentException} naming the first field that is wrong and what was expected. */
        public Builder validate()
        {
            positive("defaultRatePerSecond", defaultRatePerSecond);
            positive("defaultBurst", defaultBurst);
            range("bucketIdleMinutes", bucketIdleMinutes, 1, 1440);
            positive("queuePerMunicipality", queuePerMunicipality);
            if (queueTotal < queuePerMunicipality)
            {
                throw new IllegalArgumentException("queueTotal: " + queueTotal +
                    " (expected: >= queuePerMunicipality, " + queuePerMunicipality + ")");
            }
            positive("retryAfterMinMs", retryAfterMinMs);
            if (retryAfterMaxMs < retryAfterMinMs)
            {
                throw new IllegalArgumentException("retryAfterMaxMs: " + retryAfterMaxMs +
                    " (expected: >= retryAfterMinMs, " + retryAfterMinMs + ")");
            }
            if (!(batchShare > 0 && batchShare <= 1))
            {
                throw new IllegalArgumentException("batchShare: " + batchShare + " (expected: > 0 and <= 1)");
            }
            if (!(batchMinShare >= 0 && batchMinShare < 1))
            {
                throw new IllegalArgumentException("batchMinShare: " + batchMinShare + " (expected: >= 0 and < 1)");
            }
            positive("upstreamMinLimit", upstreamMinLimit);
            if (upstreamMaxLimit < upstreamMinLimit)
            {
                throw new IllegalArgumentException("upstreamMaxLimit: " + upstreamMaxLimit +
                    " (expected: >= upstreamMinLimit, " + upstreamMinLimit + ")");
            }
            if (upstreamInitialLimit < upstreamMinLimit || upstreamInitialLimit > upstreamMaxLimit)
            {
                throw new IllegalArgumentException("upstreamInitialLimit: " + upstreamInitialLimit +
                    " (expected: " + upstreamMinLimit + ".." + upstreamMaxLimit + ", between upstreamMinLimit and upstreamMaxLimit)");
            }
            positive("connectionsPerMunicipality", connectionsPerMunicipality);
            positive("preHelloTotal", preHelloTotal);
            positive("preHelloPerAddress", preHelloPerAddress);
            if (preHelloPerAddress > preHelloTotal)
            {
                throw new IllegalArgumentException("preHelloPerAddress: " + preHelloPerAddress +
                    " (expected: <= preHelloTotal, " + preHelloTotal + ")");
            }
            if (!(handshakeLoopShare > 0 && handshakeLoopShare <= 1))
            {
                throw new IllegalArgumentException("handshakeLoopShare: " + handshakeLoopShare + " (expected: > 0 and <= 1)");
            }
            range("metricsTopK", metricsTopK, 1, 1000);
            final Map<String, String> tierOfCode = new LinkedHashMap<>();
            for (final Tier tier : tiers.values())
            {
                if (tier.codes().isEmpty())
                {
                    throw new IllegalArgumentException("tier " + tier.name() + ": no codes (expected: at least one)");
                }
                for (final String code : tier.codes())
                {
                    final String other = tierOfCode.putIfAbsent(code, tier.name());
                    if (other != null)
                    {
                        throw new IllegalArgumentException("tier " + tier.name() + ": code " + code +
                            " is already in tier " + other + " (expected: each code in at most one tier)");
                    }
                }
            }
            return this;
        }

        public AdmissionConfig build()
        {
            validate();
            return new AdmissionConfig(this);
        }

        private static void requireCode(final String what, final String code)
        {
            if (!MunicipalityCodes.isValid(code))
            {
                throw new IllegalArgumentException(what + ": '" + code + "' (expected: a 6-digit municipality code)");
            }
        }

        private static void positive(final String name, final int value)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
        }

        private static void range(final String name, final int value, final int min, final int max)
        {
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + ".." + max + ")");
            }
        }
    }
}
