package io.chukei.bench.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One relay node of a {@link LocalCluster}: its addresses, files and process. */
public final class ClusterNode
{
    static final String READY_LINE = "chukei ready:";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(2);

    private final int id;
    private final InetSocketAddress connector;
    private final InetSocketAddress admin;
    private final Path config;
    private final Path dataDir;
    private final ChildJvm jvm;
    private final HttpClient http;
    private boolean paused;

    ClusterNode(final int id, final InetSocketAddress connector, final InetSocketAddress admin, final Path config,
        final Path dataDir, final String heap, final HttpClient http, final List<String> launcher)
    {
        this.id = id;
        this.connector = connector;
        this.admin = admin;
        this.config = config;
        this.dataDir = dataDir;
        this.http = http;
        this.jvm = new ChildJvm(List.of("run", "--config", config.toString(), "--data", dataDir.toString()),
            dataDir.resolve("node-process.log"), heap, launcher);
    }

    public int id()
    {
        return id;
    }

    public InetSocketAddress connector()
    {
        return connector;
    }

    public InetSocketAddress admin()
    {
        return admin;
    }

    public Path config()
    {
        return config;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    public Path journalDir()
    {
        return dataDir.resolve("journal");
    }

    /** Starts the process; {@link #awaitReady} waits for it. */
    int launch() throws IOException
    {
        final int readyLinesBefore = jvm.count(READY_LINE);
        jvm.start();
        paused = false;
        return readyLinesBefore;
    }

    void awaitReady(final int readyLinesBefore) throws IOException, InterruptedException
    {
        jvm.awaitLine(READY_LINE, readyLinesBefore, 90_000);
    }

    /** Starts the node (again, on the same journal) and waits until it takes traffic. */
    public void start() throws IOException, InterruptedException
    {
        awaitReady(launch());
    }

    public void kill() throws InterruptedException
    {
        jvm.kill();
    }

    /** SIGKILL without waiting (see {@link ChildJvm#destroyNow}). */
    public void destroyNow()
    {
        jvm.destroyNow();
    }

    public void pause() throws IOException, InterruptedException
    {
        jvm.pause();
        paused = true;
    }

    public void resume() throws IOException, InterruptedException
    {
        jvm.resume();
        paused = false;
    }

    public void stop() throws IOException, InterruptedException
    {
        jvm.stop();
        paused = false;
    }

    public boolean isRunning()
    {
        return jvm.isAlive() && !paused;
    }

    public long pid()
    {
        return jvm.pid();
    }

    public String logTail() throws IOException
    {
        return jvm.tail();
    }

    /** The lines of this node's log (every start of it) that contain {@code text}. */
    public java.util.List<String> logLinesContaining(final String text) throws IOException
    {
        return jvm.linesContaining(text);
    }

    /** GET on this node's admin API: the body on 2xx, empty when the node does not answer in time or refuses. */
    public Optional<String> adminGet(final String path)
    {
        return admin("GET", path);
    }

    /** POST on this node's admin API: the body on 2xx, empty otherwise. */
    public Optional<String> adminPost(final String path)
    {
        return admin("POST", path);
    }

    private Optional<String> admin(final String method, final String path)
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + admin.getHostString() + ":" +
            admin.getPort() + path)).timeout(ADMIN_TIMEOUT).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try
        {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? Optional.of(response.body()) : Optional.empty();
        }
        catch (final IOException ex)
        {
            return Optional.empty();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public String toString()
    {
        return "node " + id + " (connector " + connector.getPort() + ", admin " + admin.getPort() + ")";
    }
}
