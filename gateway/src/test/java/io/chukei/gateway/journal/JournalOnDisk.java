package io.chukei.gateway.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;

/** For tests outside this package: a journal whose fsyncs go through {@code disk} (one that blocks or fails). */
public final class JournalOnDisk
{
    /** What the group-commit thread's fsync of a cycle file does. */
    @FunctionalInterface
    public interface Disk
    {
        void force(FileChannel channel) throws IOException;
    }

    private JournalOnDisk()
    {
    }

    public static Journal open(final JournalConfig config, final Disk disk)
    {
        return Journal.open(config, disk::force);
    }
}
