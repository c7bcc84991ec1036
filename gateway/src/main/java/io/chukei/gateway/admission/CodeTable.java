package io.chukei.gateway.admission;

import io.chukei.protocol.codec.MunicipalityCodes;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;

/**
 * Values keyed by municipality code, read without locks or allocation. Two levels of 1,000 slots:
 * a page is made the first time one of its codes is stored, so the ~1,741 real codes (clustered by
 * prefecture) cost a few hundred pages of 4 KB, not a 1,000,000-slot array; a boxed-Integer map
 * would allocate on every look-up.
 */
final class CodeTable<V>
{
    private static final int PAGE_SIZE = 1000;

    private final AtomicReferenceArray<AtomicReferenceArray<V>> pages =
        new AtomicReferenceArray<>(MunicipalityCodes.COUNT / PAGE_SIZE);
    private final AtomicInteger size = new AtomicInteger();

    V get(final int code)
    {
        final AtomicReferenceArray<V> page = pages.get(code / PAGE_SIZE);
        return page == null ? null : page.get(code % PAGE_SIZE);
    }

    /** Stores {@code value} unless the slot holds one already; returns the value in the slot afterwards. */
    V putIfAbsent(final int code, final V value)
    {
        final AtomicReferenceArray<V> page = page(code / PAGE_SIZE);
        final int slot = code % PAGE_SIZE;
        if (page.compareAndSet(slot, null, value))
        {
            size.incrementAndGet();
            return value;
        }
        final V existing = page.get(slot);
        return existing != null ? existing : putIfAbsent(code, value);
    }

    /** Removes every value the predicate selects; returns how many. Pages stay (they are small). */
    int removeIf(final Predicate<V> predicate)
    {
        int removed = 0;
        for (int p = 0; p < pages.length(); p++)
        {
            final AtomicReferenceArray<V> page = pages.get(p);
            if (page == null)
            {
                continue;
            }
            for (int slot = 0; slot < PAGE_SIZE; slot++)
            {
                final V value = page.get(slot);
                if (value != null && predicate.test(value) && page.compareAndSet(slot, value, null))
                {
                    size.decrementAndGet();
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Calls {@code action} with every value and its code. */
    void forEach(final ObjIntConsumer<V> action)
    {
        for (int p = 0; p < pages.length(); p++)
        {
            final AtomicReferenceArray<V> page = pages.get(p);
            if (page == null)
            {
                continue;
            }
            for (int slot = 0; slot < PAGE_SIZE; slot++)
            {
                final V value = page.get(slot);
                if (value != null)
                {
                    action.accept(value, p * PAGE_SIZE + slot);
                }
            }
        }
    }

    int size()
    {
        return size.get();
    }

    private AtomicReferenceArray<V> page(final int index)
    {
        final AtomicReferenceArray<V> page = pages.get(index);
        if (page != null)
        {
            return page;
        }
        pages.compareAndSet(index, null, new AtomicReferenceArray<>(PAGE_SIZE));
        return pages.get(index);
    }
}
