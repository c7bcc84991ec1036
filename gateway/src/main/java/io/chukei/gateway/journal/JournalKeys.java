package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.chukei.gateway.files.PrivateFiles;

/**
 * The journal's key ring: AES-256 keys by id, read from one owner-only text file. Every sealed journal entry
 * names the id of the key that sealed it; new entries are sealed with the highest id, older ids stay to read
 * what they sealed. {@link #rotate} adds a key; nothing here ever removes one.
 * <pre>
 * # chukei journal keys: ID CREATED_UTC AES-256 key (base64). The highest id seals new entries.
 * 1 2026-12-04T17:40:00Z q2V5IG9uZSBpcyB0aGlydHktdHdvIGJ5dGVzIGxvbmcgISE=
 * 2 2027-03-01T09:00:00Z ...
 * </pre>
 */
public final class JournalKeys
{
    /**
     * Where a node keeps its key file when {@code journal.keyFile} is not set: {@code DATA/keys/journal.keys}. In
     * the data directory, which is the node's own, not the PKI directory, which nodes of a cluster may share.
     */
    public static Path defaultFile(final Path dataDirectory)
    {
        return dataDirectory.resolve("keys").resolve("journal.keys");
    }

    private static final String HEADER =
        "# chukei journal keys: ID CREATED_UTC AES-256 key (base64). The highest id seals new entries;\n" +
        "# keep every id that sealed entries still in the journal (retention). Owner-only (0600).\n";
    private static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;
    private final TreeMap<Integer, Entry> byId;
    /** Indexed by id for the read path (ids are small and dense); null where no key has that id. */
    private final SecretKey[] keys;
    private final int newestId;

    private record Entry(int id, Instant created, byte[] key)
    {
    }

    private JournalKeys(final Path file, final TreeMap<Integer, Entry> byId)
    {
        this.file = file;
        this.byId = byId;
        this.newestId = byId.lastKey();
        this.keys = new SecretKey[newestId + 1];
        for (final Entry entry : byId.values())
        {
            keys[entry.id()] = new SecretKeySpec(entry.key(), "AES");
        }
    }

    /**
     * Reads the key file. IllegalArgumentException, naming the file and what was expected, when it is missing,
     * readable by group or others, empty or malformed.
     */
    public static JournalKeys load(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("journal key file " + file + " does not exist (expected: a key file; " +
                "create one with: chukei keys rotate --key-file " + file + ")");
        }
        checkOwnerOnly(file);
        final TreeMap<Integer, Entry> byId = parse(file, Files.readAllLines(file, StandardCharsets.US_ASCII));
        if (byId.isEmpty())
        {
            throw new IllegalArgumentException("journal key file " + file + " holds no key (expected: at least one line " +
                "'ID CREATED_UTC BASE64_KEY'; add one with: chukei keys rotate --key-file " + file + ")");
        }
        return new JournalKeys(file, byId);
    }

    /** Reads the key file, first creating it with one new key (id 1) if it does not exist. */
    public static JournalKeys loadOrCreate(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            rotate(file);
        }
        return load(file);
    }

    /**
     * Adds a new key (the highest id so far + 1, or 1 for a new file) and rewrites the file atomically, 0600;
     * returns the new id. A running node goes on sealing with the key it started with until it restarts.
     */
    public static int rotate(final Path file) throws IOException
    {
        final TreeMap<Integer, Entry> byId = new TreeMap<>();
        if (Files.exists(file))
        {
            checkOwnerOnly(file);
            byId.putAll(parse(file, Files.readAllLines(file, StandardCharsets.US_ASCII)));
        }
        final int id = byId.isEmpty() ? 1 : byId.lastKey() + 1;
        byId.put(id, new Entry(id, Instant.now().truncatedTo(ChronoUnit.SECONDS), newKey()));
        write(file, byId);
        return id;
    }

    /** The id that seals new entries: the highest in the file. */
    public int newestId()
    {
        return newestId;
    }

    /** Every id in the file, ascending. */
    public List<Integer> ids()
    {
        return Collections.unmodifiableList(new ArrayList<>(byId.keySet()));
    }

    /** When the key was added, from the file. */
    public Instant created(final int id)
    {
        final Entry entry = byId.get(id);
        return entry == null ? null : entry.created();
    }

    public Path file()
    {
        return file;
    }

    /** The key with this id, or null when the file holds none. No allocation: this is on the read path. */
    SecretKey key(final int id)
    {
        return id > 0 && id < keys.length ? keys[id] : null;
    }

    @Override
    public String toString()
    {
        return "JournalKeys{file=" + file + ", ids=" + byId.keySet() + ", newest=" + newestId + '}';
    }

    private static TreeMap<Integer, Entry> parse(final Path file, final List<String> lines)
    {
        final TreeMap<Integer, Entry> byId = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String where = "journal key file " + file + " line " + (i + 1);
            final String[] fields = line.split("\\s+");
            if (fields.length != 3)
            {
                throw new IllegalArgumentException(where + ": " + fields.length + " fields (expected: 3, " +
                    "'ID CREATED_UTC BASE64_KEY')");
            }
            final int id;
            final Instant created;
            final byte[] key;
            try
            {
                id = Integer.parseInt(fields[0]);
                created = Instant.parse(fields[1]);
                key = Base64.getDecoder().decode(fields[2]);
            }
            catch (final RuntimeException ex)
            {
                // The message never quotes the key text.
                throw new IllegalArgumentException(where + ": unreadable (expected: a decimal id, an ISO-8601 UTC " +
                    "instant and a base64 key)");
            }
            if (id < 1 || id > 65_535)
            {
                throw new IllegalArgumentException(where + ": id " + id + " (expected: 1..65535)");
            }
            if (key.length != KEY_BYTES)
            {
                throw new IllegalArgumentException(where + ": key of " + key.length + " bytes (expected: " + KEY_BYTES +
                    ", AES-256)");
            }
            if (byId.put(id, new Entry(id, created, key)) != null)
            {
                throw new IllegalArgumentException(where + ": id " + id + " twice (expected: each id once)");
            }
        }
        return byId;
    }

    private static void checkOwnerOnly(final Path file) throws IOException
    {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix"))
        {
            return;
        }
        final Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!Collections.disjoint(mode, GROUP_OR_OTHER))
        {
            throw new IllegalArgumentException("journal key file " + file + " has mode " +
                PosixFilePermissions.toString(mode) + " (expected: rw------- , owner only; chmod 600 " + file + ")");
        }
    }

    private static byte[] newKey()
    {
        try
        {
            final KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(KEY_BYTES * 8, new SecureRandom());
            return generator.generateKey().getEncoded();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES-256 key generation is not available in this JDK", ex);
        }
    }

    private static void write(final Path file, final TreeMap<Integer, Entry> byId) throws IOException
    {
        final StringBuilder text = new StringBuilder(HEADER);
        for (final Entry entry : byId.values())
        {
            text.append(entry.id()).append(' ').append(entry.created()).append(' ')
                .append(Base64.getEncoder().encodeToString(entry.key())).append('\n');
        }
        final Path directory = file.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(directory);
        final Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PrivateFiles.fileAttributes(temporary)))
        {
            final ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            // A key that sealed entries must survive a power cut as surely as the entries do.
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
        {
            dir.force(true);
        }
    }
}
