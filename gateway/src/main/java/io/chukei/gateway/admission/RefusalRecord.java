package io.chukei.gateway.admission;

import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.sbe.ErrorCode;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Which refusals go to the journal one by one, and the per-municipality account of the rest.
 *
 * <p>A connector that sends as fast as it can is refused tens of thousands of times a second; one
 * journal entry each filled the disk at ~0.6 TB a day, and a full disk stops the journal for every
 * municipality. So:
 * <ul>
 *   <li>admission refusals (RATE_LIMITED, OVERLOADED) are never journaled one by one: the request was
 *       not looked at and may be sent again unchanged. They are counted, and {@link #summarise} turns the
 *       counts into one journal entry per municipality per interval;</li>
 *   <li>every other refusal is about the request itself (a field, an id conflict, the session) and is
 *       journaled one by one, up to {@code perSecond} a municipality per second; past that it is counted
 *       as not journaled and appears in the same summary.</li>
 * </ul>
 * Thread-safe; a municipality's account is made on its first refusal and kept (the ~1,741 real codes
 * cost a few hundred small pages), so counting allocates nothing after that.
 */
public final class RefusalRecord
{
    /** Receives one municipality's counts for the interval just ended. */
    @FunctionalInterface
    public interface SummaryWriter
    {
        /** {@code municipality}: six digits, or null for refusals before a municipality was known. */
        void write(String municipality, long rateLimited, long overloaded, long notJournaled);
    }

    private static final class Account
    {
        final AtomicLong rateLimited = new AtomicLong();
        final AtomicLong overloaded = new AtomicLong();
        final AtomicLong notJournaled = new AtomicLong();
        private long windowSecond = Long.MIN_VALUE;
        private int journaledInWindow;

        synchronized boolean takeJournalSlot(final long second, final int perSecond)
        {
            if (second != windowSecond)
            {
                windowSecond = second;
                journaledInWindow = 0;
            }
            if (journaledInWindow >= perSecond)
            {
                return false;
            }
            journaledInWindow++;
            return true;
        }
    }

    private final int perSecond;
    private final LongSupplier nanoTime;
    private final CodeTable<Account> accounts = new CodeTable<>();
    private final Account withoutMunicipality = new Account();
    private final AtomicLong summarisedTotal = new AtomicLong();
    private final AtomicLong notJournaledTotal = new AtomicLong();

    /** {@code perSecond}: refusals about a request's content journaled one by one, per municipality and second (>= 0). */
    public RefusalRecord(final int perSecond, final LongSupplier nanoTime)
    {
        if (perSecond < 0)
        {
            throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: >= 0)");
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    /**
     * One refusal of {@code code} for {@code municipality} (a {@link MunicipalityCodes#parse} value, or
     * {@link MunicipalityCodes#INVALID} when unknown). True: journal this one now; false: it is counted and
     * will be in the next summary.
     */
    public boolean journalIndividually(final int municipality, final ErrorCode code)
    {
        final Account account = account(municipality);
        if (code == ErrorCode.RATE_LIMITED)
        {
            account.rateLimited.incrementAndGet();
            return false;
        }
        if (code == ErrorCode.OVERLOADED)
        {
            account.overloaded.incrementAndGet();
            return false;
        }
        if (account.takeJournalSlot(TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong()), perSecond))
        {
            return true;
        }
        account.notJournaled.incrementAndGet();
        notJournaledTotal.incrementAndGet();
        return false;
    }

    /** Hands every municipality's counts since the last call to {@code writer} (those with any) and starts again. */
    public void summarise(final SummaryWriter writer)
    {
        accounts.forEach((account, code) -> drain(account, MunicipalityCodes.format(code), writer));
        drain(withoutMunicipality, null, writer);
    }

    /** Refusals counted into summaries so far (admission refusals and content refusals past the budget). */
    public long summarisedTotal()
    {
        return summarisedTotal.get();
    }

    /** Content refusals not journaled one by one because their municipality's budget was spent. */
    public long notJournaledTotal()
    {
        return notJournaledTotal.get();
    }

    private void drain(final Account account, final String municipality, final SummaryWriter writer)
    {
        final long rateLimited = account.rateLimited.getAndSet(0);
        final long overloaded = account.overloaded.getAndSet(0);
        final long notJournaled = account.notJournaled.getAndSet(0);
        if (rateLimited + overloaded + notJournaled > 0)
        {
            summarisedTotal.addAndGet(rateLimited + overloaded + notJournaled);
            writer.write(municipality, rateLimited, overloaded, notJournaled);
        }
    }

    private Account account(final int municipality)
    {
        if (municipality < 0 || municipality >= MunicipalityCodes.COUNT)
        {
            return withoutMunicipality;
        }
        final Account account = accounts.get(municipality);
        return account != null ? account : accounts.putIfAbsent(municipality, new Account());
    }
}
