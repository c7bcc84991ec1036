package io.chukei.gateway.journal;

import java.io.File;

import io.chukei.gateway.files.PrivateFiles;
import net.openhft.chronicle.queue.impl.StoreFileListener;

/**
 * Narrows each cycle file to 0600 when Chronicle acquires it. Chronicle opens its files itself (with the
 * process umask, typically 0644) and offers no hook at creation; {@code onAcquired} runs on Chronicle's
 * background releaser thread right after a store is first acquired by an appender or tailer, which for a new
 * cycle is right after its creation. Until then the file is unreachable for others: the journal directory is
 * 0700 from the start.
 */
final class JournalFileModes implements StoreFileListener
{
    static final JournalFileModes INSTANCE = new JournalFileModes();

    private JournalFileModes()
    {
    }

    @Override
    public void onAcquired(final int cycle, final File file)
    {
        PrivateFiles.restrictQuietly(file.toPath());
    }

    @Override
    public void onReleased(final int cycle, final File file)
    {
        // Nothing to do: the file keeps the mode it was given on acquisition.
    }
}
