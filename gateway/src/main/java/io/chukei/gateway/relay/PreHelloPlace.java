package io.chukei.gateway.relay;

import io.chukei.gateway.admission.PreHelloLimiter;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted connection's place among those not yet past Hello. Released once: at Hello by
 * the {@link PreHelloGuard}, or when the connection closes — whichever comes first, and also
 * when the connection never got as far as its pipeline (a failed registration).
 */
final class PreHelloPlace
{
    private final PreHelloLimiter limiter;
    private final Object source;
    private final AtomicBoolean released = new AtomicBoolean();

    PreHelloPlace(final PreHelloLimiter limiter, final Object source)
    {
        this.limiter = limiter;
        this.source = source;
    }

    void release()
    {
        if (released.compareAndSet(false, true))
        {
            limiter.release(source);
        }
    }
}
