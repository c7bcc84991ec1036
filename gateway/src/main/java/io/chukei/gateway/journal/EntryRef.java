package io.chukei.gateway.journal;

/**
 * Where an entry is and what it is about, without its body: what a tool collects in a first pass before it
 * reads the entries it needs ({@link Journal#readAccepted}, {@link Journal#readCompleted}), so bodies are read
 * through the journal's own readers.
 *
 * @param errorCode for REJECTED entries the error code, else 0
 */
public record EntryRef(long index, JournalEventType type, long timestampNs, long idHi, long idLo, int errorCode)
{
}
