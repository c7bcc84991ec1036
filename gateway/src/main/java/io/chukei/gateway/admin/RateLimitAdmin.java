package io.chukei.gateway.admin;

import io.chukei.gateway.admission.AdmissionConfig;
import io.chukei.gateway.admission.MunicipalityRateLimiter;
import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.pki.MunicipalityUri;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /admission/limits}: read and change per-municipality rate limits at run time. Every
 * change is audited in the journal (who: the operator's certificate identity; what: old and new limits).
 *
 * <pre>
 * GET  /admission/limits                                     default, overrides and tiers (JSON)
 * POST /admission/limits?code=131016&amp;rate=100&amp;burst=200    override one municipality
 * POST /admission/limits?code=131016&amp;clear=true              remove its override
 * POST /admission/limits?default=true&amp;rate=30&amp;burst=60      change the default
 * </pre>
 */
public final class RateLimitAdmin
{
    private final MunicipalityRateLimiter limiter;
    private final ActionAudit audit;

    public RateLimitAdmin(final MunicipalityRateLimiter limiter, final ActionAudit audit)
    {
        this.limiter = limiter;
        this.audit = audit;
    }

    public AdminRoutes.Response handle(final AdminCaller caller, final HttpMethod method, final Map<String, List<String>> query)
    {
        if (HttpMethod.GET.equals(method))
        {
            return AdminRoutes.Response.json(HttpResponseStatus.OK, json(limiter.config()));
        }
        if (!HttpMethod.POST.equals(method))
        {
            return AdminRoutes.Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                "method: " + method + " (expected: GET or POST)\n");
        }
        synchronized (this)
        {
            final AdmissionConfig before = limiter.config();
            final AdmissionConfig.Builder next = before.toBuilder();
            final String change;
            if ("true".equals(first(query, "default")))
            {
                final int rate = positive(query, "rate");
                final int burst = positive(query, "burst");
                next.defaultRate(rate, burst);
                change = "default " + describe(before.defaultRate()) + " -> rate=" + rate + " burst=" + burst;
            }
            else
            {
                final String code = first(query, "code");
                if (code == null)
                {
                    throw new IllegalArgumentException("code: missing (expected: code=DDDDDD, or default=true)");
                }
                if (!MunicipalityUri.isSixDigits(code))
                {
                    // Checked before a clear too: the code is written into the audit entry.
                    throw new IllegalArgumentException("code: '" + code + "' (expected: a 6-digit municipality code)");
                }
                if ("true".equals(first(query, "clear")))
                {
                    next.clearRate(code);
                    change = "municipality " + code + " override " + describe(before.codeRates().get(code)) + " cleared";
                }
                else
                {
                    if (!io.chukei.gateway.tls.MunicipalityCodes.isValid(code))
                    {
                        // No connector can hold a code with a wrong check digit: a limit for it is a typo of another.
                        throw new IllegalArgumentException("code: '" + code + "' (expected: a municipality code whose " +
                            "last digit is the JIS X 0402 check digit of the first five)");
                    }
                    final int rate = positive(query, "rate");
                    final int burst = positive(query, "burst");
                    next.rate(code, rate, burst);
                    change = "municipality " + code + " " + describe(before.rateFor(code)) + " -> rate=" + rate +
                        " burst=" + burst;
                }
            }
            limiter.update(next.build());
            final AdmissionConfig now = limiter.config();
            return AdminRoutes.Response.when(audit.record(caller, "rate-limit", change),
                warning -> AdminRoutes.Response.json(HttpResponseStatus.OK, json(now, warning)));
        }
    }

    /** A limit as the audit entry words it: {@code rate=20 burst=40}, or {@code none}. */
    private static String describe(final AdmissionConfig.Rate rate)
    {
        return rate == null ? "none" : "rate=" + rate.perSecond() + " burst=" + rate.burst();
    }

    private static String json(final AdmissionConfig config)
    {
        return json(config, null);
    }

    /** The limits, and {@code auditWarning} when the change's audit entry did not, or may not, reach the disk. */
    private static String json(final AdmissionConfig config, final String auditWarning)
    {
        final StringBuilder out = new StringBuilder(256);
        out.append("{\"default\":").append(rate(config.defaultRate())).append(",\"municipalities\":{");
        final Map<String, AdmissionConfig.Rate> codes = new TreeMap<>(config.codeRates());
        String separator = "";
        for (final Map.Entry<String, AdmissionConfig.Rate> entry : codes.entrySet())
        {
            out.append(separator).append('"').append(entry.getKey()).append("\":").append(rate(entry.getValue()));
            separator = ",";
        }
        out.append("},\"tiers\":{");
        separator = "";
        for (final AdmissionConfig.Tier tier : new TreeMap<>(config.tiers()).values())
        {
            out.append(separator).append('"').append(tier.name()).append("\":{\"rate\":").append(rate(tier.rate()))
                .append(",\"codes\":").append(tier.codes().size()).append('}');
            separator = ",";
        }
        out.append('}');
        if (auditWarning != null)
        {
            out.append(",\"auditWarning\":").append(Json.write(auditWarning).trim());
        }
        return out.append("}\n").toString();
    }

    private static String rate(final AdmissionConfig.Rate rate)
    {
        return "{\"perSecond\":" + rate.perSecond() + ",\"burst\":" + rate.burst() + "}";
    }

    private static String first(final Map<String, List<String>> query, final String key)
    {
        final List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int positive(final Map<String, List<String>> query, final String key)
    {
        final String text = first(query, key);
        try
        {
            final int value = Integer.parseInt(text);
            if (value < 1)
            {
                throw new IllegalArgumentException(key + ": " + value + " (expected: >= 1)");
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": " + text + " (expected: a whole number >= 1)", ex);
        }
    }
}
