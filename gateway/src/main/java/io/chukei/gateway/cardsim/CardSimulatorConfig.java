package io.chukei.gateway.cardsim;

import io.chukei.gateway.pki.CertificateFiles;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.framing.SofhFrame;
import io.netty.handler.ssl.SslProvider;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link CardSimulator} needs, fixed at start. Runtime failure switches live in
 * {@link CardSimFaults}, not here. Build with {@link #builder()}; {@link Builder#build()}
 * validates.
 */
public final class CardSimulatorConfig
{
    /** Default bound on Forwards waiting for a service slot; beyond it they get TRANSIENT_FAILURE. */
    public static final int DEFAULT_MAX_QUEUED = 100_000;
    /** Port value that disables the admin HTTP endpoint. */
    public static final int ADMIN_DISABLED = -1;
    /** Most upstream endpoints one simulator serves. */
    public static final int MAX_ENDPOINTS = 64;

    private final String host;
    private final List<Integer> ports;
    private final int adminPort;
    private final CertificateFiles tls;
    private final SslProvider tlsProvider;
    private final long serviceTimeMs;
    private final long jitterMs;
    private final int concurrency;
    private final int maxQueued;
    private final Path dataDirectory;
    private final int maxFrameLength;
    private final int ioThreads;
    private final long randomSeed;

    private CardSimulatorConfig(final Builder builder)
    {
        this.host = builder.host;
        this.ports = builder.ports;
        this.adminPort = builder.adminPort;
        this.tls = builder.tls;
        this.tlsProvider = builder.tlsProvider;
        this.serviceTimeMs = builder.serviceTimeMs;
        this.jitterMs = builder.jitterMs;
        this.concurrency = builder.concurrency;
        this.maxQueued = builder.maxQueued;
        this.dataDirectory = builder.dataDirectory;
        this.maxFrameLength = builder.maxFrameLength;
        this.ioThreads = builder.ioThreads;
        this.randomSeed = builder.randomSeed;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Address both listeners bind to; 127.0.0.1 unless told otherwise. */
    public String host()
    {
        return host;
    }

    /** The first endpoint's upstream (SOFH/SBE) port; 0 picks an ephemeral port, see {@link CardSimulator#port()}. */
    public int port()
    {
        return ports.get(0);
    }

    /**
     * One upstream port per endpoint, in endpoint order (endpoint 0 first); 0 = ephemeral. Every
     * endpoint reaches the same service core, dedup map and ledger.
     */
    public List<Integer> ports()
    {
        return ports;
    }

    /** How many upstream endpoints (ports) the simulator serves. */
    public int endpointCount()
    {
        return ports.size();
    }

    /** Admin HTTP port; 0 = ephemeral, {@link #ADMIN_DISABLED} = no admin endpoint (the default). */
    public int adminPort()
    {
        return adminPort;
    }

    /**
     * The card-management endpoint's certificate, key and CA, or null for plaintext. With TLS the
     * simulator requires a client certificate and accepts relay nodes only ({@link
     * io.chukei.gateway.tls.PeerPolicy#upstreamListener()}): it builds that context itself, so no
     * caller can open it to other roles.
     */
    public CertificateFiles tls()
    {
        return tls;
    }

    /** The TLS provider for {@link #tls()}. */
    public SslProvider tlsProvider()
    {
        return tlsProvider;
    }

    /** Fixed part of each request's service time. */
    public long serviceTimeMs()
    {
        return serviceTimeMs;
    }

    /** Upper bound of the uniform random time added to each service time. */
    public long jitterMs()
    {
        return jitterMs;
    }

    /** How many Forwards are in service at once; the rest wait in FIFO order. */
    public int concurrency()
    {
        return concurrency;
    }

    /** How many Forwards may wait for a service slot. */
    public int maxQueued()
    {
        return maxQueued;
    }

    /** Where the ledger lives. */
    public Path dataDirectory()
    {
        return dataDirectory;
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /** Netty I/O threads for connections (the service itself runs on one thread of its own). */
    public int ioThreads()
    {
        return ioThreads;
    }

    /** Seed for jitter, slow-response and error-rate draws, so a run can be repeated. */
    public long randomSeed()
    {
        return randomSeed;
    }

    @Override
    public String toString()
    {
        return "CardSimulatorConfig{host=" + host + ", ports=" + ports + ", adminPort=" + adminPort
            + ", tls=" + (tls != null) + ", serviceTimeMs=" + serviceTimeMs + ", jitterMs=" + jitterMs
            + ", concurrency=" + concurrency + ", maxQueued=" + maxQueued + ", dataDirectory=" + dataDirectory
            + ", maxFrameLength=" + maxFrameLength + ", ioThreads=" + ioThreads + "}";
    }

    /** Defaults plus setters; {@link #build()} checks every field. */
    public static final class Builder
    {
        private String host = "127.0.0.1";
        private List<Integer> ports = List.of(0);
        private int adminPort = ADMIN_DISABLED;
        private CertificateFiles tls;
        private SslProvider tlsProvider;
        private long serviceTimeMs = 1;
        private long jitterMs;
        private int concurrency = 64;
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private Path dataDirectory;
        private int maxFrameLength = SofhFrame.DEFAULT_MAX_FRAME_LENGTH;
        private int ioThreads = 1;
        private long randomSeed = System.nanoTime();

        private Builder()
        {
        }

        public Builder host(final String host)
        {
            this.host = host;
            return this;
        }

        /** A single endpoint on {@code port} (0 = ephemeral); replaces any {@link #ports} or {@link #endpoints} given before. */
        public Builder port(final int port)
        {
            this.ports = List.of(port);
            return this;
        }

        /** One endpoint per port, in this order (0 = ephemeral); replaces any {@link #port} given before. */
        public Builder ports(final List<Integer> ports)
        {
            Objects.requireNonNull(ports, "ports");
            for (int i = 0; i < ports.size(); i++)
            {
                Objects.requireNonNull(ports.get(i), "ports[" + i + "]");
            }
            this.ports = List.copyOf(ports);
            return this;
        }

        /** {@code count} endpoints, each on an ephemeral port (for tests). */
        public Builder endpoints(final int count)
        {
            if (count < 1 || count > MAX_ENDPOINTS)
            {
                throw new IllegalArgumentException("endpoints: " + count + " (expected: 1.." + MAX_ENDPOINTS + ")");
            }
            this.ports = Collections.nCopies(count, 0);
            return this;
        }

        public Builder adminPort(final int adminPort)
        {
            this.adminPort = adminPort;
            return this;
        }

        /** TLS with this certificate (a card-management one, e.g. {@code pki.issueUpstream("cardsim")}); null for plaintext. */
        public Builder tls(final CertificateFiles tls)
        {
            return tls(tls, TlsContexts.provider());
        }

        public Builder tls(final CertificateFiles tls, final SslProvider provider)
        {
            this.tls = tls;
            this.tlsProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        public Builder serviceTimeMs(final long serviceTimeMs)
        {
            this.serviceTimeMs = serviceTimeMs;
            return this;
        }

        public Builder jitterMs(final long jitterMs)
        {
            this.jitterMs = jitterMs;
            return this;
        }

        public Builder concurrency(final int concurrency)
        {
            this.concurrency = concurrency;
            return this;
        }

        public Builder maxQueued(final int maxQueued)
        {
            this.maxQueued = maxQueued;
            return this;
        }

        public Builder dataDirectory(final Path dataDirectory)
        {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Builder maxFrameLength(final int maxFrameLength)
        {
            this.maxFrameLength = maxFrameLength;
            return this;
        }

        public Builder ioThreads(final int ioThreads)
        {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder randomSeed(final long randomSeed)
        {
            this.randomSeed = randomSeed;
            return this;
        }

        /** Checks every field; throws {@link IllegalArgumentException} naming the first bad one. */
        public void validate()
        {
            Objects.requireNonNull(host, "host");
            if (host.isBlank())
            {
                throw new IllegalArgumentException("host: \"" + host + "\" (expected: an address, e.g. 127.0.0.1)");
            }
            checkPorts();
            if (adminPort != ADMIN_DISABLED)
            {
                checkPort("adminPort", adminPort);
                if (adminPort != 0 && ports.contains(adminPort))
                {
                    throw new IllegalArgumentException(
                        "adminPort: " + adminPort + " (expected: different from "
                            + (ports.size() == 1 ? "port " + ports.get(0) : "ports " + ports) + ")");
                }
            }
            if (serviceTimeMs < 0)
            {
                throw new IllegalArgumentException("serviceTimeMs: " + serviceTimeMs + " (expected: >= 0)");
            }
            if (jitterMs < 0)
            {
                throw new IllegalArgumentException("jitterMs: " + jitterMs + " (expected: >= 0)");
            }
            if (concurrency < 1)
            {
                throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
            }
            if (maxQueued < 0)
            {
                throw new IllegalArgumentException("maxQueued: " + maxQueued + " (expected: >= 0)");
            }
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            SofhFrame.checkMaxFrameLength(maxFrameLength);
            if (ioThreads < 1)
            {
                throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 1)");
            }
        }

        public CardSimulatorConfig build()
        {
            validate();
            return new CardSimulatorConfig(this);
        }

        private void checkPorts()
        {
            if (ports.isEmpty() || ports.size() > MAX_ENDPOINTS)
            {
                throw new IllegalArgumentException("ports: " + ports + " (expected: 1.." + MAX_ENDPOINTS + " ports)");
            }
            final Set<Integer> fixed = new HashSet<>();
            for (final int port : ports)
            {
                checkPort("port", port);
                if (port != 0 && !fixed.add(port))
                {
                    throw new IllegalArgumentException("ports: " + ports + " (expected: each port at most once, " + port + " repeats)");
                }
            }
        }

        private static void checkPort(final String name, final int port)
        {
            if (port < 0 || port > 65535)
            {
                throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535, 0 = ephemeral)");
            }
        }
    }
}
