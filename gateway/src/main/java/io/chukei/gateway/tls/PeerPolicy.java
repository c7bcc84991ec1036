package io.chukei.gateway.tls;

import io.chukei.protocol.text.SafeText;

import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chukei.gateway.pki.KeyStrength;
import io.chukei.gateway.pki.PeerRole;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Which peers one link accepts: the roles whose certificates may complete a handshake there,
 * checked (with the key sizes) by the trust manager {@link TlsContexts} builds, so a wrong peer
 * never gets past TLS. Each refusal is counted by reason and logged at most once per reason per
 * ten seconds. One instance per listener or client; bind it to the process's meters with
 * {@link #bindTo}.
 *
 * <pre>
 * link             accepts            used by
 * connector        CONNECTOR          the node's connector listener
 * upstream         RELAY_NODE         card management's (the simulator's) upstream listener
 * upstream-client  CARD_MANAGEMENT    the node's connections to card management
 * relay-client     RELAY_NODE         connectors and admin clients connecting to a node
 * admin            OPERATOR, VIEWER,  the node's admin listener (mutual TLS: a later issue)
 *                  RELAY_NODE
 * </pre>
 */
public final class PeerPolicy
{
    private static final Logger LOG = LoggerFactory.getLogger(PeerPolicy.class);

    private final String link;
    private final Set<PeerRole> accepted;
    private final LongAdder[] refused = new LongAdder[PeerRefusal.values().length];
    private final RefusalLog log;
    /** Null: no revocation checked on this link. Volatile: a context built before the CRLs were loaded sees them. */
    private volatile Revocation revocation;

    PeerPolicy(final String link, final Set<PeerRole> accepted, final Consumer<String> logSink, final LongSupplier nanoClock)
    {
        this.link = Objects.requireNonNull(link, "link");
        if (accepted.isEmpty())
        {
            throw new IllegalArgumentException("accepted: no role (expected: at least one)");
        }
        this.accepted = EnumSet.copyOf(accepted);
        for (int i = 0; i < refused.length; i++)
        {
            refused[i] = new LongAdder();
        }
        this.log = new RefusalLog(logSink, nanoClock);
    }

    /** A link named {@code link} (logs, the metric's {@code link} tag) that accepts these roles only. */
    public static PeerPolicy accepting(final String link, final PeerRole first, final PeerRole... more)
    {
        return new PeerPolicy(link, EnumSet.of(first, more), LOG::warn, System::nanoTime);
    }

    /** The node's connector listener: connectors only. */
    public static PeerPolicy connectorListener()
    {
        return accepting("connector", PeerRole.CONNECTOR);
    }

    /** Card management's upstream listener: relay nodes only. */
    public static PeerPolicy upstreamListener()
    {
        return accepting("upstream", PeerRole.RELAY_NODE);
    }

    /** The node's client towards card management: the server must be a card-management endpoint. */
    public static PeerPolicy upstreamClient()
    {
        return accepting("upstream-client", PeerRole.CARD_MANAGEMENT);
    }

    /** A connector's (or an admin client's) connection to a node: the server must be a relay node. */
    public static PeerPolicy relayClient()
    {
        return accepting("relay-client", PeerRole.RELAY_NODE);
    }

    /** The node's admin listener: operators, viewers and peer nodes (probes); which may do what is the listener's business. */
    public static PeerPolicy adminListener()
    {
        return accepting("admin", PeerRole.OPERATOR, PeerRole.VIEWER, PeerRole.RELAY_NODE);
    }

    /** Checks every handshake of this link against the CRLs of {@code revocation} too (null: no longer). */
    public PeerPolicy checkRevocation(final Revocation revocation)
    {
        this.revocation = revocation;
        return this;
    }

    public String link()
    {
        return link;
    }

    public Set<PeerRole> accepted()
    {
        return EnumSet.copyOf(accepted);
    }

    /**
     * Checks a chain the PKIX check already accepted: every key at least the minimum, then
     * revocation (when {@link #checkRevocation} gave lists), then the leaf's role. Null when the peer is accepted.
     */
    PeerRefusedException check(final X509Certificate[] chain)
    {
        if (chain == null || chain.length == 0)
        {
            return new PeerRefusedException(PeerRefusal.NO_ROLE, "no certificate", null);
        }
        for (int i = 0; i < chain.length; i++)
        {
            final String weakness = KeyStrength.weakness(chain[i].getPublicKey());
            if (weakness != null)
            {
                return new PeerRefusedException(PeerRefusal.WEAK_KEY,
                    (i == 0 ? "certificate" : "chain certificate " + i) + " key " + weakness, null);
            }
        }
        final Revocation lists = revocation;
        final PeerRefusedException revoked = lists == null ? null : lists.check(chain);
        if (revoked != null)
        {
            return revoked;
        }
        final PeerIdentity identity = PeerIdentity.of(chain[0]);
        return switch (identity.status())
        {
            case PRESENT -> accepted.contains(identity.role()) ? null : new PeerRefusedException(PeerRefusal.WRONG_ROLE,
                identity + " (expected: " + expected() + ")", null);
            case NO_PEER_CERTIFICATE, NO_ROLE -> new PeerRefusedException(PeerRefusal.NO_ROLE, identity + " (expected: "
                + expected() + "; a certificate from a dev PKI older than roles is reissued when its owner starts, "
                + "or by `chukei pki`)", null);
            case SEVERAL_ROLES -> new PeerRefusedException(PeerRefusal.SEVERAL_ROLES, identity + " (expected: one role)", null);
            case SEVERAL_IDENTITIES -> new PeerRefusedException(PeerRefusal.SEVERAL_IDENTITIES,
                identity + " (expected: one identity)", null);
            case MALFORMED -> new PeerRefusedException(PeerRefusal.MALFORMED_IDENTITY, identity.toString(), null);
        };
    }

    private String expected()
    {
        final StringBuilder text = new StringBuilder();
        for (final PeerRole role : accepted)
        {
            text.append(text.length() == 0 ? "" : " or ").append(role.prefix()).append(role == PeerRole.CONNECTOR ?
                "DDDDDD" : "NAME");
        }
        return text.toString();
    }

    /** Counts and (rate-limited) logs a refusal; returns it for the trust manager to throw. */
    PeerRefusedException refused(final PeerRefusedException refusal, final String peer)
    {
        refused[refusal.reason().ordinal()].increment();
        log.refused(refusal.reason(), "TLS " + link + ": refused " + peer + ", " + refusal.reason().tag() + ": "
            + SafeText.of(refusal.getMessage(), 400));
        return refusal;
    }

    /** Refusals for this reason since start. */
    public long refusedCount(final PeerRefusal reason)
    {
        return refused[reason.ordinal()].sum();
    }

    /** Registers {@code chukei.tls.peers.refused{link, reason}} (Prometheus: {@code chukei_tls_peers_refused_total}). */
    public void bindTo(final MeterRegistry registry)
    {
        for (final PeerRefusal reason : PeerRefusal.values())
        {
            FunctionCounter.builder("chukei.tls.peers.refused", this, policy -> policy.refusedCount(reason))
                .description("Peer certificates refused during the TLS handshake, by link and reason")
                .tag("link", link)
                .tag("reason", reason.tag())
                .register(registry);
        }
    }

    @Override
    public String toString()
    {
        return link + " accepting " + accepted;
    }
}
