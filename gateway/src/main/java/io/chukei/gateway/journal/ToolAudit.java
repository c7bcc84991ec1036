package io.chukei.gateway.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * An AUDIT entry appended by a tool, not a node: a reading of personal data in clear ({@code journal dump --unmask})
 * leaves its trace in the journal it read. Written as {@link Journal#appendAudit} writes one (clear, with its
 * checksum), through an appender of the tool's own; Chronicle orders appends of several processes by its write lock.
 */
public final class ToolAudit
{
    private ToolAudit()
    {
    }

    /** Appends the entry to the journal {@code config} names; its index. Throws when it cannot be written. */
    public static long append(final JournalConfig config, final String actor, final String action, final String detail)
    {
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(config.directory())
            .rollCycle(config.rollCycle())
            .timeProvider(config.timeProvider())
            // A cycle file this append creates is narrowed to 0600 as the node's are.
            .storeFileListener(JournalFileModes.INSTANCE);
        if (config.blockSize() > 0)
        {
            builder.blockSize(config.blockSize());
        }
        try (SingleChronicleQueue queue = builder.build(); ExcerptAppender appender = queue.createAppender())
        {
            final Bytes<?> bytes = EntryChecksum.begin();
            JournalCodec.writeHeader(bytes, JournalEventType.AUDIT, config.timeProvider().currentTimeNanos(), 0, 0);
            JournalCodec.writeString(bytes, actor);
            JournalCodec.writeString(bytes, action);
            JournalCodec.writeString(bytes, detail);
            try (DocumentContext dc = appender.writingDocument())
            {
                try
                {
                    EntryChecksum.finish(bytes, dc.wire().bytes());
                }
                catch (final RuntimeException ex)
                {
                    dc.rollbackOnClose();
                    throw ex;
                }
            }
            return appender.lastIndexAppended();
        }
    }
}
