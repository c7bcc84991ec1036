package io.chukei.gateway.cli;

import io.chukei.gateway.config.HostPort;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * {@code DATA/node.properties}: where a running node listens, so {@code chukei send --data DATA}
 * finds it with no other set-up. Written atomically when the node is ready; also read by the load generator.
 */
public final class NodeFile
{
    public static final String NAME = "node.properties";

    private NodeFile()
    {
    }

    static void write(final Path dataDir, final HostPort connector, final HostPort admin) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("connector", connector.toString());
        properties.setProperty("admin", admin.toString());
        final Path temp = dataDir.resolve(NAME + ".tmp");
        Files.deleteIfExists(temp);
        io.chukei.gateway.files.PrivateFiles.createFileIfAbsent(temp);
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8))
        {
            properties.store(writer, "written by chukei run; read by chukei send");
        }
        Files.move(temp, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The connector address a running node wrote into {@code dataDir}; a clear error when the file is missing. */
    public static HostPort connector(final Path dataDir) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.resolve(NAME), StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException("--data " + dataDir + ": no " + NAME +
                " (expected: a data directory of a running `chukei run`, or give --node host:port)", ex);
        }
        return HostPort.parse("connector in " + dataDir.resolve(NAME), properties.getProperty("connector"));
    }
}
