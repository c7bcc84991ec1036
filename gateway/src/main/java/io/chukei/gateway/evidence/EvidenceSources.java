package io.chukei.gateway.evidence;

import io.chukei.gateway.journal.JournalEvent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What a node hands to its evidence bundles; each call is made off the event loops, on the recorder's thread. */
public interface EvidenceSources
{
    int nodeId();

    Path dataDir();

    /** The metrics as Prometheus scrapes them. */
    String metrics();

    /** The per-stage latency over the last {@code window}, ready for JSON. */
    Object stages(Duration window);

    /** This node's view of the cluster, peers' last answers and the probe history, ready for JSON. */
    Object cluster();

    /** The configuration, secrets removed. */
    String configuration();

    /** Journal entries since {@code fromEpochMs}, newest {@code max}, personal data masked. */
    List<JournalEvent> journalSince(long fromEpochMs, int max);

    /** Journals the bundle's creation (an AUDIT entry). */
    void journalBundle(String name, String detail);
}
