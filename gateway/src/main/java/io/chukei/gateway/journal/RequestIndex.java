package io.chukei.gateway.journal;

import java.util.Arrays;

import io.chukei.protocol.sbe.RequestState;

/**
 * The node's request table: request key (municipality scope and 128-bit request id) to state, journal
 * indexes and content fingerprint. The same id in two municipalities is two entries.
 * <p>
 * The slot is chosen by the id alone and the scope is compared with it, so entries of journals written
 * before ids were scoped ({@link #ANY_SCOPE}) are still found by id.
 * <p>
 * Open addressing with linear probing over parallel primitive arrays (no boxing, no per-entry objects),
 * load factor at most 1/2, backward-shift deletion. Memory is bounded: once {@link #maxEntries()} entries
 * are held, inserting evicts the oldest finished (COMPLETED or REJECTED) entry. Pending entries are never
 * evicted; if every entry is pending the table grows past the bound rather than forget accepted work.
 * A request whose entry was evicted is unknown to the node again: a resend of it is journaled and
 * forwarded once more as a possible duplicate, and the upstream's deduplication by request id (its
 * contract) keeps the effect single.
 * <p>
 * Not thread-safe: one thread owns an instance, or the owner guards it. Slot numbers returned by
 * {@link #find} are valid only until the next insertion.
 */
public final class RequestIndex
{
    public static final int NOT_FOUND = -1;
    /** As a scope in a look-up: any municipality's entry with the id (journal entries written before scoping). */
    public static final int ANY_SCOPE = -1;

    private static final byte EMPTY = 0;
    private static final byte ACCEPTED = (byte)RequestState.ACCEPTED.value();
    private static final byte FORWARDED = (byte)RequestState.FORWARDED.value();
    private static final byte COMPLETED = (byte)RequestState.COMPLETED.value();
    private static final byte REJECTED = (byte)RequestState.REJECTED.value();
    /** Forwarded, deadline passed, verdict not known: still pending (recovery forwards it again). */
    private static final byte OUTCOME_UNKNOWN = (byte)RequestState.OUTCOME_UNKNOWN.value();
    private static final int MIN_SLOTS = 16;

    private final int maxEntries;
    private int mask;
    private int size;
    private long evictions;

    private int[] scope;
    private long[] idHi;
    private long[] idLo;
    private long[] acceptedIndex;
    private long[] terminalIndex;
    private long[] fingerprint;
    private int[] forwardAttempts;
    private long[] deadlineEpochMs;
    private byte[] priority;
    private byte[] state;

    // Insertion order, oldest at head: the eviction candidates. Holds exactly the live entries.
    private int[] orderScope;
    private long[] orderHi;
    private long[] orderLo;
    private int orderHead;

    /** Receives one entry of {@link #forEach}. */
    @FunctionalInterface
    public interface EntryConsumer
    {
        void accept(int scope, long idHi, long idLo, byte state, long acceptedIndex, long terminalIndex, long fingerprint,
            int forwardAttempts);
    }

    public RequestIndex(final int maxEntries)
    {
        this(maxEntries, MIN_SLOTS);
    }

