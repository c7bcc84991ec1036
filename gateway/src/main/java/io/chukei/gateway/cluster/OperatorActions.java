package io.chukei.gateway.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Operator isolations and drains, for this node and for its peers, kept in
 * {@code <dataDir>/cluster-state.properties} so they survive a restart until {@code release}.
 *
 * <pre>
 * node.2.action=isolated
 * node.2.reason=disk replaced
 * </pre>
 *
 * Every change rewrites the whole file: written to a temp file, forced to storage, then moved
 * over the old one, so a crash leaves either the old or the new file, never half of one.
 */
public final class OperatorActions
{
    public static final String FILE_NAME = "cluster-state.properties";

    /** One node's recorded action and the operator's reason (empty when none was given). */
    public record Entry(OperatorAction action, String reason)
    {
        public static final Entry NONE = new Entry(OperatorAction.NONE, "");
    }

    private final Path file;
    private final Map<Integer, Entry> entries = new TreeMap<>();

    private OperatorActions(final Path file)
    {
        this.file = file;
    }

    /** Reads the file in {@code dataDir}; a missing file means no action for any node. */
    public static OperatorActions load(final Path dataDir) throws IOException
    {
        final OperatorActions actions = new OperatorActions(dataDir.resolve(FILE_NAME));
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(actions.file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final NoSuchFileException ex)
        {
            return actions;
        }
        for (final String key : properties.stringPropertyNames())
        {
            if (!key.startsWith("node.") || !key.endsWith(".action"))
            {
                continue;
            }
            final String idText = key.substring("node.".length(), key.length() - ".action".length());
            final int id;
            try
            {
                id = Integer.parseInt(idText);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(actions.file + ": key " + key + " (expected: node.ID.action)", ex);
            }
            final OperatorAction action = OperatorAction.ofLabel(actions.file + " " + key, properties.getProperty(key).trim());
            if (action != OperatorAction.NONE)
            {
                actions.entries.put(id, new Entry(action, properties.getProperty("node." + id + ".reason", "")));
            }
        }
        return actions;
    }

    public Path file()
    {
        return file;
    }

    public synchronized Entry get(final int nodeId)
    {
        return entries.getOrDefault(nodeId, Entry.NONE);
    }

    /**
     * Records an action (NONE = release) and rewrites the file before returning; returns the entry it
     * replaced. Throws {@link UncheckedIOException} when the file cannot be written: then nothing changed.
     */
    public synchronized Entry record(final int nodeId, final OperatorAction action, final String reason)
    {
        final Entry before = get(nodeId);
        final Map<Integer, Entry> next = new TreeMap<>(entries);
        if (action == OperatorAction.NONE)
        {
            next.remove(nodeId);
        }
        else
        {
            next.put(nodeId, new Entry(action, reason == null ? "" : reason));
        }
        try
        {
            write(next);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(file + ": cannot record " + action.label() + " of node " + nodeId, ex);
        }
        entries.clear();
        entries.putAll(next);
        return before;
    }

    private void write(final Map<Integer, Entry> next) throws IOException
    {
        final Properties properties = new Properties();
        for (final Map.Entry<Integer, Entry> entry : next.entrySet())
        {
            properties.setProperty("node." + entry.getKey() + ".action", entry.getValue().action().label());
            properties.setProperty("node." + entry.getKey() + ".reason", entry.getValue().reason());
        }
        final StringWriter text = new StringWriter();
        properties.store(text, "operator isolations and drains; written by the node, changed with chukei admin");
        final Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel channel = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), io.chukei.gateway.files.PrivateFiles.fileAttributes(temp)))
        {
            final ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            // An isolation must survive a power cut too, not only a process crash.
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
