package io.chukei.gateway.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** Every {@link JournalTest} again, with a key ring: entries are sealed (version 2) and must behave the same. */
class SealedJournalTest extends JournalTest
{
    @TempDir
    Path keyDirectory;

    @Override
    JournalConfig.Builder configure(final JournalConfig.Builder builder)
    {
        try
        {
            return builder.keys(JournalKeys.loadOrCreate(keyDirectory.resolve("journal.keys")));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