    public RequestIndex(final int maxEntries, final int initialSlots)
    {
        if (maxEntries < 1)
        {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: > 0)");
        }
        this.maxEntries = maxEntries;
        allocate(Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, initialSlots - 1)) << 1));
    }

    public int size()
    {
        return size;
    }

    public int maxEntries()
    {
        return maxEntries;
    }

    /** Finished entries dropped so far to keep the table within {@link #maxEntries()}. */
    public long evictions()
    {
        return evictions;
    }

    /** Current number of slots (twice the entries or more); for tests and memory estimates. */
    public int slots()
    {
        return mask + 1;
    }

    /** The slot holding the key, or {@link #NOT_FOUND}; {@link #ANY_SCOPE} finds the id in any municipality. */
    public int find(final int idScope, final long hi, final long lo)
    {
        int slot = home(hi, lo);
        while (state[slot] != EMPTY)
        {
            if (idHi[slot] == hi && idLo[slot] == lo && (scope[slot] == idScope || idScope == ANY_SCOPE))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return NOT_FOUND;
    }

    /** The request's state, UNKNOWN when the key is not in the table. */
    public RequestState state(final int idScope, final long hi, final long lo)
    {
        final int slot = find(idScope, hi, lo);
        return slot == NOT_FOUND ? RequestState.UNKNOWN : RequestState.get(state[slot]);
    }

    public byte state(final int slot)
    {
        return state[slot];
    }

    /** The municipality the entry's id is scoped to. */
    public int scope(final int slot)
    {
        return scope[slot];
    }

    public long idHi(final int slot)
    {
        return idHi[slot];
    }

    public long idLo(final int slot)
    {
        return idLo[slot];
    }

    /** Journal index of the request's ACCEPTED entry. */
    public long acceptedIndex(final int slot)
    {
        return acceptedIndex[slot];
    }

    /** Journal index of the request's COMPLETED or REJECTED entry, -1 while pending. */
    public long terminalIndex(final int slot)
    {
        return terminalIndex[slot];
    }

    public long fingerprint(final int slot)
    {
        return fingerprint[slot];
    }

    /** The request's deadline, kept so a restart can schedule re-forwarding without reading the journal. */
    public long deadlineEpochMs(final int slot)
    {
        return deadlineEpochMs[slot];
    }

    /** The request's {@link io.chukei.protocol.sbe.Priority} value. */
    public byte priority(final int slot)
    {
        return priority[slot];
    }

    /** Visits the slot of every entry, oldest first; the table must not change meanwhile. */
    public void forEachSlot(final java.util.function.IntConsumer consumer)
    {
        final int orderMask = orderHi.length - 1;
        for (int i = 0; i < size; i++)
        {
            final int at = (orderHead + i) & orderMask;
            consumer.accept(find(orderScope[at], orderHi[at], orderLo[at]));
        }
    }

    /**
     * The lowest ACCEPTED index of any pending entry, {@code Long.MAX_VALUE} when none is pending. One pass over the
     * slots in memory order: {@link #forEach} looks every entry's slot up from its insertion order, a random read
     * each, which for a checkpointer's table of a million entries cost ~0.5 % of a core at 12,000 requests/s
     * (bench/README.md, <i>what one core's CPU still goes to</i>, 7 Dec 2026).
     */
    public long oldestPendingAcceptedIndex()
    {
        long oldest = Long.MAX_VALUE;
        for (int slot = 0; slot <= mask; slot++)
        {
            if (isPending(state[slot]) && acceptedIndex[slot] < oldest)
            {
                oldest = acceptedIndex[slot];
            }
        }
        return oldest;
    }

    /** Highest forward attempt journaled for the request, 0 before the first. */
    public int forwardAttempts(final int slot)
    {
        return forwardAttempts[slot];
    }

    /** Card management's verdict is journaled (COMPLETED), as against a REJECTED deadline. */
    public static boolean isCompleted(final byte state)
    {
        return state == COMPLETED;
    }

    public static boolean isTerminal(final byte state)
    {
        return state == COMPLETED || state == REJECTED;
    }

    public static boolean isPending(final byte state)
    {
        return state == ACCEPTED || state == FORWARDED || state == OUTCOME_UNKNOWN;
    }

    /** Forwarded before its deadline passed, verdict not known yet (pending). */
    public static boolean isOutcomeUnknown(final byte state)
    {
        return state == OUTCOME_UNKNOWN;
    }

    /** Records an accepted request; false (and no change) when the key is already in the table. */
    public boolean accept(final int idScope, final long hi, final long lo, final long acceptedIndex, final long fingerprint)
    {
        return accept(idScope, hi, lo, acceptedIndex, fingerprint, 0, (byte)0);
    }

    /**
     * Records an accepted request with its deadline and priority; false (and no change) when it is pending already,
     * or finished at a later index than this one.
     */
    public boolean accept(final int idScope, final long hi, final long lo, final long acceptedIndex,
        final long fingerprint, final long deadline, final byte entryPriority)
    {
        final int slot = find(idScope, hi, lo);
        if (slot == NOT_FOUND)
        {
            insert(idScope, hi, lo, ACCEPTED, acceptedIndex, -1, fingerprint, 0, deadline, entryPriority);
            return true;
        }
        if (!isTerminal(state[slot]) || acceptedIndex <= terminalIndex[slot])
        {
            return false;
        }
        // Finished, then accepted again: the node took a resend as new (its answer forgotten, or its verdict unreadable)
        // and will forward it. The new acceptance is what recovery must see; keeping the old verdict would leave the
        // request out of the pending ones after a crash, and a passed deadline would then answer "not applied".
        state[slot] = ACCEPTED;
        this.acceptedIndex[slot] = acceptedIndex;
        terminalIndex[slot] = -1;
        this.fingerprint[slot] = fingerprint;
        forwardAttempts[slot] = 0;
        deadlineEpochMs[slot] = deadline;
        priority[slot] = entryPriority;
        return true;
    }

    /** Records a forward attempt of a pending request; false when the key is unknown or already finished. */
    public boolean forwarded(final int idScope, final long hi, final long lo, final int attempt)
    {
        final int slot = find(idScope, hi, lo);
        if (slot == NOT_FOUND || isTerminal(state[slot]))
        {
            return false;
        }
        if (state[slot] != OUTCOME_UNKNOWN)
        {
            state[slot] = FORWARDED;
        }
        forwardAttempts[slot] = Math.max(forwardAttempts[slot], attempt);
        return true;
    }

    /**
     * Records that the request's deadline passed after {@code attempts} forwards, its verdict unknown; false when
     * the key is unknown or already finished. It stays pending until COMPLETED.
     */
    public boolean outcomeUnknown(final int idScope, final long hi, final long lo, final int attempts)
    {
        final int slot = find(idScope, hi, lo);
        if (slot == NOT_FOUND || isTerminal(state[slot]))
        {
            return false;
        }
        state[slot] = OUTCOME_UNKNOWN;
        forwardAttempts[slot] = Math.max(forwardAttempts[slot], attempts);
        return true;
    }

    /** Records the request's outcome; false when the key is unknown or already finished. */
    public boolean complete(final int idScope, final long hi, final long lo, final long terminalIndex)
    {
        return finish(idScope, hi, lo, COMPLETED, terminalIndex);
    }

    /** Records a terminal rejection of an accepted request; false when the key is unknown or already finished. */
    public boolean reject(final int idScope, final long hi, final long lo, final long terminalIndex)
    {
        return finish(idScope, hi, lo, REJECTED, terminalIndex);
    }

    /** Visits every entry, oldest first. */
    public void forEach(final EntryConsumer consumer)
    {
        final int orderMask = orderHi.length - 1;
        for (int i = 0; i < size; i++)
        {
            final int at = (orderHead + i) & orderMask;
            final int slot = find(orderScope[at], orderHi[at], orderLo[at]);
            consumer.accept(scope[slot], idHi[slot], idLo[slot], state[slot], acceptedIndex[slot], terminalIndex[slot],
                fingerprint[slot], forwardAttempts[slot]);
        }
    }

    /** A deep copy, for a second owner (the checkpointer) to continue from the same state. */
    public RequestIndex copy()
    {
        final RequestIndex copy = new RequestIndex(maxEntries, MIN_SLOTS);
        copy.mask = mask;
        copy.size = size;
        copy.evictions = evictions;
        copy.scope = scope.clone();
        copy.idHi = idHi.clone();
        copy.idLo = idLo.clone();
        copy.acceptedIndex = acceptedIndex.clone();
        copy.terminalIndex = terminalIndex.clone();
        copy.fingerprint = fingerprint.clone();
        copy.forwardAttempts = forwardAttempts.clone();
        copy.deadlineEpochMs = deadlineEpochMs.clone();
        copy.priority = priority.clone();
        copy.state = state.clone();
        copy.orderScope = orderScope.clone();
        copy.orderHi = orderHi.clone();
        copy.orderLo = orderLo.clone();
        copy.orderHead = orderHead;
        return copy;
    }

    /**
     * The table's arrays as they are, for a checkpoint written as an image of the table ({@link CheckpointFile}):
     * slot arrays of {@link #slots()} elements, order arrays of the ring's length (live entries from its head).
     */
    record Image(int size, long evictions, int orderHead, int[] scope, long[] idHi, long[] idLo, long[] acceptedIndex,
        long[] terminalIndex, long[] fingerprint, int[] forwardAttempts, long[] deadlineEpochMs, byte[] priority,
        byte[] state, int[] orderScope, long[] orderHi, long[] orderLo)
    {
    }

    /** This table's arrays, shared, not copied: the table must not change while the image is in use. */
    Image image()
    {
        return new Image(size, evictions, orderHead, scope, idHi, idLo, acceptedIndex, terminalIndex, fingerprint,
            forwardAttempts, deadlineEpochMs, priority, state, orderScope, orderHi, orderLo);
    }

    /**
     * A table from an image: its arrays are taken as they are, so a load is a bulk copy per array instead of an
     * insertion per entry (on a cold JVM 0.5-0.7 s for 1,000,000 entries, each insertion a probe into arrays of
     * 120 MB). The image must come from {@link #image()} with the same slot hash; what can be checked without walking
     * every probe chain is: sizes are powers of two and agree, every state is a known one, the live slots number
     * {@code size}, and {@code size} fits under {@code maxEntries}'s half-full bound.
     *
     * @throws IllegalArgumentException naming what does not hold
     */
    static RequestIndex fromImage(final int maxEntries, final Image image)
    {
        final int slots = image.state().length;
        if (slots < MIN_SLOTS || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots: " + slots + " (expected: a power of two >= " + MIN_SLOTS + ")");
        }
        if (image.scope().length != slots || image.idHi().length != slots || image.idLo().length != slots ||
            image.acceptedIndex().length != slots || image.terminalIndex().length != slots ||
            image.fingerprint().length != slots || image.forwardAttempts().length != slots ||
            image.deadlineEpochMs().length != slots || image.priority().length != slots)
        {
            throw new IllegalArgumentException("slot arrays: lengths differ (expected: " + slots + " each)");
        }
        final int orderLength = image.orderHi().length;
        if (Integer.bitCount(orderLength) != 1 || image.orderScope().length != orderLength ||
            image.orderLo().length != orderLength || image.orderHead() < 0 || image.orderHead() >= orderLength)
        {
            throw new IllegalArgumentException("order ring: length " + orderLength + ", head " + image.orderHead() +
                " (expected: a power of two, arrays of one length, head inside)");
        }
        if (image.size() < 0 || image.size() > orderLength || (long)image.size() * 2 > slots)
        {
            throw new IllegalArgumentException("size: " + image.size() + " (expected: 0.." + Math.min(orderLength,
                slots / 2) + ")");
        }
        int live = 0;
        for (final byte entryState : image.state())
        {
            if (entryState != EMPTY)
            {
                if (entryState < ACCEPTED || entryState > OUTCOME_UNKNOWN)
                {
                    throw new IllegalArgumentException("state: " + entryState + " (expected: 0..5)");
                }
                live++;
            }
        }
        if (live != image.size())
        {
            throw new IllegalArgumentException("live slots: " + live + " (expected: size " + image.size() + ")");
        }
        final RequestIndex table = new RequestIndex(maxEntries, MIN_SLOTS);
        table.mask = slots - 1;
        table.size = image.size();
        table.evictions = image.evictions();
        table.scope = image.scope();
        table.idHi = image.idHi();
        table.idLo = image.idLo();
        table.acceptedIndex = image.acceptedIndex();
        table.terminalIndex = image.terminalIndex();
        table.fingerprint = image.fingerprint();
        table.forwardAttempts = image.forwardAttempts();
        table.deadlineEpochMs = image.deadlineEpochMs();
        table.priority = image.priority();
        table.state = image.state();
        table.orderScope = image.orderScope();
        table.orderHi = image.orderHi();
        table.orderLo = image.orderLo();
        table.orderHead = image.orderHead();
        return table;
    }

    /** The entries again, oldest first, in a table bounded by {@code max}: the oldest finished ones evicted to fit. */
    RequestIndex trimmedTo(final int max)
    {
        final RequestIndex trimmed = new RequestIndex(max, Math.min(size, max) * 2);
        forEachSlot(slot -> trimmed.restore(scope[slot], idHi[slot], idLo[slot], state[slot], acceptedIndex[slot],
            terminalIndex[slot], fingerprint[slot], forwardAttempts[slot], deadlineEpochMs[slot], priority[slot]));
        return trimmed;
    }

    /** Adds an entry as it was (checkpoint loading); entries must come oldest first. */
    void restore(final int idScope, final long hi, final long lo, final byte entryState, final long accepted, final long terminal,
        final long entryFingerprint, final int attempts, final long deadline, final byte entryPriority)
    {
        if (entryState < ACCEPTED || entryState > OUTCOME_UNKNOWN)
        {
            throw new IllegalArgumentException("state: " + entryState + " (expected: 1..5)");
        }
        if (find(idScope, hi, lo) == NOT_FOUND)
        {
            insert(idScope, hi, lo, entryState, accepted, terminal, entryFingerprint, attempts, deadline, entryPriority);
        }
    }

    private boolean finish(final int idScope, final long hi, final long lo, final byte terminalState, final long index)
    {
        final int slot = find(idScope, hi, lo);
        if (slot == NOT_FOUND || isTerminal(state[slot]))
        {
            return false;
        }
        state[slot] = terminalState;
        terminalIndex[slot] = index;
        return true;
    }

    private void insert(final int idScope, final long hi, final long lo, final byte entryState, final long accepted, final long terminal,
        final long entryFingerprint, final int attempts, final long deadline, final byte entryPriority)
    {
        if (size >= maxEntries)
        {
            evictOldestTerminal();
        }
        if ((size + 1) * 2 > mask + 1)
        {
            allocateAndRehash((mask + 1) << 1);
        }
        int slot = home(hi, lo);
        while (state[slot] != EMPTY)
        {
            slot = (slot + 1) & mask;
        }
        scope[slot] = idScope;
        idHi[slot] = hi;
        idLo[slot] = lo;
        state[slot] = entryState;
        acceptedIndex[slot] = accepted;
        terminalIndex[slot] = terminal;
        fingerprint[slot] = entryFingerprint;
        forwardAttempts[slot] = attempts;
        deadlineEpochMs[slot] = deadline;
        priority[slot] = entryPriority;
        pushOrder(idScope, hi, lo);
        size++;
    }

    /** Drops the oldest finished entry; pending entries met on the way move to the young end. */
    private void evictOldestTerminal()
    {
        final int orderMask = orderHi.length - 1;
        for (int visited = 0; visited < size; visited++)
        {
            final int idScope = orderScope[orderHead];
            final long hi = orderHi[orderHead];
            final long lo = orderLo[orderHead];
            orderHead = (orderHead + 1) & orderMask;
            final int slot = find(idScope, hi, lo);
            if (isTerminal(state[slot]))
            {
                removeSlot(slot);
                size--;
                evictions++;
                return;
            }
            orderScope[(orderHead + size - 1) & orderMask] = idScope;
            orderHi[(orderHead + size - 1) & orderMask] = hi;
            orderLo[(orderHead + size - 1) & orderMask] = lo;
        }
    }

    private void pushOrder(final int idScope, final long hi, final long lo)
    {
        if (size == orderHi.length)
        {
            growOrder();
        }
        final int at = (orderHead + size) & (orderHi.length - 1);
        orderScope[at] = idScope;
        orderHi[at] = hi;
        orderLo[at] = lo;
    }

    private void growOrder()
    {
        final int length = orderHi.length;
        final int[] newScope = new int[length << 1];
        final long[] newHi = new long[length << 1];
        final long[] newLo = new long[length << 1];
        for (int i = 0; i < length; i++)
        {
            newScope[i] = orderScope[(orderHead + i) & (length - 1)];
            newHi[i] = orderHi[(orderHead + i) & (length - 1)];
            newLo[i] = orderLo[(orderHead + i) & (length - 1)];
        }
        orderScope = newScope;
        orderHi = newHi;
        orderLo = newLo;
        orderHead = 0;
    }

    private void removeSlot(final int removed)
    {
        int gap = removed;
        int slot = (removed + 1) & mask;
        while (state[slot] != EMPTY)
        {
            final int home = home(idHi[slot], idLo[slot]);
            if (((slot - home) & mask) >= ((slot - gap) & mask))
            {
                moveSlot(slot, gap);
                gap = slot;
            }
            slot = (slot + 1) & mask;
        }
        state[gap] = EMPTY;
    }

    private void moveSlot(final int from, final int to)
    {
        scope[to] = scope[from];
        idHi[to] = idHi[from];
        idLo[to] = idLo[from];
        state[to] = state[from];
        acceptedIndex[to] = acceptedIndex[from];
        terminalIndex[to] = terminalIndex[from];
        fingerprint[to] = fingerprint[from];
        forwardAttempts[to] = forwardAttempts[from];
        deadlineEpochMs[to] = deadlineEpochMs[from];
        priority[to] = priority[from];
    }

    private int home(final long hi, final long lo)
    {
        // Both halves feed the hash: ids that share their low 64 bits must still spread. The scope does not, so a
        // look-up by id alone (ANY_SCOPE) walks the same run; one id in several municipalities just shares it.
        long h = hi * 0x9E3779B97F4A7C15L + lo;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int)h & mask;
    }

    private void allocate(final int slots)
    {
        mask = slots - 1;
        scope = new int[slots];
        idHi = new long[slots];
        idLo = new long[slots];
        acceptedIndex = new long[slots];
        terminalIndex = new long[slots];
        fingerprint = new long[slots];
        forwardAttempts = new int[slots];
        deadlineEpochMs = new long[slots];
        priority = new byte[slots];
        state = new byte[slots];
        if (orderHi == null)
        {
            orderScope = new int[slots >> 1];
            orderHi = new long[slots >> 1];
            orderLo = new long[slots >> 1];
        }
    }

    private void allocateAndRehash(final int slots)
    {
        final int[] oldScope = scope;
        final long[] oldHi = idHi;
        final long[] oldLo = idLo;
        final long[] oldAccepted = acceptedIndex;
        final long[] oldTerminal = terminalIndex;
        final long[] oldFingerprint = fingerprint;
        final int[] oldAttempts = forwardAttempts;
        final long[] oldDeadline = deadlineEpochMs;
        final byte[] oldPriority = priority;
        final byte[] oldState = state;
        allocate(slots);
        for (int i = 0; i < oldState.length; i++)
        {
            if (oldState[i] != EMPTY)
            {
                int slot = home(oldHi[i], oldLo[i]);
                while (state[slot] != EMPTY)
                {
                    slot = (slot + 1) & mask;
                }
                scope[slot] = oldScope[i];
                idHi[slot] = oldHi[i];
                idLo[slot] = oldLo[i];
                state[slot] = oldState[i];
                acceptedIndex[slot] = oldAccepted[i];
                terminalIndex[slot] = oldTerminal[i];
                fingerprint[slot] = oldFingerprint[i];
                forwardAttempts[slot] = oldAttempts[i];
                deadlineEpochMs[slot] = oldDeadline[i];
                priority[slot] = oldPriority[i];
            }
        }
    }

    @Override
    public String toString()
    {
        return "RequestIndex{size=" + size + ", maxEntries=" + maxEntries + ", slots=" + (mask + 1) +
            ", evictions=" + evictions + '}';
    }

    /** Content equality (same entries, same order), for tests comparing two recoveries. */
    public boolean sameContent(final RequestIndex other)
    {
        if (other.size != size)
        {
            return false;
        }
        final long[] mine = flatten();
        final long[] theirs = other.flatten();
        return Arrays.equals(mine, theirs);
    }

    private long[] flatten()
    {
        final long[] flat = new long[size * 8];
        final int[] at = {0};
        forEach((idScope, hi, lo, s, accepted, terminal, fp, attempts) ->
        {
            final int i = at[0];
            flat[i] = hi;
            flat[i + 1] = lo;
            flat[i + 2] = s;
            flat[i + 3] = accepted;
            flat[i + 4] = terminal;
            flat[i + 5] = fp;
            flat[i + 6] = attempts;
            flat[i + 7] = idScope;
            at[0] = i + 8;
        });
        return flat;
    }
}
